"""Reads for the dashboard: KPI tiles and the 30-day clicks/orders chart, from real rows.

The window is the last ``days`` calendar days in the workspace's time zone, today included.
Clicks flagged as bots are left out of the click figures (their number is reported apart).
Orders count when not cancelled; net revenue = sum(gross - refunded) of those orders, converted
into the workspace currency with the newest exchange rate on or before each order's local date
(tracking.currency.rate_on): net = sum over (day, currency) of sum(gross - refunded) x rate,
rounded to the cent once at the end.
Orders in a currency with no such rate are not converted and are reported apart, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import BooleanField, Case, Count, F, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from infludesk.campaigns.models import PIPELINE, Campaign, CampaignStatus, Deal, Stage
from infludesk.core.models import ExchangeRate, Workspace
from infludesk.creators.models import Creator, SocialAccount
from infludesk.tracking.currency import MissingRate, Rate, rate_on
from infludesk.tracking.models import Click, Order

CENT = Decimal("0.01")
STAGE_ORDER = [*PIPELINE, Stage.DECLINED, Stage.CANCELLED]


@dataclass
class DailySeries:
    days: list[dt.date]
    clicks: list[int]
    orders: list[int]


@dataclass
class DashboardKpis:
    currency: str
    window_start: dt.date
    window_end: dt.date
    creators: int
    accounts: int
    active_campaigns: int
    deals_by_stage: list[tuple[str, int]]  # (stage label, count), pipeline order, non-zero only
    deals_total: int
    clicks: int
    bot_clicks: int
    orders: int
    attributed_orders: int
    net_revenue: Decimal
    attributed_net_revenue: Decimal
    unconverted_orders: dict[str, int] = field(default_factory=dict)  # currency -> orders
    daily: DailySeries = field(default_factory=lambda: DailySeries([], [], []))

    @property
    def has_traffic(self) -> bool:
        return self.clicks > 0 or self.bot_clicks > 0 or self.orders > 0


def workspace_zone(workspace: Workspace) -> dt.tzinfo:
    try:
        return ZoneInfo(workspace.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _window(zone: dt.tzinfo, days: int, now: dt.datetime | None) -> tuple[dt.date, dt.date]:
    today = (now or timezone.now()).astimezone(zone).date()
    return today - dt.timedelta(days=days - 1), today


def _window_start(zone: dt.tzinfo, start: dt.date) -> dt.datetime:
    return dt.datetime.combine(start, dt.time.min).replace(tzinfo=zone)


def _deals_by_stage(workspace: Workspace) -> tuple[list[tuple[str, int]], int]:
    counts = dict(
        Deal.objects.filter(workspace=workspace)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    ordered = [(Stage(s).label, counts[s]) for s in STAGE_ORDER if counts.get(s)]
    return ordered, sum(counts.values())


def _rates(workspace: Workspace, currencies: set[str]) -> list[Rate]:
    if not currencies:
        return []
    return [
        Rate(currency=currency, rate=rate, valid_from=valid_from)
        for currency, rate, valid_from in ExchangeRate.objects.filter(
            workspace=workspace, currency__in=currencies
        ).values_list("currency", "rate", "valid_from")
    ]


def dashboard_kpis(
    *, workspace: Workspace, days: int = 30, now: dt.datetime | None = None
) -> DashboardKpis:
    """Every figure on the dashboard, computed from the workspace's rows (see module doc)."""
    zone = workspace_zone(workspace)
    start, end = _window(zone, days, now)
    since = _window_start(zone, start)
    deals_by_stage, deals_total = _deals_by_stage(workspace)
    kpis = DashboardKpis(
        currency=workspace.currency,
        window_start=start,
        window_end=end,
        creators=Creator.objects.filter(workspace=workspace).count(),
        accounts=SocialAccount.objects.filter(workspace=workspace).count(),
        active_campaigns=Campaign.objects.filter(
            workspace=workspace, status=CampaignStatus.ACTIVE
        ).count(),
        deals_by_stage=deals_by_stage,
        deals_total=deals_total,
        clicks=0,
        bot_clicks=0,
        orders=0,
        attributed_orders=0,
        net_revenue=Decimal("0.00"),
        attributed_net_revenue=Decimal("0.00"),
    )
    all_days = [start + dt.timedelta(days=i) for i in range(days)]
    clicks_per_day = _clicks(kpis, workspace, zone, since)
    orders_per_day = _orders(kpis, workspace, zone, since)
    kpis.daily = DailySeries(
        days=all_days,
        clicks=[clicks_per_day.get(d, 0) for d in all_days],
        orders=[orders_per_day.get(d, 0) for d in all_days],
    )
    return kpis


def _clicks(
    kpis: DashboardKpis, workspace: Workspace, zone: dt.tzinfo, since: dt.datetime
) -> dict[dt.date, int]:
    per_day: dict[dt.date, int] = defaultdict(int)
    rows = (
        Click.objects.filter(workspace=workspace, clicked_at__gte=since)
        .annotate(day=TruncDate("clicked_at", tzinfo=zone))
        .values("day", "is_bot")
        .annotate(n=Count("id"))
        .values_list("day", "is_bot", "n")
    )
    for day, is_bot, n in rows:
        if is_bot:
            kpis.bot_clicks += n
        else:
            kpis.clicks += n
            per_day[day] += n
    return per_day


def _orders(
    kpis: DashboardKpis, workspace: Workspace, zone: dt.tzinfo, since: dt.datetime
) -> dict[dt.date, int]:
    per_day: dict[dt.date, int] = defaultdict(int)
    rows = list(
        Order.objects.filter(workspace=workspace, placed_at__gte=since, cancelled=False)
        .annotate(
            day=TruncDate("placed_at", tzinfo=zone),
            attributed=Case(
                When(conversion__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values("day", "currency", "attributed")
        .annotate(n=Count("id"), net_total=Sum(F("gross") - F("refunded")))
        .values_list("day", "currency", "attributed", "n", "net_total")
    )
    foreign = {currency for _, currency, _, _, _ in rows if currency != workspace.currency}
    rates = _rates(workspace, foreign)
    unconverted: dict[str, int] = defaultdict(int)
    for day, currency, attributed, n, net in rows:
        kpis.orders += n
        per_day[day] += n
        if attributed:
            kpis.attributed_orders += n
        amount = Decimal(str(net or 0))
        if currency != workspace.currency:
            try:
                amount = amount * rate_on(rates=rates, currency=currency, day=day)
            except MissingRate:
                unconverted[currency] += n
                continue
        kpis.net_revenue += amount
        if attributed:
            kpis.attributed_net_revenue += amount
    kpis.net_revenue = kpis.net_revenue.quantize(CENT)
    kpis.attributed_net_revenue = kpis.attributed_net_revenue.quantize(CENT)
    kpis.unconverted_orders = dict(sorted(unconverted.items()))
    return per_day
