"""`infludesk connect-social --workspace SLUG --platform P --token T [...]`: paste a token.

Paste a long-lived token (Instagram: a long-lived user token plus the id of the professional
account it belongs to; YouTube: an API key; TikTok: the creator's user access token with
--account). The token replaces the previous one for the same scope. Creators can instead connect
their own Instagram account by signing in (a connect link from their page; docs/connectors.md);
a pasted Instagram Login token takes ``--api-url https://graph.instagram.com``.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from infludesk.core.models import Workspace
from infludesk.creators.models import SocialAccount
from infludesk.creators.sync import SYNC_PLATFORMS, social_credential_create


class Command(BaseCommand):
    help = "Store a pasted platform token for a workspace."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--workspace", required=True, help="workspace slug")
        parser.add_argument("--platform", required=True, choices=SYNC_PLATFORMS)
        parser.add_argument("--token", required=True, help="long-lived token / API key")
        parser.add_argument("--ig-user-id", default="", help="Instagram: the token's account id")
        parser.add_argument("--account", type=int, default=None, help="a creator's own account id")
        parser.add_argument("--expires", default=None, help="expiry date (ISO 8601)")
        parser.add_argument("--api-url", default="", help="override the platform's base URL")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"no workspace with slug {options['workspace']!r}")
        account = None
        if options["account"] is not None:
            account = SocialAccount.objects.filter(
                workspace=workspace, pk=options["account"]
            ).first()
            if account is None:
                raise CommandError(f"no account {options['account']} in this workspace")
        expires = None
        if options["expires"]:
            try:
                expires = dt.datetime.fromisoformat(options["expires"])
            except ValueError as exc:
                raise CommandError(f"--expires is not ISO 8601: {options['expires']!r}") from exc
            if expires.tzinfo is None:
                expires = expires.replace(tzinfo=dt.UTC)
        try:
            credential = social_credential_create(
                workspace=workspace,
                platform=options["platform"],
                token=options["token"],
                by=None,
                external_user_id=options["ig_user_id"],
                account=account,
                expires_at=expires,
                api_url=options["api_url"],
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(f"{credential.platform} credential #{credential.pk} stored")
