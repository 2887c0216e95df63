"""`infludesk export-creators [--workspace SLUG] [--output FILE] [--format csv|xlsx]`: every
account of a workspace in the import's columns."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.creators.exporting import export_csv, export_xlsx
from infludesk.creators.management.commands.import_creators import workspace_from
from infludesk.creators.selectors import CreatorFilters


class Command(BaseCommand):
    help = "Export creators' accounts as CSV or XLSX in the columns import-creators reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", help="the workspace's slug (optional with only one)")
        parser.add_argument("--output", help="file to write (default: standard output, CSV)")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="default: from --output")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = workspace_from(options["workspace"])
        output = options["output"]
        fmt = options["format"] or ("xlsx" if output and output.endswith(".xlsx") else "csv")
        if fmt == "xlsx" and not output:
            raise CommandError("XLSX needs --output FILE")
        if fmt == "xlsx":
            Path(output).write_bytes(export_xlsx(workspace=workspace, filters=CreatorFilters()))
            return
        text = export_csv(workspace=workspace, filters=CreatorFilters())
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
