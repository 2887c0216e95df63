"""`infludesk sync-accounts [--workspace SLUG] [--platform P] [--due]`: pull social accounts.

Meant for cron, e.g. hourly: ``15 * * * * infludesk sync-accounts --due`` syncs every account
not synced for SOCIAL_SYNC_INTERVAL_HOURS (24 by default), after refreshing Instagram Login
tokens that expire within 7 days and marking expired ones (as ``refresh-tokens`` does). One
line per account; a failing
account (expired token, throttled, unknown handle) is reported and the others go on; the exit
status is 1 when any account failed, so cron mails the report.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet
from django.utils import timezone

from infludesk.core.models import Workspace
from infludesk.creators.models import SocialAccount
from infludesk.creators.social_connect import credentials_refresh_due
from infludesk.creators.sync import SYNC_PLATFORMS, accounts_sync, accounts_sync_due


class Command(BaseCommand):
    help = (
        "Sync Instagram / YouTube / TikTok accounts through their APIs with the workspace's "
        "tokens: a new snapshot per account, posts and comments upserted. --due: refresh "
        "expiring Instagram Login tokens, then only accounts not synced for 24 h (for cron)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--workspace", default=None, help="workspace slug (default: all)")
        parser.add_argument("--platform", default=None, choices=SYNC_PLATFORMS)
        parser.add_argument("--due", action="store_true", help="only accounts due for a sync")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = None
        if options["workspace"]:
            workspace = Workspace.objects.filter(slug=options["workspace"]).first()
            if workspace is None:
                raise CommandError(f"no workspace with slug {options['workspace']!r}")
        now = timezone.now()
        accounts: QuerySet[SocialAccount]
        failed = 0
        if options["due"]:
            for refreshed in credentials_refresh_due(now=now, workspace=workspace):
                line = f"{refreshed.label}: token {refreshed.outcome}: {refreshed.message}"
                if refreshed.outcome == "refreshed":
                    self.stdout.write(line)
                else:
                    self.stderr.write(line)
            accounts = accounts_sync_due(now=now, workspace=workspace, platform=options["platform"])
        else:
            accounts = SocialAccount.objects.filter(platform__in=SYNC_PLATFORMS)
            if workspace is not None:
                accounts = accounts.filter(workspace=workspace)
            if options["platform"]:
                accounts = accounts.filter(platform=options["platform"])
            accounts = accounts.order_by("pk")
        results = accounts_sync(accounts=accounts.iterator(), now=now)
        for result in results:
            if result.ok:
                self.stdout.write(
                    f"{result.label}: {result.followers} followers, {result.posts_created} new "
                    f"and {result.posts_updated} updated posts, {result.comments} comments"
                    + (f" ({result.warning})" if result.warning else "")
                )
            else:
                failed += 1
                self.stderr.write(f"{result.label}: FAILED: {result.error}")
        self.stdout.write(f"{len(results) - failed} synced, {failed} failed")
        if failed:
            raise SystemExit(1)
