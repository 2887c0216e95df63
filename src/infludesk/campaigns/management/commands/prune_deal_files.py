"""infludesk prune-deal-files [--dry-run] [--min-age-hours H]

Removes stored deal files that no database row names (a crash between writing an upload and
committing its row can leave one). Files younger than --min-age-hours (default 1) are kept, so
an upload in flight is never taken. Safe to run from cron.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from infludesk.campaigns.files import orphan_files, orphan_files_delete


class Command(BaseCommand):
    help = "Remove stored deal files that no row names (older than --min-age-hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only list them")
        parser.add_argument("--min-age-hours", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        names = orphan_files(older_than=dt.timedelta(hours=options["min_age_hours"]))
        for name in names:
            self.stdout.write(name)
        if options["dry_run"]:
            self.stdout.write(f"{len(names)} orphan file(s); nothing removed (--dry-run)")
            return
        removed = orphan_files_delete(names)
        self.stdout.write(f"{removed} orphan file(s) removed")
