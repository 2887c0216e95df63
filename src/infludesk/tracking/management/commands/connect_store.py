"""`infludesk connect-store {shopify,woocommerce,webhook} --workspace SLUG --secret SECRET`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from infludesk.core.models import Workspace
from infludesk.tracking.selectors import store_connection_webhook_url
from infludesk.tracking.services import store_connection_create


class Command(BaseCommand):
    help = (
        "Connect a store to a workspace and print the webhook URL to paste into the store "
        "(SITE_URL + /tracking/webhooks/<platform>/<key>/)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("platform", choices=["shopify", "woocommerce", "webhook"])
        parser.add_argument("--workspace", required=True, help="workspace slug")
        parser.add_argument(
            "--secret",
            required=True,
            help="the webhook signing secret (Shopify app secret / WooCommerce webhook secret)",
        )
        parser.add_argument("--shop-domain", default="", help="e.g. my-shop.myshopify.com")
        parser.add_argument("--api-url", default="", help="store API base URL for pull sync")
        parser.add_argument(
            "--api-token",
            default="",
            help="Shopify Admin API access token, or WooCommerce 'consumer_key:consumer_secret'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"no workspace with slug {options['workspace']!r}")
        try:
            connection = store_connection_create(
                workspace=workspace,
                platform=options["platform"],
                secret=options["secret"],
                shop_domain=options["shop_domain"],
                api_url=options["api_url"],
                api_token=options["api_token"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(store_connection_webhook_url(connection=connection))
