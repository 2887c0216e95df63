"""A workspace's customer journeys, built from its orders, clicks and discount codes.

A journey is the ordered list of creators (channels) a customer touched before an order:

- clicks: the order's click (Order.click_id, or the click of its Conversion) identifies the
  visitor; every unique, non-bot click of that visitor (same Click.visitor_hash) from
  `window_days` before the order up to the order is a touchpoint, oldest first. A click without
  a visitor hash is a touchpoint on its own when it falls in the window.
- discount codes: a code of a creator used on the order (Order.discount_codes, matched trimmed
  and case-insensitively, or the code of its Conversion) puts that creator on the journey.
  With `code_rule="code_wins"` (default) the code's creator takes the whole journey (the clicks
  are dropped); with `code_rule="touchpoint"` the code is one more touchpoint, last, at the
  time of the order.
- an order with no touchpoint is unattributed: counted and listed, never silently dropped.
  Cancelled and fully refunded orders are no conversions and are counted as excluded.
- visitors whose clicks led to no order make the null journeys (the clicks in the window before
  their last click), which the Markov model needs.

The channel name of a creator is the handle of its first social account, else its name
(">" is replaced, since it separates channels; a clash gets " #<creator id>").
Conversion value = the order's net amount in the workspace currency (newest rate on or before
the order day); an order without a rate still counts as a conversion, with value 0, and is
listed in `orders_without_rate`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from infludesk.core.models import ExchangeRate, Workspace
from infludesk.creators.models import Creator, SocialAccount
from infludesk.tracking.models import Click, DiscountCode, Order

CODE_WINS = "code_wins"
CODE_TOUCHPOINT = "touchpoint"
CODE_RULES = (CODE_WINS, CODE_TOUCHPOINT)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class _Touch:
    at: dt.datetime
    creator_id: int
    click_id: str
    visitor: str


@dataclass
class JourneyExport:
    """Grouped journeys (path, conversions, nulls, value) and what could not be attributed."""

    rows: list[tuple[tuple[str, ...], int, int, Decimal]]
    orders: int = 0
    attributed_orders: int = 0
    unattributed_orders: list[str] = field(default_factory=list)
    excluded_orders: int = 0
    orders_without_rate: list[str] = field(default_factory=list)
    null_journeys: int = 0

    def summary(self) -> dict[str, object]:
        return {
            "orders": self.orders,
            "attributed_orders": self.attributed_orders,
            "unattributed_orders": len(self.unattributed_orders),
            "unattributed_order_ids": self.unattributed_orders,
            "excluded_orders": self.excluded_orders,
            "orders_without_rate": self.orders_without_rate,
            "null_journeys": self.null_journeys,
        }


def channel_names(*, workspace: Workspace) -> dict[int, str]:
    """creator id -> channel name (first social account handle, else the creator's name)."""
    handles: dict[int, str] = {}
    accounts = SocialAccount.objects.filter(workspace=workspace).order_by("id")
    for creator_id, handle in accounts.values_list("creator_id", "handle"):
        handles.setdefault(creator_id, handle)
    names: dict[int, str] = {}
    taken: set[str] = set()
    for creator_id, name in (
        Creator.objects.filter(workspace=workspace).order_by("id").values_list("id", "name")
    ):
        label = (handles.get(creator_id) or name).replace(
            ">", "-"
        ).strip() or f"creator {creator_id}"
        if label in taken:
            label = f"{label} #{creator_id}"
        taken.add(label)
        names[creator_id] = label
    return names


def _name(names: dict[int, str], creator_id: int) -> str:
    return names.get(creator_id, f"creator {creator_id}")


def build_journeys(
    *, workspace: Workspace, window_days: int = 30, code_rule: str = CODE_WINS
) -> JourneyExport:
    """The workspace's journeys, grouped by path (see the module doc for the rules)."""
    if code_rule not in CODE_RULES:
        raise ValueError(f"code_rule must be one of {', '.join(CODE_RULES)}")
    if window_days < 0:
        raise ValueError("window_days must be >= 0")
    window = dt.timedelta(days=window_days)
    names = channel_names(workspace=workspace)
    codes = {
        code.strip().upper(): creator_id
        for code, creator_id in DiscountCode.objects.filter(workspace=workspace).values_list(
            "code", "creator_id"
        )
    }
    by_click_id, by_visitor = _load_clicks(workspace)
    rates = _load_rates(workspace)
    export = JourneyExport(rows=[])
    grouped: dict[tuple[str, ...], list] = defaultdict(lambda: [0, 0, Decimal(0)])
    ordering_visitors: set[str] = set()
    used_clicks: set[str] = set()
    orders = (
        Order.objects.filter(workspace=workspace)
        .select_related("conversion", "conversion__click", "conversion__code")
        .order_by("placed_at", "id")
    )
    for order in orders:
        export.orders += 1
        net = Decimal(0) if order.cancelled else order.gross - order.refunded
        if net <= 0:
            export.excluded_orders += 1
            continue
        clicks = _order_clicks(order, by_click_id, by_visitor, window)
        for touch in clicks:
            used_clicks.add(touch.click_id)
            if touch.visitor:
                ordering_visitors.add(touch.visitor)
        code_creators = _order_code_creators(order, codes)
        if code_creators and code_rule == CODE_WINS:
            path = tuple(_name(names, c) for c in code_creators)
        else:
            path = tuple(_name(names, t.creator_id) for t in clicks) + tuple(
                _name(names, c) for c in code_creators
            )
        if not path:
            export.unattributed_orders.append(order.external_id)
            continue
        export.attributed_orders += 1
        value = _in_workspace_currency(order, net, workspace, rates, export)
        acc = grouped[path]
        acc[0] += 1
        acc[2] += value
    for creators in _null_paths(by_click_id, by_visitor, ordering_visitors, used_clicks, window):
        export.null_journeys += 1
        grouped[tuple(_name(names, c) for c in creators)][1] += 1
    export.rows = [(p, int(a[0]), int(a[1]), a[2]) for p, a in sorted(grouped.items())]
    return export


def _load_clicks(
    workspace: Workspace,
) -> tuple[dict[str, _Touch], dict[str, list[_Touch]]]:
    by_click_id: dict[str, _Touch] = {}
    by_visitor: dict[str, list[_Touch]] = defaultdict(list)
    rows = (
        Click.objects.filter(workspace=workspace, is_bot=False)
        .order_by("clicked_at", "id")
        .values_list("click_id", "clicked_at", "visitor_hash", "link__creator_id", "is_unique")
    )
    for click_id, at, visitor, creator_id, is_unique in rows:
        touch = _Touch(at=at, creator_id=creator_id, click_id=click_id, visitor=visitor)
        by_click_id[click_id] = touch
        # Repeats within 30 minutes (is_unique=False) are one visit, not another touchpoint.
        if visitor and is_unique:
            by_visitor[visitor].append(touch)
    return by_click_id, by_visitor


def _order_clicks(
    order: Order,
    by_click_id: dict[str, _Touch],
    by_visitor: dict[str, list[_Touch]],
    window: dt.timedelta,
) -> list[_Touch]:
    anchor = by_click_id.get(order.click_id) if order.click_id else None
    conversion = getattr(order, "conversion", None)
    if anchor is None and conversion is not None and conversion.click is not None:
        anchor = by_click_id.get(conversion.click.click_id)
    if anchor is None:
        return []
    start, end = order.placed_at - window, order.placed_at
    candidates = by_visitor.get(anchor.visitor, []) if anchor.visitor else []
    touches = [t for t in candidates if start <= t.at <= end]
    if start <= anchor.at <= end and all(t.click_id != anchor.click_id for t in touches):
        touches.append(anchor)
        touches.sort(key=lambda t: t.at)
    return touches


def _order_code_creators(order: Order, codes: dict[str, int]) -> list[int]:
    found: list[int] = []
    for used in order.discount_codes or []:
        text = used.get("code", "") if isinstance(used, dict) else str(used)
        creator_id = codes.get(text.strip().upper())
        if creator_id is not None and creator_id not in found:
            found.append(creator_id)
    conversion = getattr(order, "conversion", None)
    code = conversion.code if conversion is not None else None
    if code is not None and code.creator_id not in found:
        found.append(code.creator_id)
    return found


def _null_paths(
    by_click_id: dict[str, _Touch],
    by_visitor: dict[str, list[_Touch]],
    ordering_visitors: set[str],
    used_clicks: set[str],
    window: dt.timedelta,
) -> list[list[int]]:
    paths: list[list[int]] = []
    for visitor, touches in sorted(by_visitor.items()):
        if visitor in ordering_visitors or not touches:
            continue
        last = touches[-1].at
        paths.append([t.creator_id for t in touches if t.at >= last - window])
    for click_id, touch in sorted(by_click_id.items()):
        if not touch.visitor and click_id not in used_clicks:
            paths.append([touch.creator_id])
    return paths


def _load_rates(workspace: Workspace) -> dict[str, list[tuple[dt.date, Decimal]]]:
    rates: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    rows = ExchangeRate.objects.filter(workspace=workspace).order_by("valid_from")
    for currency, valid_from, rate in rows.values_list("currency", "valid_from", "rate"):
        rates[currency.upper()].append((valid_from, rate))
    return rates


def _in_workspace_currency(
    order: Order,
    net: Decimal,
    workspace: Workspace,
    rates: dict[str, list[tuple[dt.date, Decimal]]],
    export: JourneyExport,
) -> Decimal:
    """net x the newest rate on or before the order day, to the cent; 0 (and listed) if none."""
    if order.currency.upper() == workspace.currency.upper():
        return net
    day = order.placed_at.date()
    applicable = [
        rate for valid_from, rate in rates.get(order.currency.upper(), []) if valid_from <= day
    ]
    if not applicable:
        export.orders_without_rate.append(order.external_id)
        return Decimal(0)
    return (net * applicable[-1]).quantize(CENT, rounding=ROUND_HALF_UP)
