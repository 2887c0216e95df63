"""The generic signed webhook's order schema (documented in docs/webhooks.md).

    {"id": "A-1001", "currency": "EUR", "total": "59.90", "created_at": "2026-11-20T10:00:00+01:00",
     "updated_at": ..., "status": "paid", "cancelled": false, "discount_codes": ["ANNA15"],
     "landing_url": "https://shop.example/?ifd_click=...", "referrer": "https://...",
     "customer": {"id": "c-1", "email": "a@b.c"},
     "refunds": [{"id": "r-1", "amount": "10.00", "created_at": ...}]}

Required: id, currency, total, created_at.
"""

from __future__ import annotations

from typing import Any

from infludesk.tracking.stores.common import (
    NormalizedOrder,
    NormalizedRefund,
    PayloadError,
    click_id_from_url,
    currency_code,
    exact_id,
    money,
    normalize_code,
    parse_when,
    require_fields,
    require_object,
    text,
)

SOURCE = "webhook"
REQUIRED = ("id", "currency", "total", "created_at")


def parse_order(data: Any, *, source: str = SOURCE) -> NormalizedOrder:
    body = require_object(data)
    require_fields(body, REQUIRED)
    codes = body.get("discount_codes") or []
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise PayloadError("discount_codes must be a list of strings")
    refunds_in = body.get("refunds") or []
    if not isinstance(refunds_in, list):
        raise PayloadError("refunds must be a list")
    refunds = []
    for entry in refunds_in:
        if not isinstance(entry, dict) or entry.get("id") is None:
            raise PayloadError("each refund needs an id and an amount")
        amount = money(entry.get("amount"), "refunds[].amount")
        if amount < 0:
            raise PayloadError("refunds[].amount must not be negative")
        refunds.append(
            NormalizedRefund(
                external_id=exact_id(entry["id"], "refunds[].id"),
                amount=amount,
                refunded_at=parse_when(entry.get("created_at"), "refunds[].created_at"),
            )
        )
    cancelled = body.get("cancelled", False)
    if not isinstance(cancelled, bool):
        raise PayloadError("cancelled must be true or false")
    customer = body.get("customer") or {}
    if not isinstance(customer, dict):
        raise PayloadError("customer must be an object")
    gross = money(body["total"], "total")
    if gross < 0:
        raise PayloadError("total must not be negative")
    landing = text(body.get("landing_url"))
    cid = customer.get("id")
    return NormalizedOrder(
        source=source,
        external_id=exact_id(body["id"], "id"),
        currency=currency_code(body["currency"]),
        gross=gross,
        placed_at=parse_when(body["created_at"], "created_at"),
        updated_at=parse_when(body.get("updated_at"), "updated_at"),
        status=text(body.get("status"), 30),
        cancelled=cancelled,
        discount_codes=tuple(normalize_code(c) for c in codes if normalize_code(c)),
        landing_url=landing,
        referrer=text(body.get("referrer")),
        click_id=click_id_from_url(landing),
        customer_id=exact_id(cid, "customer.id") if cid not in (None, "") else "",
        customer_email=text(customer.get("email"), 254),
        refunds=tuple(refunds),
    )
