"""Shopify order and refund payloads (webhook topics orders/*, refunds/create; Admin API orders).

Fields read, as documented by Shopify: id, currency, total_price (shipping included),
created_at, updated_at, cancelled_at, financial_status, discount_codes[].code, landing_site
(relative or absolute; carries ifd_click), referring_site, customer.id, email, refunds[],
line_items[] (id, product_id, variant_id, sku, title, quantity, price).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from infludesk.tracking.stores.common import (
    NormalizedOrder,
    NormalizedRefund,
    PayloadError,
    click_id_from_url,
    currency_code,
    exact_id,
    line_items,
    money,
    normalize_code,
    parse_when,
    require_fields,
    require_object,
    text,
)

ORDER_TOPICS = frozenset(
    {
        "orders/create",
        "orders/updated",
        "orders/cancelled",
        "orders/paid",
        "orders/fulfilled",
        "orders/partially_fulfilled",
        "orders/edited",
    }
)
REFUND_TOPICS = frozenset({"refunds/create"})
SOURCE = "shopify"


def refund_amount(refund: dict[str, Any]) -> Decimal:
    """Money a Shopify refund gave back = sum of its successful `refund` transactions.

    The refunds/create example returns 75.00 + 10.00 = 85.00. Without transactions (older
    payloads) the refunded line subtotals plus their tax are used instead.
    """
    transactions = refund.get("transactions") or []
    if transactions:
        total = Decimal("0.00")
        for tx in transactions:
            if not isinstance(tx, dict) or tx.get("kind") != "refund":
                continue
            if tx.get("status") not in (None, "success"):
                continue
            total += money(tx.get("amount", "0"), "refund transaction amount")
        return total
    total = Decimal("0.00")
    for line in refund.get("refund_line_items") or []:
        if isinstance(line, dict):
            total += money(line.get("subtotal", "0"), "refund line subtotal")
            total += money(line.get("total_tax", "0"), "refund line tax")
    return total


def parse_refund(data: Any) -> tuple[str, NormalizedRefund]:
    """A refunds/create body -> (order id, refund). Requires id and order_id."""
    body = require_object(data)
    require_fields(body, ("id", "order_id"))
    refund = NormalizedRefund(
        external_id=exact_id(body["id"], "id"),
        amount=refund_amount(body),
        refunded_at=parse_when(body.get("processed_at") or body.get("created_at"), "created_at"),
    )
    return exact_id(body["order_id"], "order_id"), refund


def _customer(body: dict[str, Any]) -> tuple[str, str]:
    customer = body.get("customer") if isinstance(body.get("customer"), dict) else {}
    customer_id = customer.get("id") if customer else None
    cid = exact_id(customer_id, "customer.id") if customer_id not in (None, "", 0) else ""
    email = body.get("email") or body.get("contact_email") or (customer or {}).get("email") or ""
    return cid, text(email, 254)


def parse_order(data: Any) -> NormalizedOrder:
    """An Order body -> NormalizedOrder. Requires id, currency and total_price."""
    body = require_object(data)
    require_fields(body, ("id", "currency", "total_price"))
    codes = []
    for entry in body.get("discount_codes") or []:
        if isinstance(entry, dict) and normalize_code(entry.get("code")):
            codes.append(normalize_code(entry.get("code")))
    refunds = []
    for entry in body.get("refunds") or []:
        if isinstance(entry, dict) and entry.get("id") is not None:
            refunds.append(
                NormalizedRefund(
                    external_id=exact_id(entry["id"], "refunds[].id"),
                    amount=refund_amount(entry),
                    refunded_at=parse_when(entry.get("created_at"), "refunds[].created_at"),
                )
            )
    customer_id, email = _customer(body)
    landing = text(body.get("landing_site"))
    cancelled_at = parse_when(body.get("cancelled_at"), "cancelled_at")
    gross = money(body["total_price"], "total_price")
    if gross < 0:
        raise PayloadError("total_price must not be negative")
    return NormalizedOrder(
        source=SOURCE,
        external_id=exact_id(body["id"], "id"),
        currency=currency_code(body["currency"]),
        gross=gross,
        placed_at=parse_when(body.get("created_at") or body.get("processed_at"), "created_at"),
        updated_at=parse_when(body.get("updated_at"), "updated_at"),
        status=text(body.get("financial_status"), 30),
        cancelled=cancelled_at is not None,
        discount_codes=tuple(codes),
        landing_url=landing,
        referrer=text(body.get("referring_site")),
        click_id=click_id_from_url(landing),
        customer_id=customer_id,
        customer_email=email,
        refunds=tuple(refunds),
        line_items=line_items(body.get("line_items"), variant_key="variant_id", title_key="title"),
    )
