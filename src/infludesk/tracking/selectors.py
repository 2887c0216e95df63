"""Reads for tracking; the workspace always comes first."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse

from infludesk.core.models import ExchangeRate, Workspace
from infludesk.tracking.currency import MissingRate, Rate, convert
from infludesk.tracking.models import Click, Conversion, Order, StoreConnection, StorePlatform

WEBHOOK_ROUTES: dict[str, str] = {
    StorePlatform.SHOPIFY: "tracking:webhook_shopify",
    StorePlatform.WOOCOMMERCE: "tracking:webhook_woocommerce",
    StorePlatform.WEBHOOK: "tracking:webhook_generic",
}


def store_connection_webhook_url(*, connection: StoreConnection) -> str:
    """SITE_URL + the connection's webhook path (what to paste into the store's settings)."""
    path = reverse(WEBHOOK_ROUTES[connection.platform], args=[connection.public_key])
    return settings.SITE_URL.rstrip("/") + path


def pushable_stores(*, workspace: Workspace) -> QuerySet[StoreConnection]:
    """The active Shopify and WooCommerce connections with an API token: where codes can be
    created (tracking/codes.py discount_code_push)."""
    return (
        StoreConnection.objects.filter(
            workspace=workspace,
            active=True,
            platform__in=[StorePlatform.SHOPIFY, StorePlatform.WOOCOMMERCE],
        )
        .exclude(api_token="")
        .order_by("platform", "shop_domain", "pk")
    )


def exchange_rates(*, workspace: Workspace) -> list[Rate]:
    return [
        Rate(currency=c, rate=r, valid_from=v)
        for c, r, v in ExchangeRate.objects.filter(workspace=workspace).values_list(
            "currency", "rate", "valid_from"
        )
    ]


def link_click_stats(*, workspace: Workspace, link_id: int) -> dict[str, Any]:
    """A link's clicks in one query: `clicks` = human clicks (bots and HEAD requests are
    flagged, not counted), `unique_clicks` = those of them counted once per visitor per 30
    minutes, `bot_flagged` = the flagged requests, `last_click_at` = the newest human click."""
    human = Q(is_bot=False)
    return Click.objects.filter(workspace=workspace, link_id=link_id).aggregate(
        clicks=Count("pk", filter=human),
        unique_clicks=Count("pk", filter=human & Q(is_unique=True)),
        bot_flagged=Count("pk", filter=Q(is_bot=True)),
        last_click_at=Max("clicked_at", filter=human),
    )


def order_list(*, workspace: Workspace) -> QuerySet[Order]:
    return (
        Order.objects.filter(workspace=workspace)
        .select_related("conversion__creator", "conversion__code", "conversion__click")
        .order_by("placed_at", "pk")
    )


def conversions_counted(*, workspace: Workspace) -> QuerySet[Conversion]:
    """Conversions that still count: the order is neither cancelled nor fully refunded."""
    return (
        Conversion.objects.filter(workspace=workspace, order__cancelled=False)
        .exclude(order__gross__lte=0)
        .select_related("order", "creator", "deal")
    )


def leak_suspects(*, workspace: Workspace, deal_id: int | None = None) -> QuerySet[Conversion]:
    """Conversions flagged as probable code leaks, newest order first, with their evidence."""
    rows = Conversion.objects.filter(workspace=workspace, leak_suspected=True)
    if deal_id is not None:
        rows = rows.filter(deal_id=deal_id)
    return rows.select_related("order", "creator", "code").order_by("-order__placed_at")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def order_rows(*, workspace: Workspace) -> list[dict[str, Any]]:
    """Every order of the workspace as the `infludesk conversions` JSON rows.

    Keys: platform, id, status, cancelled, currency, gross, refunded, net, placed_at,
    new_customer, matched_by, matched_code, matched_click_id, credited_creator,
    credited_creator_id, deal_id, net_workspace_currency (null when no rate applies),
    leak_suspected. Money values are strings with two decimals.
    """
    rates = exchange_rates(workspace=workspace)
    return [
        order_row(order=order, rates=rates, currency=workspace.currency)
        for order in order_list(workspace=workspace)
    ]


def in_workspace_currency(
    *, order: Order, amount: Decimal, rates: list[Rate], currency: str
) -> Decimal | None:
    """`amount` of the order's shop currency in `currency` on the order day; None without a
    rate."""
    try:
        return convert(
            amount=amount,
            currency=order.currency,
            target=currency,
            day=order.placed_at.date(),
            rates=rates,
        )
    except MissingRate:
        return None


def order_row(*, order: Order, rates: list[Rate], currency: str) -> dict[str, Any]:
    """One order as an `order_rows` row (load it with `order_list`'s select_related)."""
    conversion = getattr(order, "conversion", None)
    net_ws = in_workspace_currency(order=order, amount=order.net, rates=rates, currency=currency)
    return {
        "platform": order.source,
        "id": order.external_id,
        "status": order.status,
        "cancelled": order.cancelled,
        "currency": order.currency,
        "gross": _money(order.gross),
        "refunded": _money(order.refunded),
        "net": _money(order.net),
        "placed_at": order.placed_at.isoformat(),
        "new_customer": order.is_new_customer,
        "matched_by": conversion.matched_by if conversion else None,
        "matched_code": conversion.code.code if conversion and conversion.code else None,
        "matched_click_id": (
            conversion.click.click_id if conversion and conversion.click else None
        ),
        "credited_creator": conversion.creator.name if conversion else None,
        "credited_creator_id": conversion.creator_id if conversion else None,
        "deal_id": conversion.deal_id if conversion else None,
        "net_workspace_currency": _money(net_ws),
        "leak_suspected": conversion.leak_suspected if conversion else False,
    }
