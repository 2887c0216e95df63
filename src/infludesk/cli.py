"""The `infludesk` command: Django's management commands with Infludesk's settings preset."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infludesk.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # `infludesk import-creators` runs the management command import_creators
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["infludesk", *args])


if __name__ == "__main__":
    main()
