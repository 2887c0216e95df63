"""`infludesk import-follower-sample --workspace SLUG --account ID FILE.csv [--replace]`:
store a sample of an account's followers, classify it and say what it shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.authenticity import selectors
from infludesk.authenticity.classify_csv import AccountsCsvError
from infludesk.authenticity.follower_csv import parse_follower_csv
from infludesk.authenticity.services import follower_sample_import
from infludesk.core.models import Workspace
from infludesk.creators.models import SocialAccount


class Command(BaseCommand):
    help = (
        "Import a sample of an account's followers from CSV (handle,followers,following,posts,"
        "has_profile_pic,is_private[,bio_length]); upsert by handle, classify each follower "
        "and print the estimated share of real followers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--workspace", required=True, help="the workspace's slug")
        parser.add_argument("--account", required=True, type=int, help="the social account id")
        parser.add_argument(
            "--replace", action="store_true", help="drop followers not in this file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"no workspace with the slug {options['workspace']!r}")
        account = SocialAccount.objects.filter(workspace=workspace, pk=options["account"]).first()
        if account is None:
            raise CommandError(f"no account {options['account']} in {workspace.slug}")
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        try:
            rows = parse_follower_csv(text)
            counts = follower_sample_import(
                workspace=workspace,
                account=account,
                rows=rows,
                by=None,
                replace=options["replace"],
            )
        except (AccountsCsvError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        quality = selectors.account_audience_quality(workspace=workspace, account=account)
        line = (
            f"@{account.handle}: {counts['created']} added, {counts['updated']} updated, "
            f"{counts['deleted']} removed; sample of {counts['sample_size']}"
        )
        if quality is not None:
            low, high = quality.ci95
            line += f", {quality.real_share:.1%} real (95% CI {low:.1%}-{high:.1%})"
            if quality.level == "strong_warning":
                line += " - strong warning: under 75% real"
        self.stdout.write(line)
