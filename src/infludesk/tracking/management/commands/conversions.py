"""`infludesk conversions --workspace SLUG --format json`: every order and who it credits."""

from __future__ import annotations

import csv
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from infludesk.core.models import Workspace
from infludesk.tracking.selectors import order_rows


class Command(BaseCommand):
    help = (
        "Print every order of a workspace with platform, id, status, currency, gross, refunded, "
        "net, matched code, matched click id and credited creator (keys in docs/webhooks.md)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--workspace", required=True, help="workspace slug")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"no workspace with slug {options['workspace']!r}")
        rows = order_rows(workspace=workspace)
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if rows:
            writer = csv.DictWriter(self.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
