"""A campaign's progress against its goals, from real rows: live posts' latest metrics,
tracked-link clicks, attributed orders and the budget. Every figure says what it was computed
from, and goals whose metric is not measured yet say so instead of showing 0."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from infludesk.analytics.metrics import kpi
from infludesk.campaigns.budget import budget_summary
from infludesk.campaigns.goals import CATALOGUE
from infludesk.campaigns.models import Campaign, DealPost, Goal
from infludesk.core.models import ExchangeRate
from infludesk.creators.models import AccountSnapshot, Post
from infludesk.tracking.currency import MissingRate, Rate, convert
from infludesk.tracking.models import Click, Conversion

NOT_MEASURED = {"sentiment", "survey_answers"}


@dataclass(frozen=True)
class Actuals:
    values: dict[str, Decimal | None]
    notes: dict[str, str]


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    label: str
    actual: Decimal | None
    pct_of_target: Decimal | None
    status: str  # met | behind | no_data
    note: str


def _posts_totals(campaign: Campaign) -> dict[str, int]:
    post_ids = DealPost.objects.filter(
        workspace_id=campaign.workspace_id, deal__campaign=campaign
    ).values("post_id")
    totals = Post.objects.filter(pk__in=post_ids).aggregate(
        reach=Sum("reach"),
        impressions=Sum("impressions"),
        likes=Sum("likes"),
        comments=Sum("comments"),
        shares=Sum("shares"),
        saves=Sum("saves"),
    )
    totals["posts"] = DealPost.objects.filter(deal__campaign=campaign).count()
    return {k: int(v or 0) for k, v in totals.items()}


def _revenue(campaign: Campaign) -> tuple[Decimal, int, int, dict[int, Decimal]]:
    """Net revenue of the campaign's attributed orders in the workspace currency, the number
    of conversions, orders left out for want of a rate, and revenue per deal."""
    workspace = campaign.workspace
    rates = [
        Rate(currency=r.currency, rate=r.rate, valid_from=r.valid_from)
        for r in ExchangeRate.objects.filter(workspace=workspace)
    ]
    total, conversions, missing = Decimal(0), 0, 0
    per_deal: dict[int, Decimal] = {}
    rows = Conversion.objects.filter(
        workspace=workspace, deal__campaign=campaign, order__cancelled=False
    ).select_related("order")
    for conversion in rows:
        order = conversion.order
        try:
            net = convert(
                amount=order.gross - order.refunded,
                currency=order.currency,
                target=workspace.currency,
                day=order.placed_at.date(),
                rates=rates,
            )
        except MissingRate:
            missing += 1
            continue
        conversions += 1
        total += net
        if conversion.deal_id is not None:
            per_deal[conversion.deal_id] = per_deal.get(conversion.deal_id, Decimal(0)) + net
    return total, conversions, missing, per_deal


def _follower_growth(campaign: Campaign) -> int | None:
    if campaign.starts_on is None:
        return None
    end = min(campaign.ends_on or dt.date.today(), dt.date.today())
    growth, seen = 0, 0
    accounts = campaign.deals.exclude(account=None).values_list("account_id", flat=True)
    for account_id in accounts:
        snaps = AccountSnapshot.objects.filter(account_id=account_id)
        first = snaps.filter(taken_at__date__gte=campaign.starts_on).order_by("taken_at").first()
        last = snaps.filter(taken_at__date__lte=end).order_by("-taken_at").first()
        if first and last and last.taken_at > first.taken_at:
            growth += last.followers - first.followers
            seen += 1
    return growth if seen else None


def campaign_actuals(*, campaign: Campaign) -> Actuals:
    """Measured values of every KPI in the catalogue for this campaign (None = no data)."""
    posts = _posts_totals(campaign)
    clicks = Click.objects.filter(
        workspace_id=campaign.workspace_id, link__deal__campaign=campaign, is_bot=False
    ).count()
    revenue, conversions, missing_rate, per_deal = _revenue(campaign)
    summary = budget_summary(campaign=campaign)
    deals = {d.pk: d for d in campaign.deals.all()}
    commission = sum(
        (rev * deals[pk].commission_pct / 100 for pk, rev in per_deal.items() if pk in deals),
        Decimal(0),
    )
    cost = summary.committed + commission
    engagements = posts["likes"] + posts["comments"] + posts["shares"] + posts["saves"]
    values: dict[str, Decimal | None] = {key: None for key in CATALOGUE}
    values.update(
        reach=Decimal(posts["reach"]) if posts["reach"] else None,
        impressions=Decimal(posts["impressions"]) if posts["impressions"] else None,
        comments=Decimal(posts["comments"]) if posts["posts"] else None,
        shares=Decimal(posts["shares"]) if posts["posts"] else None,
        ugc_pieces=Decimal(posts["posts"]),
        clicks=Decimal(clicks),
        conversions=Decimal(conversions),
        revenue=revenue,
    )
    if posts["reach"]:
        values["engagement_rate"] = kpi.engagement_rate_pct(
            engagements=engagements, reach=posts["reach"]
        )
    if cost > 0:
        values["roi"] = kpi.roi_pct(revenue=revenue, cost=cost)
        values["roas"] = kpi.roas(revenue=revenue, cost=cost)
        if conversions:
            values["cpa"] = kpi.cpa(cost=cost, conversions=conversions)
        if engagements:
            values["cpe"] = kpi.cpe(cost=cost, engagements=engagements)
    growth = _follower_growth(campaign)
    values["follower_growth"] = Decimal(growth) if growth is not None else None
    notes = {
        "reach": f"sum of the latest reach of {posts['posts']} live post(s)",
        "clicks": "clicks on the campaign's tracked links, bots excluded",
        "conversions": "orders credited to the campaign's deals, cancelled orders excluded"
        + (f"; {missing_rate} left out for want of an exchange rate" if missing_rate else ""),
        "cost": f"committed {summary.committed} + commission {commission:.2f} {campaign.currency}",
    }
    for key in NOT_MEASURED:
        notes[key] = "not measured yet: Infludesk does not collect this yet"
    return Actuals(values=values, notes=notes)


def goal_progress(*, campaign: Campaign) -> list[GoalProgress]:
    """Each campaign-level goal with its measured value and how far along it is."""
    actuals = campaign_actuals(campaign=campaign)
    result = []
    for goal in campaign.goals.filter(deal__isnull=True).order_by("deadline", "pk"):
        kpi_def = CATALOGUE.get(goal.metric)
        actual = actuals.values.get(goal.metric)
        note = actuals.notes.get(goal.metric, "")
        if actual is None or kpi_def is None:
            result.append(
                GoalProgress(
                    goal,
                    kpi_def.label if kpi_def else goal.metric,
                    None,
                    None,
                    "no_data",
                    note or "no data yet",
                )
            )
            continue
        if kpi_def.higher_is_better:
            pct = actual / goal.target * 100 if goal.target else None
            met = actual >= goal.target
        else:
            pct = goal.target / actual * 100 if actual else None
            met = actual <= goal.target
        result.append(
            GoalProgress(
                goal,
                kpi_def.label,
                actual,
                pct.quantize(Decimal("0.1")) if pct is not None else None,
                "met" if met else "behind",
                note,
            )
        )
    return result
