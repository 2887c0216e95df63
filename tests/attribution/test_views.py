"""The campaign attribution page: models side by side, intervals, unattributed share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infludesk.attribution.engine import attribute, bootstrap_shares, table_from_rows
from infludesk.attribution.journeys import build_journeys
from infludesk.attribution.selectors import MODEL_ORDER, N_BOOT, OTHER, campaign_rows
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)


def _url(campaign, query: str = "") -> str:
    return f"/attribution/campaigns/{campaign.pk}/{query}"


@pytest.fixture
def campaign_data(workspace):
    """Anna (code ANNA15 + clicks), Ben (clicks), Cleo (another campaign), one order with no
    touchpoint. Journeys: visitor v1 clicks Ben then Anna and orders 100 (click id of Anna);
    an order with ANNA15 for 50; visitor v2 clicks Ben and orders 80; visitor v3 clicks Ben and
    never orders; an order of 30 with nothing; Cleo's code order of 40 (other campaign)."""
    campaign = f.CampaignFactory(workspace=workspace, name="Spring")
    other_campaign = f.CampaignFactory(workspace=workspace, name="Winter")
    anna = f.CreatorFactory(workspace=workspace, name="Anna")
    ben = f.CreatorFactory(workspace=workspace, name="Ben")
    cleo = f.CreatorFactory(workspace=workspace, name="Cleo")
    f.SocialAccountFactory(creator=anna, handle="anna.runs")
    f.SocialAccountFactory(creator=ben, handle="ben.trails")
    f.SocialAccountFactory(creator=cleo, handle="cleo.fit")
    deal_a = f.DealFactory(campaign=campaign, creator=anna)
    deal_b = f.DealFactory(campaign=campaign, creator=ben)
    deal_c = f.DealFactory(campaign=other_campaign, creator=cleo)
    link_a = f.TrackedLinkFactory(creator=anna, deal=deal_a)
    link_b = f.TrackedLinkFactory(creator=ben, deal=deal_b)
    f.DiscountCodeFactory(creator=anna, deal=deal_a, code="ANNA15")
    f.DiscountCodeFactory(creator=cleo, deal=deal_c, code="CLEO10")
    f.ClickFactory(link=link_b, click_id="c1", visitor_hash="v1", clicked_at=DAY)
    f.ClickFactory(
        link=link_a, click_id="c2", visitor_hash="v1", clicked_at=DAY + dt.timedelta(hours=2)
    )
    f.ClickFactory(link=link_b, click_id="c3", visitor_hash="v2", clicked_at=DAY)
    f.ClickFactory(link=link_b, click_id="c4", visitor_hash="v3", clicked_at=DAY)
    later = DAY + dt.timedelta(days=1)
    f.OrderFactory(
        workspace=workspace,
        external_id="1001",
        gross=Decimal("100"),
        click_id="c2",
        placed_at=later,
    )
    f.OrderFactory(
        workspace=workspace,
        external_id="1002",
        gross=Decimal("50"),
        discount_codes=[{"code": "anna15"}],
        placed_at=later,
    )
    f.OrderFactory(
        workspace=workspace, external_id="1003", gross=Decimal("80"), click_id="c3", placed_at=later
    )
    f.OrderFactory(workspace=workspace, external_id="1004", gross=Decimal("30"), placed_at=later)
    f.OrderFactory(
        workspace=workspace,
        external_id="1005",
        gross=Decimal("40"),
        discount_codes=[{"code": "CLEO10"}],
        placed_at=later,
    )
    return campaign


def _engine_table(workspace, campaign_channels, **kwargs):
    export = build_journeys(workspace=workspace, **kwargs)
    rows = campaign_rows(export=export, channels=campaign_channels)
    return table_from_rows((p, c, n, float(v)) for p, c, n, v in rows)


def test_given_journeys_when_page_opens_then_every_model_equals_the_engine(
    owner_client, workspace, campaign_data
):
    response = owner_client.get(_url(campaign_data))
    assert response.status_code == 200
    report = response.context["report"]
    table = _engine_table(workspace, {"anna.runs", "ben.trails"})
    assert [r.channel for r in report.rows] == ["anna.runs", "ben.trails"]
    for i, model in enumerate(MODEL_ORDER):
        result = attribute(table, model)
        ci = bootstrap_shares(table, model, n_boot=N_BOOT, seed=0)
        for row in report.rows:
            j = table.channels.index(row.channel)
            cell = row.cells[i]
            assert (cell.conversions, cell.revenue) == (result.credit[j], result.value[j])
            assert (cell.share, cell.low, cell.high) == (ci.share[j], ci.low[j], ci.high[j])


