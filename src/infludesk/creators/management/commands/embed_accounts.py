"""`infludesk embed-accounts [--workspace SLUG] [--captions] [--force]`: backfill the embeddings
that "fit to a brief" in creator search ranks with.

``--captions`` first refreshes every account's stored recent captions from its posts (needed
once for accounts whose posts were imported before captions were kept for search). Accounts
whose bio and captions did not change since their embedding are skipped unless ``--force``.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from infludesk.core.models import Workspace
from infludesk.creators.models import SocialAccount
from infludesk.creators.search_texts import account_embeddings_refresh, account_texts_refresh


class Command(BaseCommand):
    help = (
        "Embed the bio and recent captions of social accounts (for fit-to-a-brief search); "
        "skips accounts whose texts did not change."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--workspace", default=None, help="workspace slug (default: all)")
        parser.add_argument(
            "--captions", action="store_true", help="refresh the stored recent captions first"
        )
        parser.add_argument("--force", action="store_true", help="re-embed every account")

    def handle(self, *args: Any, **options: Any) -> None:
        workspaces = Workspace.objects.order_by("pk")
        if options["workspace"]:
            workspaces = workspaces.filter(slug=options["workspace"])
            if not workspaces.exists():
                raise CommandError(f"no workspace with slug {options['workspace']!r}")
        for workspace in workspaces:
            changed = 0
            if options["captions"]:
                ids = SocialAccount.objects.filter(workspace=workspace).values_list("pk", flat=True)
                changed = len(account_texts_refresh(workspace=workspace, account_ids=list(ids)))
            written = account_embeddings_refresh(workspace=workspace, force=options["force"])
            self.stdout.write(
                f"{workspace.slug}: {changed} accounts with new captions, "
                f"{written} embeddings written or removed"
            )
