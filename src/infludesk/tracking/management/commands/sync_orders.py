"""`infludesk sync-orders --workspace SLUG [--since ISO] [--connection ID]`: pull past orders."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from infludesk.connectors.base import ConnectorError
from infludesk.core.models import Workspace
from infludesk.tracking.models import StoreConnection, StorePlatform
from infludesk.tracking.services import orders_sync_pull


class Command(BaseCommand):
    help = (
        "Backfill orders from the workspace's Shopify / WooCommerce connections through their "
        "APIs (needs --api-url/--api-token on the connection). Safe to repeat."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--workspace", required=True, help="workspace slug")
        parser.add_argument("--since", default=None, help="only orders updated since (ISO 8601)")
        parser.add_argument("--connection", type=int, default=None, help="one connection id")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"no workspace with slug {options['workspace']!r}")
        since = None
        if options["since"]:
            try:
                since = dt.datetime.fromisoformat(options["since"].replace("Z", "+00:00"))
            except ValueError as exc:
                raise CommandError(f"--since is not ISO 8601: {options['since']!r}") from exc
            if since.tzinfo is None:
                since = since.replace(tzinfo=dt.UTC)
        connections = StoreConnection.objects.filter(
            workspace=workspace,
            active=True,
            platform__in=[StorePlatform.SHOPIFY, StorePlatform.WOOCOMMERCE],
        ).exclude(api_token="")
        if options["connection"] is not None:
            connections = connections.filter(pk=options["connection"])
        if not connections.exists():
            raise CommandError("no Shopify or WooCommerce connection with an API token here")
        for connection in connections.order_by("pk"):
            try:
                result = orders_sync_pull(connection=connection, since=since)
            except ConnectorError as exc:
                raise CommandError(f"{connection.platform} #{connection.pk}: {exc}") from exc
            for error in result.errors:
                self.stderr.write(error)
            self.stdout.write(
                f"{connection.platform} #{connection.pk}: {result.orders} orders synced, "
                f"{len(result.errors)} skipped"
            )
