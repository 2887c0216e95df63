"""`infludesk fold-clicks`: move finished click-log segments into the Click table.

Safe at any time and repeatable: segments still written by a live server are skipped, stored
click ids are never inserted twice. Run it after a crash if the server is not restarted (the
server folds leftovers on start anyway).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from infludesk.tracking.clickfold import fold_clicks


class Command(BaseCommand):
    help = "Fold the durable click log into the Click table (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-wait", action="store_true", help="Give up if another process is folding."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = fold_clicks(wait=not options["no_wait"])
        if result.busy:
            self.stdout.write("Another process is folding the click log; nothing done.")
            return
        self.stdout.write(
            f"Folded {result.segments} segment(s): {result.inserted} click(s) stored, "
            f"{result.already_stored} already stored, {result.unknown_link} for deleted links, "
            f"{result.unreadable_lines} torn line(s) skipped."
        )
