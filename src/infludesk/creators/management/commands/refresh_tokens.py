"""`infludesk refresh-tokens [--workspace SLUG]`: keep creators' Instagram Login and TikTok Login
Kit tokens alive.

Refreshes Instagram Login tokens that expire within 7 days (a long-lived token lasts 60 days and
can be renewed once it is a day old) and TikTok access tokens within 2 hours of expiry (or already
expired while their refresh token is valid), and marks tokens past their expiry date (TikTok: a
refresh token past its expiry, or a refused refresh) as expired, with a message the creator's
page shows. ``sync-accounts --due`` runs the same step first, so a cron
line for that command is enough. Exit status 1 when a refresh failed.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from infludesk.core.models import Workspace
from infludesk.creators.social_connect import credentials_refresh_due


class Command(BaseCommand):
    help = (
        "Refresh Instagram Login tokens expiring within 7 days and TikTok Login Kit tokens "
        "within 2 hours; mark tokens past their expiry as expired."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--workspace", default=None, help="workspace slug (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = None
        if options["workspace"]:
            workspace = Workspace.objects.filter(slug=options["workspace"]).first()
            if workspace is None:
                raise CommandError(f"no workspace with slug {options['workspace']!r}")
        results = credentials_refresh_due(now=timezone.now(), workspace=workspace)
        for result in results:
            line = f"{result.label}: {result.outcome}: {result.message}"
            (self.stderr if result.outcome == "failed" else self.stdout).write(line)
        counts = {
            o: sum(r.outcome == o for r in results) for o in ("refreshed", "expired", "failed")
        }
        self.stdout.write(
            f"{counts['refreshed']} refreshed, {counts['expired']} expired, "
            f"{counts['failed']} failed"
        )
        if counts["failed"]:
            raise SystemExit(1)
