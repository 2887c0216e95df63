"""CSV import of orders: the columns, the row checks (errors name line and field), and the
import service shared by `infludesk import-orders` and the UI.

Columns (header row required; order does not matter; unknown columns are ignored):
    order_id*, placed_at*, currency*, total*, refunded, status, cancelled, discount_codes,
    landing_url, referrer, customer_id, customer_email, updated_at
placed_at / updated_at: ISO 8601 (an offset is applied; none means UTC; a bare date means
midnight UTC). discount_codes: several separated by ";" or ",". cancelled: true/false,
yes/no, 1/0. Orders are keyed by order_id (source "csv"): importing a file again updates
the same orders and never duplicates them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from infludesk.core.models import Workspace
from infludesk.tracking.stores.common import (
    NormalizedOrder,
    NormalizedRefund,
    PayloadError,
    click_id_from_url,
    currency_code,
    exact_id,
    money,
    parse_when,
)

REQUIRED = ("order_id", "placed_at", "currency", "total")
OPTIONAL = (
    "refunded",
    "status",
    "cancelled",
    "discount_codes",
    "landing_url",
    "referrer",
    "customer_id",
    "customer_email",
    "updated_at",
)
TRUE = {"true", "yes", "1", "y"}
FALSE = {"false", "no", "0", "n", ""}
CSV_REFUND_ID = "csv-refunded"
SOURCE = "csv"


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, field {self.field}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _when(value: str, name: str) -> dt.datetime | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        value = value.strip() + "T00:00:00+00:00"
    return parse_when(value, name)


def _parse_row(row: dict[str, str]) -> tuple[NormalizedOrder | None, list[tuple[str, str]]]:
    """A row -> (order, []) or (None, [(field, message), ...])."""
    errors: list[tuple[str, str]] = []
    values: dict[str, object] = {}

    def check(name: str, parse: Callable[[str], object]) -> None:
        raw = (row.get(name) or "").strip()
        if name in REQUIRED and not raw:
            errors.append((name, "is required"))
            return
        try:
            values[name] = parse(raw)
        except PayloadError as exc:
            errors.append((name, str(exc).removeprefix(f"{name} ")))

    check("order_id", lambda v: exact_id(v, "order_id"))
    check("placed_at", lambda v: _when(v, "placed_at"))
    check("currency", lambda v: currency_code(v, "currency"))
    check("total", lambda v: money(v, "total"))
    check("refunded", lambda v: money(v or "0", "refunded"))
    check("updated_at", lambda v: _when(v, "updated_at") if v else None)
    cancelled_raw = (row.get("cancelled") or "").strip().lower()
    if cancelled_raw not in TRUE | FALSE:
        errors.append(("cancelled", "must be true or false"))
    for name in ("total", "refunded"):
        amount = values.get(name)
        if isinstance(amount, Decimal) and amount < 0:
            errors.append((name, "must not be negative"))
    if errors:
        return None, errors
    total = values["total"]
    refunded = values["refunded"]
    assert isinstance(total, Decimal) and isinstance(refunded, Decimal)
    if refunded > total:
        return None, [("refunded", f"{refunded} is more than the total {total}")]
    landing = (row.get("landing_url") or "").strip()
    codes = tuple(c for c in re.split(r"[;,]", row.get("discount_codes") or "") if c.strip())
    order = NormalizedOrder(
        source=SOURCE,
        external_id=str(values["order_id"]),
        currency=str(values["currency"]),
        gross=total,
        placed_at=values["placed_at"],  # type: ignore[arg-type]
        updated_at=values.get("updated_at"),  # type: ignore[arg-type]
        status=(row.get("status") or "").strip()[:30],
        cancelled=cancelled_raw in TRUE - {""},
        discount_codes=tuple(c.strip() for c in codes),
        landing_url=landing,
        referrer=(row.get("referrer") or "").strip(),
        click_id=click_id_from_url(landing),
        customer_id=(row.get("customer_id") or "").strip()[:64],
        customer_email=(row.get("customer_email") or "").strip()[:254],
        refunds=(NormalizedRefund(external_id=CSV_REFUND_ID, amount=refunded),),
    )
    return order, []


def parse_orders_csv(text: str) -> tuple[list[tuple[int, NormalizedOrder]], list[RowError]]:
    """Pure: (line, order) for every good row and a RowError per bad field."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [RowError(1, c, "column is missing from the header") for c in missing]
    reader.fieldnames = header
    good: list[tuple[int, NormalizedOrder]] = []
    errors: list[RowError] = []
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # blank line
        order, problems = _parse_row(row)
        if order is None:
            errors.extend(RowError(line, name, message) for name, message in problems)
        else:
            good.append((line, order))
    return good, errors


def orders_import_csv(*, workspace: Workspace, text: str) -> ImportResult:
    """Import the good rows (each through order_upsert, like webhooks) and report the rest."""
    from infludesk.tracking.models import Order
    from infludesk.tracking.services import order_upsert

    good, errors = parse_orders_csv(text)
    result = ImportResult(errors=errors)
    for _line, order in good:
        exists = Order.objects.filter(
            workspace=workspace, source=SOURCE, external_id=order.external_id
        ).exists()
        order_upsert(workspace=workspace, order=order)
        if exists:
            result.updated += 1
        else:
            result.created += 1
    return result