def test_given_journeys_when_page_opens_then_last_touch_credits_are_shown_exactly(
    owner_client, campaign_data
):
    report = owner_client.get(_url(campaign_data)).context["report"]
    last = MODEL_ORDER.index("last_touch")
    first = MODEL_ORDER.index("first_touch")
    # v1: ben > anna (100), code: anna (50), v2: ben (80), v3: ben without order
    assert [(r.channel, r.cells[last].conversions, r.cells[last].revenue) for r in report.rows] == [
        ("anna.runs", 2.0, 150.0),
        ("ben.trails", 1.0, 80.0),
    ]
    assert [r.cells[first].conversions for r in report.rows] == [1.0, 2.0]
    assert (report.journeys, report.converting_journeys, report.revenue) == (4, 3, 230.0)


def test_given_an_order_without_touchpoint_then_the_unattributed_share_is_shown(
    owner_client, campaign_data
):
    response = owner_client.get(_url(campaign_data))
    report = response.context["report"]
    assert (report.unattributed_orders, round(report.unattributed_share, 4)) == (1, 0.25)
    body = response.content.decode()
    assert "<strong>1 order</strong> placed during the campaign had no touchpoint" in body
    assert "<strong>25.0%</strong> of the 4 orders" in body
    assert f"4 journeys, {N_BOOT} resamples" in body
    assert 'id="attribution-chart"' in body


def test_given_code_as_touchpoint_when_requested_then_settings_apply(
    owner_client, workspace, campaign_data
):
    report = owner_client.get(_url(campaign_data, "?window_days=0&code_rule=touchpoint")).context[
        "report"
    ]
    assert (report.window_days, report.code_rule) == (0, "touchpoint")
    table = _engine_table(
        workspace, {"anna.runs", "ben.trails"}, window_days=0, code_rule="touchpoint"
    )
    assert report.converting_journeys == int(table.conversions.sum())


def test_given_another_campaigns_code_then_its_creator_is_not_listed(owner_client, campaign_data):
    body = owner_client.get(_url(campaign_data)).content.decode()
    assert "cleo.fit" not in body
    assert OTHER not in body


def test_given_no_journeys_when_page_opens_then_it_says_so(owner_client, workspace):
    campaign = f.CampaignFactory(workspace=workspace)
    f.DealFactory(campaign=campaign)
    response = owner_client.get(_url(campaign))
    assert response.status_code == 200
    assert "No journeys yet." in response.content.decode()
    assert "figure" not in response.context


def test_given_bad_settings_then_400_with_field_errors(owner_client, workspace):
    campaign = f.CampaignFactory(workspace=workspace)
    response = owner_client.get(_url(campaign, "?window_days=-3&code_rule=nope"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["window_days"] == ["Ensure this value is greater than or equal to 0."]
    assert errors["code_rule"] == [
        "Select a valid choice. nope is not one of the available choices."
    ]


def test_given_another_workspaces_campaign_then_404(owner_client, other_workspace):
    campaign = f.CampaignFactory(workspace=other_workspace)
    assert owner_client.get(_url(campaign)).status_code == 404


def test_given_a_viewer_then_the_page_is_readable(viewer_client, campaign_data):
    assert viewer_client.get(_url(campaign_data)).status_code == 200


def test_given_more_data_then_the_query_count_stays_the_same(
    owner_client, workspace, campaign_data
):
    with CaptureQueriesContext(connection) as small:
        owner_client.get(_url(campaign_data))
    for n in range(5):
        link = f.TrackedLinkFactory(creator=f.CreatorFactory(workspace=workspace))
        f.DealFactory(campaign=campaign_data, creator=link.creator)
        f.ClickFactory(link=link, click_id=f"x{n}", visitor_hash=f"vx{n}", clicked_at=DAY)
        f.OrderFactory(workspace=workspace, click_id=f"x{n}", placed_at=DAY + dt.timedelta(hours=1))
    with CaptureQueriesContext(connection) as big:
        owner_client.get(_url(campaign_data))
    assert len(big) == len(small)
    assert len(small) <= 16
