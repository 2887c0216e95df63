"""Order list and leak report pages: exact content, filters, CSV, isolation, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infludesk.tracking.models import Conversion, MatchedBy, StorePlatform
from tests import factories as f

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def orders(workspace):
    """Order 1001 (Anna's code ANNA15, flagged as a leak), 1002 (Ben's click clk1, refunded 20),
    1003 (unmatched, woocommerce, cancelled)."""
    anna = f.CreatorFactory(workspace=workspace, name="Anna")
    ben = f.CreatorFactory(workspace=workspace, name="Ben")
    deal = f.DealFactory(campaign__workspace=workspace, campaign__name="Spring", creator=anna)
    code = f.DiscountCodeFactory(creator=anna, deal=deal, code="ANNA15")
    click = f.ClickFactory(link__creator=ben, click_id="clk1", clicked_at=T0)
    o1 = f.OrderFactory(
        workspace=workspace, external_id="1001", gross=Decimal("100.00"), placed_at=T0
    )
    o2 = f.OrderFactory(
        workspace=workspace,
        external_id="1002",
        gross=Decimal("80.00"),
        refunded=Decimal("20.00"),
        placed_at=T0 + dt.timedelta(days=1),
        status="paid",
    )
    f.OrderFactory(
        workspace=workspace,
        external_id="1003",
        source=StorePlatform.WOOCOMMERCE,
        currency="EUR",
        gross=Decimal("50.00"),
        cancelled=True,
        placed_at=T0 + dt.timedelta(days=2),
    )
    Conversion.objects.create(
        workspace=workspace,
        order=o1,
        creator=anna,
        deal=deal,
        matched_by=MatchedBy.CODE,
        code=code,
        leak_suspected=True,
        leak_evidence=[
            {"rule": "no_click", "window_days": 7},
            {"rule": "coupon_site", "referrer_host": "www.honey.com", "site": "honey.com"},
        ],
    )
    Conversion.objects.create(
        workspace=workspace, order=o2, creator=ben, matched_by=MatchedBy.CLICK, click=click
    )
    return {"anna": anna, "ben": ben, "deal": deal}


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_given_orders_when_exported_then_csv_rows_are_exact(owner_client, orders):
    response = owner_client.get("/tracking/orders/?format=csv&sort=id")
    assert _csv(response).splitlines() == [
        "source,id,placed_at,status,currency,gross,refunded,net,net_workspace_currency,"
        "matched,creator",
        "shopify,1001,2026-11-10T09:30:00+00:00,,USD,100.00,0.00,100.00,100.00,code ANNA15,Anna",
        "shopify,1002,2026-11-11T09:30:00+00:00,paid,USD,80.00,20.00,60.00,60.00,click clk1,Ben",
        "woocommerce,1003,2026-11-12T09:30:00+00:00,cancelled,EUR,50.00,0.00,0.00,,,",
    ]


def test_given_orders_when_the_page_opens_then_rows_show_money_and_match(owner_client, orders):
    html = owner_client.get("/tracking/orders/").content.decode()
    assert '<td class="num">80.00</td>' in html
    assert '<td class="num">60.00</td>' in html
    assert "<td>click clk1</td>" in html
    assert "<td>code ANNA15</td>" in html


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("source=woocommerce", ["1003"]),
        ("matched=yes", ["1001", "1002"]),
        ("matched=no", ["1003"]),
        ("placed_from=2026-11-11&placed_until=2026-11-11", ["1002"]),
    ],
)
def test_given_a_filter_then_only_matching_orders_are_listed(owner_client, orders, query, ids):
    rows = _csv(owner_client.get(f"/tracking/orders/?format=csv&sort=id&{query}")).splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ids


def test_given_a_creator_filter_then_only_their_orders_are_listed(owner_client, orders):
    url = f"/tracking/orders/?format=csv&creator={orders['ben'].pk}"
    rows = _csv(owner_client.get(url)).splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ["1002"]


def test_given_a_bad_date_filter_then_the_field_error_shows_and_others_apply(owner_client, orders):
    response = owner_client.get("/tracking/orders/?placed_from=yesterday&source=woocommerce")
    assert response.status_code == 200
    assert response.context["form"].errors == {"placed_from": ["Enter a valid date."]}
    assert [r[1].text for r in response.context["rows"]] == ["1003"]


def test_given_another_workspaces_orders_then_they_are_never_listed(
    owner_client, orders, other_workspace
):
    f.OrderFactory(workspace=other_workspace, external_id="9999")
    rows = _csv(owner_client.get("/tracking/orders/?format=csv")).splitlines()
    assert len(rows) == 4
    assert "9999" not in "".join(rows)


def test_given_more_orders_then_the_order_page_query_count_is_pinned(
    owner_client, workspace, orders
):
    with CaptureQueriesContext(connection) as small:
        owner_client.get("/tracking/orders/")
    for n in range(10):
        order = f.OrderFactory(workspace=workspace, external_id=f"x{n}")
        Conversion.objects.create(
            workspace=workspace, order=order, creator=orders["ben"], matched_by=MatchedBy.CLICK
        )
    with CaptureQueriesContext(connection) as big:
        owner_client.get("/tracking/orders/")
    assert len(small) == len(big) == 9


# --- leaks ----------------------------------------------------------------------------------


def test_given_a_flagged_conversion_then_the_leak_report_shows_its_evidence(owner_client, orders):
    rows = _csv(owner_client.get("/tracking/leaks/?format=csv")).splitlines()
    assert rows == [
        "placed_at,order,creator,deal,code,net,currency,evidence",
        "2026-11-10T09:30:00+00:00,shopify 1001,Anna,Spring · Anna,ANNA15,100.00,USD,"
        "no click on the creator's links in the 7 days before; "
        "referred by coupon site www.honey.com",
    ]


def test_given_a_campaign_filter_then_leaks_of_other_campaigns_are_hidden(
    owner_client, workspace, orders
):
    other = f.CampaignFactory(workspace=workspace)
    response = owner_client.get(f"/tracking/leaks/?campaign={other.pk}")
    assert response.context["rows"] == []
    response = owner_client.get(f"/tracking/leaks/?campaign={orders['deal'].campaign_id}")
    assert [r[1].text for r in response.context["rows"]] == ["shopify 1001"]


def test_given_another_workspaces_leak_then_it_is_never_listed(
    owner_client, orders, other_workspace
):
    creator = f.CreatorFactory(workspace=other_workspace)
    order = f.OrderFactory(workspace=other_workspace, external_id="7777")
    Conversion.objects.create(
        workspace=other_workspace,
        order=order,
        creator=creator,
        matched_by=MatchedBy.CODE,
        leak_suspected=True,
    )
    assert "7777" not in owner_client.get("/tracking/leaks/").content.decode()


def test_given_more_leaks_then_the_leak_page_query_count_is_pinned(owner_client, workspace, orders):
    with CaptureQueriesContext(connection) as small:
        owner_client.get("/tracking/leaks/")
    for n in range(10):
        order = f.OrderFactory(workspace=workspace, external_id=f"l{n}")
        Conversion.objects.create(
            workspace=workspace,
            order=order,
            creator=orders["anna"],
            deal=orders["deal"],
            matched_by=MatchedBy.CODE,
            leak_suspected=True,
            leak_evidence=[{"rule": "no_click", "window_days": 7}],
        )
    with CaptureQueriesContext(connection) as big:
        owner_client.get("/tracking/leaks/")
    assert len(small) == len(big) == 8


def test_given_a_deal_with_a_leak_then_its_partial_lists_it(owner_client, orders):
    html = owner_client.get(f"/tracking/deals/{orders['deal'].pk}/leaks/").content.decode()
    assert (
        "order shopify 1001 · code ANNA15 · 100.00 USD: no click on the creator&#x27;s links "
        "in the 7 days before; referred by coupon site www.honey.com</li>"
    ) in html


def test_given_a_deal_without_leaks_then_its_partial_says_so(owner_client, workspace):
    deal = f.DealFactory(campaign__workspace=workspace)
    html = owner_client.get(f"/tracking/deals/{deal.pk}/leaks/").content.decode()
    assert "No order with this deal's codes is flagged as a probable leak." in html


def test_given_another_workspaces_deal_then_its_leak_partial_is_404(owner_client, other_workspace):
    deal = f.DealFactory(campaign__workspace=other_workspace)
    assert owner_client.get(f"/tracking/deals/{deal.pk}/leaks/").status_code == 404


def test_given_a_viewer_then_orders_and_leaks_are_readable(viewer_client, orders):
    assert viewer_client.get("/tracking/orders/").status_code == 200
    assert viewer_client.get("/tracking/leaks/").status_code == 200
