"""The dashboard: KPI tiles and the 30-day chart, computed from the workspace's rows only."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from infludesk.analytics.dashboard import dashboard_kpis
from infludesk.campaigns.models import CampaignStatus, Stage
from infludesk.core.models import ExchangeRate
from infludesk.tracking.models import Conversion, MatchedBy
from tests.factories import (
    CampaignFactory,
    ClickFactory,
    CreatorFactory,
    DealFactory,
    OrderFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def tile(html: str, name: str) -> str:
    """The text of a tile's value, without its markup."""
    block = html.split(f'id="kpi-{name}"')[1]
    found = re.search(r'<div class="value[^"]*">(.*?)</div>', block, flags=re.S)
    assert found is not None
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def test_empty_workspace_says_no_data_yet(owner_client):
    html = owner_client.get("/").content.decode()
    for name in ["creators", "accounts", "deals", "clicks", "orders", "revenue"]:
        assert tile(html, name) == "no data yet"
    assert tile(html, "campaigns") == "0"
    assert "No clicks or orders in the last 30 days yet." in html
    assert "plotly.min.js" not in html


@pytest.fixture
def rows(workspace, other_workspace):
    """Two creators (3 accounts) and four in deals, one active campaign with deals in three
    stages, clicks and orders inside and outside the window, and rows in another workspace
    that must not count."""
    now = timezone.now()
    ana = CreatorFactory(workspace=workspace)
    SocialAccountFactory(creator=ana)
    SocialAccountFactory(creator=ana, handle="ana2")
    SocialAccountFactory(creator__workspace=workspace)
    active = CampaignFactory(workspace=workspace, status=CampaignStatus.ACTIVE)
    CampaignFactory(workspace=workspace, status=CampaignStatus.DRAFT)
    DealFactory(campaign=active, stage=Stage.PROSPECT)
    DealFactory(campaign=active, stage=Stage.PROSPECT)
    DealFactory(campaign=active, stage=Stage.LIVE)
    DealFactory(campaign=active, stage=Stage.DECLINED)
    link = TrackedLinkFactory(creator=ana)
    ClickFactory.create_batch(3, link=link, clicked_at=now - dt.timedelta(days=1))
    ClickFactory(link=link, clicked_at=now)
    ClickFactory(link=link, clicked_at=now, is_bot=True)
    ClickFactory(link=link, clicked_at=now - dt.timedelta(days=40))
    attributed = OrderFactory(workspace=workspace, gross=Decimal("100.00"), placed_at=now)
    Conversion.objects.create(
        workspace=workspace, order=attributed, creator=ana, matched_by=MatchedBy.CODE
    )
    OrderFactory(
        workspace=workspace,
        gross=Decimal("50.00"),
        refunded=Decimal("10.00"),
        placed_at=now - dt.timedelta(days=1),
    )
    OrderFactory(workspace=workspace, gross=Decimal("70.00"), placed_at=now, cancelled=True)
    OrderFactory(workspace=workspace, gross=Decimal("80.00"), placed_at=now - dt.timedelta(40))
    # another workspace's rows
    theirs = CreatorFactory(workspace=other_workspace)
    SocialAccountFactory(creator=theirs)
    CampaignFactory(workspace=other_workspace, status=CampaignStatus.ACTIVE)
    ClickFactory(link=TrackedLinkFactory(creator=theirs), clicked_at=now)
    OrderFactory(workspace=other_workspace, gross=Decimal("999.00"), placed_at=now)


def test_tiles_show_exact_figures_from_this_workspace(owner_client, rows):
    html = owner_client.get("/").content.decode()
    # two creators with accounts and four more made for the deals
    assert tile(html, "creators") == "6"
    assert tile(html, "accounts") == "3"
    assert tile(html, "campaigns") == "1"
    assert tile(html, "deals") == "4"
    assert "<li><span>Prospect</span><span>2</span></li>" in html
    assert "<li><span>Live</span><span>1</span></li>" in html
    assert "<li><span>Declined</span><span>1</span></li>" in html
    assert tile(html, "clicks") == "4"
    assert "1 bot clicks not counted" in html
    assert tile(html, "orders") == "2"
    assert "1 attributed to creators" in html
    assert tile(html, "revenue") == "140.00 USD"
    assert "100.00 USD attributed to creators" in html


def test_chart_has_daily_clicks_and_orders(owner_client, rows):
    html = owner_client.get("/").content.decode()
    found = re.search(r'<script id="daily-chart" type="application/json">(.*?)</script>', html)
    assert found is not None
    clicks, orders = json.loads(found.group(1))["data"]
    assert len(clicks["x"]) == 30
    assert clicks["y"][-2:] == [3, 1] and sum(clicks["y"]) == 4
    assert orders["y"][-2:] == [1, 1] and sum(orders["y"]) == 2
    assert 'src="/vendor/plotly.min.js"' in html


def test_foreign_currency_orders_are_converted_with_the_rate_of_their_day(workspace):
    ExchangeRate.objects.create(
        workspace=workspace, currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2026, 1, 1)
    )
    ExchangeRate.objects.create(
        workspace=workspace, currency="EUR", rate=Decimal("1.20"), valid_from=dt.date(2026, 11, 25)
    )
    OrderFactory(workspace=workspace, currency="EUR", gross=Decimal("20.00"), placed_at=NOW)
    OrderFactory(
        workspace=workspace,
        currency="EUR",
        gross=Decimal("10.00"),
        placed_at=NOW - dt.timedelta(days=3),
    )
    OrderFactory(workspace=workspace, currency="GBP", gross=Decimal("30.00"), placed_at=NOW)
    kpis = dashboard_kpis(workspace=workspace, now=NOW)
    # 20 x 1.20 + 10 x 1.10 = 35.00; the GBP order has no rate and is reported apart
    assert kpis.net_revenue == Decimal("35.00")
    assert kpis.orders == 3
    assert kpis.unconverted_orders == {"GBP": 1}


def test_unconverted_orders_are_named_on_the_page(owner_client, workspace):
    OrderFactory(workspace=workspace, currency="GBP", gross=Decimal("30.00"))
    html = owner_client.get("/").content.decode()
    assert "1 order in GBP not included: no exchange rate to USD" in html
    assert tile(html, "revenue") == "0.00 USD"


def test_window_follows_the_workspace_time_zone(workspace):
    # given a workspace in Tokyo (UTC+9): 2026-11-24 20:00 UTC is already the 25th there
    workspace.time_zone = "Asia/Tokyo"
    workspace.save()
    link = TrackedLinkFactory(creator__workspace=workspace)
    ClickFactory(link=link, clicked_at=dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.UTC))
    # 2026-10-26 14:00 UTC is Oct 26 23:00 in Tokyo: one day before the 30-day window
    ClickFactory(link=link, clicked_at=dt.datetime(2026, 10, 26, 14, 0, tzinfo=dt.UTC))
    kpis = dashboard_kpis(workspace=workspace, now=NOW)
    assert (kpis.window_start, kpis.window_end) == (dt.date(2026, 10, 27), dt.date(2026, 11, 25))
    assert kpis.clicks == 1
    assert kpis.daily.clicks[-1] == 1


def test_dashboard_query_count_is_fixed(owner_client, rows, django_assert_max_num_queries):
    # session, user, member, memberships, 3 counts, deals by stage, clicks, orders
    with django_assert_max_num_queries(10):
        assert owner_client.get("/").status_code == 200
