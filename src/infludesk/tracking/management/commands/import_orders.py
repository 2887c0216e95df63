"""`infludesk import-orders --workspace SLUG FILE.csv`: good rows land, bad rows are listed."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from infludesk.core.models import Workspace
from infludesk.tracking.csv_orders import orders_import_csv


class Command(BaseCommand):
    help = (
        "Import orders from a CSV file (columns in docs/webhooks.md). Rows with errors are "
        "reported by line and field; the good rows are imported; re-importing never duplicates."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--workspace", required=True, help="workspace slug")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"no workspace with slug {options['workspace']!r}")
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        result = orders_import_csv(workspace=workspace, text=text)
        for error in result.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"{result.created} orders created, {result.updated} updated, "
            f"{len(result.errors)} errors"
        )
        if result.errors:
            raise CommandError(f"{len(result.errors)} row errors (the good rows were imported)")
