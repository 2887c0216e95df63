"""WooCommerce order payloads (webhooks order.created / order.updated; REST v3 orders).

Fields read, as documented in the WooCommerce REST API v3: id, status, currency, total
(shipping included), date_created_gmt, date_modified_gmt (GMT without offset), coupon_lines[].code,
refunds[] ({id, total: "-10.00"}), customer_id (0 = guest), billing.email, and the order
attribution entries in meta_data (_wc_order_attribution_session_entry = landing URL,
_wc_order_attribution_referrer).
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
    line_items,
    money,
    normalize_code,
    parse_when,
    require_fields,
    require_object,
    text,
)

ORDER_TOPICS = frozenset({"order.created", "order.updated", "order.restored"})
CANCELLED_STATUSES = frozenset({"cancelled", "failed"})
ENTRY_META = "_wc_order_attribution_session_entry"
REFERRER_META = "_wc_order_attribution_referrer"
SOURCE = "woocommerce"


def _meta(body: dict[str, Any], key: str) -> str:
    for entry in body.get("meta_data") or []:
        if isinstance(entry, dict) and entry.get("key") == key:
            return text(entry.get("value"))
    return ""


def parse_order(data: Any) -> NormalizedOrder:
    """An order body -> NormalizedOrder. Requires id, status, currency and total."""
    body = require_object(data)
    require_fields(body, ("id", "status", "currency", "total"))
    status = text(body["status"], 30)
    codes = tuple(
        normalize_code(line.get("code"))
        for line in body.get("coupon_lines") or []
        if isinstance(line, dict) and normalize_code(line.get("code"))
    )
    refunds = tuple(
        NormalizedRefund(
            external_id=exact_id(entry["id"], "refunds[].id"),
            # Woo lists refunds with a negative total ("-10.00")
            amount=abs(money(entry.get("total", "0"), "refunds[].total")),
        )
        for entry in body.get("refunds") or []
        if isinstance(entry, dict) and entry.get("id") is not None
    )
    billing = body.get("billing") if isinstance(body.get("billing"), dict) else {}
    customer_id = body.get("customer_id")
    landing = _meta(body, ENTRY_META)
    gross = money(body["total"], "total")
    if gross < 0:
        raise PayloadError("total must not be negative")
    placed = body.get("date_created_gmt") or body.get("date_created")
    return NormalizedOrder(
        source=SOURCE,
        external_id=exact_id(body["id"], "id"),
        currency=currency_code(body["currency"]),
        gross=gross,
        placed_at=parse_when(placed, "date_created_gmt"),
        updated_at=parse_when(body.get("date_modified_gmt"), "date_modified_gmt"),
        status=status,
        cancelled=status in CANCELLED_STATUSES,
        discount_codes=codes,
        landing_url=landing,
        referrer=_meta(body, REFERRER_META),
        click_id=click_id_from_url(landing),
        customer_id=exact_id(customer_id, "customer_id")
        if customer_id not in (None, 0, "0", "")
        else "",
        customer_email=text((billing or {}).get("email"), 254),
        refunds=refunds,
        line_items=line_items(body.get("line_items"), variant_key="variation_id", title_key="name"),
    )
