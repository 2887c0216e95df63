"""Leak detection: the pure rules, and the service that flags conversions with evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infludesk.tracking.leaks import ClickEvent, CodeOrder, coupon_site, detect_leaks, referrer_host
from infludesk.tracking.models import Conversion
from infludesk.tracking.selectors import leak_suspects
from infludesk.tracking.services import conversion_match, conversions_flag_leaks
from tests.factories import (
    ClickFactory,
    CreatorFactory,
    DealFactory,
    DiscountCodeFactory,
    OrderFactory,
    TrackedLinkFactory,
)

NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def test_no_click_in_window_is_evidence():
    orders = [CodeOrder(key=1, creator_id=7, placed_at=NOON)]
    clicks = [ClickEvent(creator_id=7, at=NOON - dt.timedelta(days=8))]
    assert detect_leaks(orders=orders, clicks=clicks) == {
        1: [{"rule": "no_click", "window_days": 7}]
    }


def test_click_inside_window_clears_the_order():
    orders = [CodeOrder(key=1, creator_id=7, placed_at=NOON)]
    clicks = [ClickEvent(creator_id=7, at=NOON - dt.timedelta(days=6, hours=23))]
    assert detect_leaks(orders=orders, clicks=clicks) == {}


def test_click_of_another_creator_does_not_count():
    orders = [CodeOrder(key=1, creator_id=7, placed_at=NOON)]
    clicks = [ClickEvent(creator_id=8, at=NOON - dt.timedelta(hours=1))]
    assert detect_leaks(orders=orders, clicks=clicks)[1][0]["rule"] == "no_click"


def test_click_after_the_order_does_not_count():
    orders = [CodeOrder(key=1, creator_id=7, placed_at=NOON)]
    clicks = [ClickEvent(creator_id=7, at=NOON + dt.timedelta(minutes=1))]
    assert detect_leaks(orders=orders, clicks=clicks)[1][0]["rule"] == "no_click"


@pytest.mark.parametrize(
    ("referrer", "site"),
    [
        ("https://www.retailmenot.com/view/shop.example", "retailmenot.com"),
        ("https://couponbirds.com/codes/shop", "couponbirds.com"),
        ("wethrift.com/shop", "wethrift.com"),
        ("https://de.knoji.com/x", "knoji.com"),
        ("https://www.coupons.com/", "coupons.com"),
    ],
)
def test_coupon_site_referrer_is_evidence(referrer, site):
    orders = [CodeOrder(key=1, creator_id=7, placed_at=NOON, referrer=referrer)]
    clicks = [ClickEvent(creator_id=7, at=NOON - dt.timedelta(hours=1))]
    evidence = detect_leaks(orders=orders, clicks=clicks)[1]
    assert evidence == [
        {"rule": "coupon_site", "referrer_host": referrer_host(referrer), "site": site}
    ]


def test_lookalike_host_is_not_a_coupon_site():
    assert coupon_site(referrer_host("https://notretailmenot.com/")) == ""
    assert coupon_site(referrer_host("https://instagram.com/")) == ""


def test_burst_above_max_5_and_3x_clicks_is_evidence():
    # given 2 clicks that day -> threshold max(5, 6) = 6; 7 code orders
    clicks = [ClickEvent(creator_id=7, at=NOON - dt.timedelta(hours=h)) for h in (1, 2)]
    orders = [
        CodeOrder(key=i, creator_id=7, placed_at=NOON + dt.timedelta(minutes=i)) for i in range(7)
    ]
    result = detect_leaks(orders=orders, clicks=clicks)
    assert sorted(result) == list(range(7))
    assert result[0] == [
        {"rule": "burst", "day": "2026-11-20", "code_orders": 7, "clicks": 2, "threshold": 6}
    ]


def test_orders_at_threshold_are_not_a_burst():
    clicks = [ClickEvent(creator_id=7, at=NOON - dt.timedelta(hours=h)) for h in (1, 2)]
    orders = [
        CodeOrder(key=i, creator_id=7, placed_at=NOON + dt.timedelta(minutes=i)) for i in range(6)
    ]
    assert detect_leaks(orders=orders, clicks=clicks) == {}


@pytest.mark.django_db
def test_service_flags_conversions_with_evidence_and_clears_them(workspace, other_workspace):
    # given a code conversion with no click, from a coupon site
    deal = DealFactory(campaign__workspace=workspace)
    DiscountCodeFactory(workspace=workspace, creator=deal.creator, deal=deal, code="ANNA15")
    order = OrderFactory(
        workspace=workspace,
        placed_at=NOON,
        discount_codes=["ANNA15"],
        referrer="https://www.honey.com/x",
    )
    conversion_match(order=order)
    # when leaks are flagged
    assert conversions_flag_leaks(workspace=workspace) == 1
    # then the conversion carries both pieces of evidence and shows on the deal
    conversion = Conversion.objects.get()
    assert conversion.leak_suspected is True
    assert conversion.leak_evidence == [
        {"rule": "no_click", "window_days": 7},
        {"rule": "coupon_site", "referrer_host": "honey.com", "site": "honey.com"},
    ]
    assert list(leak_suspects(workspace=workspace, deal_id=deal.pk)) == [conversion]
    assert list(leak_suspects(workspace=other_workspace)) == []
    # and once a click and a clean referrer explain it, rerunning clears the flag
    ClickFactory(
        link=TrackedLinkFactory(workspace=workspace, creator=deal.creator),
        clicked_at=NOON - dt.timedelta(days=1),
    )
    order.referrer = "https://instagram.com/"
    order.save()
    assert conversions_flag_leaks(workspace=workspace) == 0
    assert Conversion.objects.get().leak_evidence == []


@pytest.mark.django_db
def test_bot_clicks_do_not_clear_a_leak(workspace):
    creator = CreatorFactory(workspace=workspace)
    DiscountCodeFactory(workspace=workspace, creator=creator, code="BOT1")
    ClickFactory(
        link=TrackedLinkFactory(workspace=workspace, creator=creator), clicked_at=NOON, is_bot=True
    )
    conversion_match(
        order=OrderFactory(workspace=workspace, placed_at=NOON, discount_codes=["BOT1"])
    )
    assert conversions_flag_leaks(workspace=workspace) == 1


@pytest.mark.django_db
def test_code_order_arriving_is_flagged_at_once(workspace):
    # given a creator code and no clicks
    from infludesk.tracking.services import order_upsert
    from infludesk.tracking.stores.common import NormalizedOrder

    DiscountCodeFactory(workspace=workspace, code="LEAK5")
    # when an order with the code arrives from a coupon site
    order = NormalizedOrder(
        source="webhook",
        external_id="L-1",
        currency="USD",
        gross=Decimal("10.00"),
        placed_at=NOON,
        discount_codes=("leak5",),
        referrer="https://www.dealspotr.com/promo-codes/shop",
    )
    order_upsert(workspace=workspace, order=order)
    # then its conversion is already flagged with the evidence
    assert [e["rule"] for e in Conversion.objects.get().leak_evidence] == [
        "no_click",
        "coupon_site",
    ]


@pytest.mark.django_db
def test_rematch_credits_past_orders_to_a_code_created_later(workspace):
    from infludesk.tracking.services import conversions_rematch

    OrderFactory(workspace=workspace, placed_at=NOON, discount_codes=["LATE10"])
    assert Conversion.objects.count() == 0
    code = DiscountCodeFactory(workspace=workspace, code="late10")
    assert conversions_rematch(workspace=workspace) == 1
    assert Conversion.objects.get().code == code


_minutes = st.integers(min_value=0, max_value=60 * 24 * 10)


@given(
    order_minutes=st.lists(_minutes, min_size=1, max_size=12),
    click_minutes=st.lists(_minutes, max_size=12),
    extra_click_minutes=st.lists(_minutes, max_size=6),
)
def test_more_clicks_never_add_evidence(order_minutes, click_minutes, extra_click_minutes):
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    orders = [
        CodeOrder(key=i, creator_id=1, placed_at=start + dt.timedelta(minutes=m))
        for i, m in enumerate(order_minutes)
    ]
    clicks = [ClickEvent(creator_id=1, at=start + dt.timedelta(minutes=m)) for m in click_minutes]
    more = clicks + [
        ClickEvent(creator_id=1, at=start + dt.timedelta(minutes=m)) for m in extra_click_minutes
    ]
    before = detect_leaks(orders=orders, clicks=clicks)
    after = detect_leaks(orders=orders, clicks=more)
    for key, evidence in after.items():
        assert {e["rule"] for e in evidence} <= {e["rule"] for e in before.get(key, [])}
