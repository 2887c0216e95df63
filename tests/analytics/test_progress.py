"""Campaign progress against goals from real rows (hand-worked numbers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from infludesk.analytics.progress import campaign_actuals, goal_progress
from infludesk.campaigns.models import DealPost
from infludesk.core.models import ExchangeRate
from infludesk.tracking.models import Conversion
from tests.factories import (
    CampaignFactory,
    ClickFactory,
    DealFactory,
    GoalFactory,
    OrderFactory,
    PostFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
)

D = Decimal


def _campaign(workspace):
    campaign = CampaignFactory(workspace=workspace, currency="USD", budget=D("5000"))
    account = SocialAccountFactory(workspace=workspace)
    deal = DealFactory(
        workspace=workspace,
        campaign=campaign,
        creator=account.creator,
        account=account,
        fee_cash=D("1000"),
        commission_pct=D("10"),
        currency="USD",
        stage="live",
    )
    for pid, (likes, comments, reach) in enumerate([(900, 100, 20_000), (400, 100, 10_000)]):
        post = PostFactory(
            workspace=workspace,
            account=account,
            platform_post_id=f"p{pid}",
            likes=likes,
            comments=comments,
            reach=reach,
            impressions=reach * 2,
        )
        DealPost.objects.create(workspace=workspace, deal=deal, post=post)
    link = TrackedLinkFactory(workspace=workspace, creator=account.creator, deal=deal)
    for _ in range(40):
        ClickFactory(workspace=workspace, link=link)
    ClickFactory(workspace=workspace, link=link, is_bot=True)
    now = timezone.now()
    orders = [
        OrderFactory(workspace=workspace, gross=D("1200.00"), currency="USD", placed_at=now),
        OrderFactory(
            workspace=workspace,
            gross=D("800.00"),
            refunded=D("200.00"),
            currency="EUR",
            placed_at=now,
        ),
        OrderFactory(
            workspace=workspace, gross=D("500.00"), currency="USD", cancelled=True, placed_at=now
        ),
        OrderFactory(workspace=workspace, gross=D("300.00"), currency="GBP", placed_at=now),
    ]
    for order in orders:
        Conversion.objects.create(
            workspace=workspace, order=order, creator=account.creator, deal=deal, matched_by="code"
        )
    ExchangeRate.objects.create(
        workspace=workspace, currency="EUR", rate=D("1.10"), valid_from=dt.date(2026, 1, 1)
    )
    return campaign


def test_given_posts_clicks_and_orders_then_actuals_are_exact(workspace):
    actuals = campaign_actuals(campaign=_campaign(workspace)).values
    # revenue: 1200 USD + (800-200) EUR x 1.10 = 660 -> 1860; GBP has no rate; cancelled out
    # cost: committed 1000 + 10% commission of 1860 = 186 -> 1186
    assert actuals["reach"] == D("30000")
    assert actuals["impressions"] == D("60000")
    assert actuals["engagement_rate"] == D("5")  # (1000 + 500) / 30000 x 100
    assert (actuals["clicks"], actuals["conversions"], actuals["revenue"]) == (
        D("40"),
        D("2"),
        D("1860.00"),
    )
    assert actuals["cpa"] == D("593")  # 1186 / 2
    assert actuals["roi"].quantize(D("0.01")) == D("56.83")  # (1860 - 1186) / 1186 x 100
    assert actuals["sentiment"] is None


def test_given_goals_then_progress_says_met_behind_or_no_data(workspace):
    campaign = _campaign(workspace)
    GoalFactory(
        workspace=workspace,
        campaign=campaign,
        metric="clicks",
        target=D("50"),
        deadline=dt.date(2026, 12, 1),
    )
    GoalFactory(
        workspace=workspace,
        campaign=campaign,
        metric="cpa",
        target=D("600"),
        deadline=dt.date(2026, 12, 2),
    )
    GoalFactory(
        workspace=workspace,
        campaign=campaign,
        metric="sentiment",
        target=D("0.5"),
        deadline=dt.date(2026, 12, 3),
    )
    rows = goal_progress(campaign=campaign)
    assert [(r.goal.metric, r.actual, r.pct_of_target, r.status) for r in rows] == [
        ("clicks", D("40"), D("80.0"), "behind"),
        ("cpa", D("593"), D("101.2"), "met"),
        ("sentiment", None, None, "no_data"),
    ]
    assert rows[2].note.startswith("not enough comments: 0 on the live posts, 30 needed")
