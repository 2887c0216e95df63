"""`infludesk discount-codes {create,batch,export,push}`: discount codes from the command line.

    infludesk discount-codes create --workspace acme --creator 12 --value 15 [--code ANNA15]
    infludesk discount-codes batch --workspace acme --creator 12 --value 20 --count 500 \\
        --name giveaway-nov [--prefix GIVE]
    infludesk discount-codes export --workspace acme [--batch giveaway-nov] > codes.csv
    infludesk discount-codes push --workspace acme --connection 3 (--code ANNA15 | --batch NAME)
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from infludesk.campaigns.models import Deal
from infludesk.connectors.base import ConnectorError
from infludesk.core.models import Workspace
from infludesk.creators.models import Creator
from infludesk.tracking import codes
from infludesk.tracking.models import DiscountCode, StoreConnection


def _terms(parser: ArgumentParser) -> None:
    parser.add_argument("--workspace", required=True, help="workspace slug")
    parser.add_argument("--creator", type=int, required=True, help="creator id")
    parser.add_argument("--deal", type=int, default=None, help="deal id")
    parser.add_argument("--value", required=True, help="percent (<= 100) or amount")
    parser.add_argument("--kind", choices=["percent", "fixed"], default="percent")
    parser.add_argument("--valid-from", default=None, help="YYYY-MM-DD")
    parser.add_argument("--valid-until", default=None, help="YYYY-MM-DD")


class Command(BaseCommand):
    help = "Create discount codes (one or a batch), export them as CSV, or create them in a store."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="one code (default: first name + value)")
        _terms(create)
        create.add_argument("--code", default=None)
        batch = sub.add_parser("batch", help="single-use random codes")
        _terms(batch)
        batch.add_argument("--count", type=int, required=True)
        batch.add_argument("--name", required=True, help="batch name")
        batch.add_argument("--prefix", default="")
        export = sub.add_parser("export", help="CSV of the codes")
        export.add_argument("--workspace", required=True)
        export.add_argument("--batch", default=None)
        push = sub.add_parser("push", help="create a code or a batch in Shopify / WooCommerce")
        push.add_argument("--workspace", required=True)
        push.add_argument("--connection", type=int, required=True, help="store connection id")
        what = push.add_mutually_exclusive_group(required=True)
        what.add_argument("--code")
        what.add_argument("--batch")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"no workspace with slug {options['workspace']!r}")
        try:
            getattr(self, f"_{options['action']}")(workspace, options)
        except (codes.DiscountCodeError, ConnectorError) as exc:
            raise CommandError(str(exc)) from exc

    def _common(self, workspace: Workspace, options: dict[str, Any]) -> dict[str, Any]:
        creator = Creator.objects.filter(workspace=workspace, pk=options["creator"]).first()
        if creator is None:
            raise CommandError(f"no creator #{options['creator']} in this workspace")
        deal = None
        if options["deal"] is not None:
            deal = Deal.objects.filter(workspace=workspace, pk=options["deal"]).first()
            if deal is None:
                raise CommandError(f"no deal #{options['deal']} in this workspace")
        try:
            value = Decimal(options["value"])
            dates = {
                key: dt.date.fromisoformat(options[key]) if options[key] else None
                for key in ("valid_from", "valid_until")
            }
        except (InvalidOperation, ValueError) as exc:
            raise CommandError(f"bad value or date: {exc}") from exc
        return {"creator": creator, "deal": deal, "value": value, "kind": options["kind"], **dates}

    def _create(self, workspace: Workspace, options: dict[str, Any]) -> None:
        common = self._common(workspace, options)
        row = codes.discount_code_create(workspace=workspace, code=options["code"], **common)
        self.stdout.write(row.code)

    def _batch(self, workspace: Workspace, options: dict[str, Any]) -> None:
        rows = codes.discount_code_batch_create(
            workspace=workspace,
            count=options["count"],
            batch=options["name"],
            prefix=options["prefix"],
            **self._common(workspace, options),
        )
        self.stdout.write(f"{len(rows)} codes created in batch {options['name']}")

    def _export(self, workspace: Workspace, options: dict[str, Any]) -> None:
        self.stdout.write(
            codes.discount_codes_csv(workspace=workspace, batch=options["batch"]), ending=""
        )

    def _push(self, workspace: Workspace, options: dict[str, Any]) -> None:
        connection = StoreConnection.objects.filter(
            workspace=workspace, pk=options["connection"]
        ).first()
        if connection is None:
            raise CommandError(f"no store connection #{options['connection']} in this workspace")
        if options["code"]:
            row = DiscountCode.objects.filter(
                workspace=workspace, code__iexact=options["code"]
            ).first()
            if row is None:
                raise CommandError(f"no code {options['code']!r} in this workspace")
            created = codes.discount_code_push(code=row, connection=connection)
        else:
            created = codes.discount_batch_push(
                workspace=workspace, batch=options["batch"], connection=connection
            )
        self.stdout.write(
            f"{len(created.codes)} codes created in {connection.platform} ({created.remote_id})"
        )
