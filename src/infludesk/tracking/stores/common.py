"""The normalised order every store format is parsed into, and the parsing helpers they share."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, urlsplit

CLICK_PARAM = "ifd_click"
# Click ids are URL-safe and fit Click.click_id (32 characters).
CLICK_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_EXTERNAL_ID = 64
# Order.gross has 12 digits before the point
MAX_AMOUNT = Decimal(10) ** 12


class PayloadError(ValueError):
    """A body that cannot be accepted; the message is the reason given back (HTTP 400)."""


@dataclass(frozen=True)
class NormalizedRefund:
    """One refund, keyed by the store's refund id; amount is positive, in the order currency."""

    external_id: str
    amount: Decimal
    refunded_at: dt.datetime | None = None


@dataclass(frozen=True)
class LineItem:
    """One product line of an order, as the store sent it: ids as exact strings ("" when
    absent), the unit price as a 2-decimal string in the order currency ("" when unreadable)."""

    external_id: str
    product_id: str
    variant_id: str
    sku: str
    title: str
    quantity: int
    price: str

    def as_json(self) -> dict[str, str | int]:
        return {
            "id": self.external_id,
            "product_id": self.product_id,
            "variant_id": self.variant_id,
            "sku": self.sku,
            "title": self.title,
            "quantity": self.quantity,
            "price": self.price,
        }


@dataclass(frozen=True)
class NormalizedOrder:
    """An order snapshot as every source is reduced to.

    gross is the order total (shipping included) in the shop currency; cancelled orders keep
    it here but contribute 0 (see tracking.services.order_money). updated_at orders snapshots:
    a newer one replaces an older one.
    """

    source: str
    external_id: str
    currency: str
    gross: Decimal
    placed_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    status: str = ""
    cancelled: bool = False
    discount_codes: tuple[str, ...] = ()
    landing_url: str = ""
    referrer: str = ""
    click_id: str = ""
    customer_id: str = ""
    customer_email: str = ""
    refunds: tuple[NormalizedRefund, ...] = field(default_factory=tuple)
    line_items: tuple[LineItem, ...] = ()


def parse_json_bytes(body: bytes) -> Any:
    """JSON with exact numbers: decimals as Decimal, integers as int (never float)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError("body is not UTF-8") from exc
    try:
        return json.loads(text, parse_float=Decimal, parse_int=int)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"malformed JSON: {exc.msg} at line {exc.lineno}") from exc


def require_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object")
    return data


def require_fields(data: dict[str, Any], names: tuple[str, ...]) -> None:
    missing = [n for n in names if data.get(n) is None or data.get(n) == ""]
    if missing:
        raise PayloadError(f"missing required field(s): {', '.join(missing)}")


def exact_id(value: Any, name: str) -> str:
    """An id as an exact string: ints and strings pass, floats and the rest are refused."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PayloadError(f"{name} must be an integer or a string")
    text = str(value).strip()
    if not text or len(text) > MAX_EXTERNAL_ID:
        raise PayloadError(f"{name} must be 1 to {MAX_EXTERNAL_ID} characters")
    return text


def money(value: Any, name: str) -> Decimal:
    """A money amount from a JSON string or number, exact, at most 2 decimals kept."""
    if isinstance(value, bool) or value is None:
        raise PayloadError(f"{name} must be a decimal amount")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise PayloadError(f"{name} must be a decimal amount, got {value!r}") from exc
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise PayloadError(f"{name} must be a finite amount below {MAX_AMOUNT}")
    return amount.quantize(Decimal("0.01"))


def currency_code(value: Any, name: str = "currency") -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        raise PayloadError(f"{name} must be a 3-letter ISO 4217 code")
    return value.strip().upper()


def parse_when(value: Any, name: str, *, naive_is_utc: bool = True) -> dt.datetime | None:
    """An ISO 8601 time with its offset applied; a time without offset is read as UTC."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PayloadError(f"{name} must be an ISO 8601 date-time string")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python 3.11 accepts at most 6 fractional digits; Shopify sends 9 in some headers.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise PayloadError(f"{name} is not an ISO 8601 date-time: {value!r}") from exc
    if when.tzinfo is None:
        if not naive_is_utc:
            raise PayloadError(f"{name} needs a UTC offset")
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def normalize_code(code: Any) -> str:
    """A discount code as it is compared: trimmed; comparison itself is case-insensitive."""
    return str(code).strip() if code is not None else ""


def click_id_from_url(url: Any) -> str:
    """The ifd_click query parameter of a landing URL, relative or absolute; "" if absent.

    A value that is not URL-safe (or longer than 32 characters) is ignored, not trusted.
    """
    if not isinstance(url, str) or not url.strip():
        return ""
    try:
        query = urlsplit(url.strip()).query
    except ValueError:
        return ""
    values = parse_qs(query).get(CLICK_PARAM, [])
    for value in values:
        if CLICK_ID_RE.fullmatch(value):
            return value
    return ""


def text(value: Any, limit: int = 2000) -> str:
    return (
        str(value)[:limit] if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )


def _loose_id(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str) or value in (0, "0"):
        return ""
    return str(value).strip()[:MAX_EXTERNAL_ID]


def line_items(entries: Any, *, variant_key: str, title_key: str) -> tuple[LineItem, ...]:
    """The order's product lines. Line items are informative (money comes from the order
    total), so they are read leniently: entries that are not objects are skipped, and an
    unreadable quantity or price becomes 0 / "" instead of refusing the whole order."""
    if not isinstance(entries, list):
        return ()
    lines = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        quantity = entry.get("quantity")
        try:
            price = f"{money(entry.get('price'), 'line_items[].price')}"
        except PayloadError:
            price = ""
        lines.append(
            LineItem(
                external_id=_loose_id(entry.get("id")),
                product_id=_loose_id(entry.get("product_id")),
                variant_id=_loose_id(entry.get(variant_key)),
                sku=text(entry.get("sku"), 255),
                title=text(entry.get(title_key), 255),
                quantity=quantity
                if isinstance(quantity, int) and not isinstance(quantity, bool)
                else 0,
                price=price,
            )
        )
    return tuple(lines)
