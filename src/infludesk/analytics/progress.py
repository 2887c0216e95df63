"""A campaign's progress against its goals, from real rows: live posts' latest metrics,
tracked-link clicks, attributed orders and the budget. Every figure says what it was computed
from, and goals whose metric is not measured yet say so instead of showing 0."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum

from infludesk.analytics.metrics import kpi, sentiment, survey
from infludesk.campaigns.budget import budget_summary
from infludesk.campaigns.goals import CATALOGUE
from infludesk.campaigns.models import Campaign, DealPost, Goal, SurveyResponse
from infludesk.core.models import ExchangeRate
from infludesk.creators.models import AccountSnapshot, Post, PostComment
from infludesk.tracking.currency import MissingRate, Rate, convert
from infludesk.tracking.models import Click, Conversion

# the most recent comments scored for sentiment (VADER scores about 30,000 a second)
SENTIMENT_SAMPLE = 20_000


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
    values["sentiment"], notes["sentiment"] = _sentiment(campaign)
    values["survey_answers"], notes["survey_answers"] = _survey(campaign)
    return Actuals(values=values, notes=notes)


def _sentiment(campaign: Campaign) -> tuple[Decimal | None, str]:
    """Net sentiment of the comments on the campaign's live posts (analytics/metrics/sentiment),
    with n and the 95% interval in the note; None below MIN_COMMENTS comments."""
    post_ids = DealPost.objects.filter(
        workspace_id=campaign.workspace_id, deal__campaign=campaign
    ).values("post_id")
    comments = PostComment.objects.filter(workspace_id=campaign.workspace_id, post_id__in=post_ids)
    total = comments.count()
    needed = sentiment.MIN_COMMENTS
    if total < needed:
        return None, (
            f"not enough comments: {total} on the live posts, {needed} needed "
            "(import them with the comments file under Creators > Import, or sync the accounts)"
        )
    texts = comments.order_by(F("posted_at").desc(nulls_last=True), "-pk").values_list(
        "text", flat=True
    )[:SENTIMENT_SAMPLE]
    result = sentiment.net_sentiment(sentiment.compound(text) for text in texts)
    of_total = f", the latest of {total}" if total > result.n else ""
    note = (
        f"share positive - share negative of n = {result.n} comments{of_total} (VADER); "
        f"95% CI {result.ci_low:.3f} to {result.ci_high:.3f}; {result.positive} positive, "
        f"{result.neutral} neutral, {result.negative} negative"
    )
    return Decimal(f"{result.net:.3f}"), note


def _survey(campaign: Campaign) -> tuple[Decimal, str]:
    """The number of survey answers; the note adds the mean score and its 95% interval."""
    answers = SurveyResponse.objects.filter(workspace_id=campaign.workspace_id, campaign=campaign)
    count = answers.count()
    if count == 0:
        return Decimal(0), "no survey answers yet: add or import them on the Survey answers page"
    scores = [float(s) for s in answers.values_list("score", flat=True) if s is not None]
    note = f"{count} answer(s)"
    if scores:
        mean = survey.score_mean(scores)
        note += f"; mean score {mean.mean:.2f} of n = {mean.n} scored"
        if mean.ci_low is not None and mean.ci_high is not None:
            note += f" (95% CI {mean.ci_low:.2f} to {mean.ci_high:.2f})"
    return Decimal(count), note


def goal_progress(*, campaign: Campaign, actuals: Actuals | None = None) -> list[GoalProgress]:
    """Each campaign-level goal with its measured value and how far along it is (from
    `actuals` when the caller already measured them)."""
    actuals = actuals or campaign_actuals(campaign=campaign)
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
