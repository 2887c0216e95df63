"""infludesk snapshot-live-posts [--workspace SLUG] [--enqueue]

Records a metrics snapshot (source "connector") for every live post whose counts a connector
sync changed since its latest snapshot; one per post per run, so running it again records
nothing new. Safe to run from cron after `infludesk sync-accounts`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.campaigns.posts import live_posts_snapshot
from infludesk.campaigns.tasks import snapshot_live_posts
from infludesk.core.models import Workspace


class Command(BaseCommand):
    help = "Snapshot the metrics of live posts that a connector sync changed (for cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", help="only this workspace (slug)")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue one background task per workspace"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspaces = Workspace.objects.order_by("pk")
        if options["workspace"]:
            workspaces = workspaces.filter(slug=options["workspace"])
            if not workspaces.exists():
                raise CommandError(f"No workspace {options['workspace']!r}.")
        for workspace in workspaces:
            if options["enqueue"]:
                snapshot_live_posts.enqueue(workspace.pk)
                self.stdout.write(f"{workspace.slug}: queued")
                continue
            recorded = live_posts_snapshot(workspace=workspace)
            self.stdout.write(f"{workspace.slug}: {recorded} snapshot(s) recorded")
