"""Order rules: snapshots by time, refunds by id, cancellations, exact ids, matching, customers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from infludesk.core.models import ExchangeRate
from infludesk.tracking.models import Conversion, Order, Refund, StorePlatform
from infludesk.tracking.selectors import order_rows
from tests.factories import (
    ClickFactory,
    CreatorFactory,
    DealFactory,
    DiscountCodeFactory,
    TrackedLinkFactory,
)
from tests.tracking.test_webhooks_support import (  # noqa: F401
    connection,
    dumps,
    immediate_tasks,
    load,
    post_shopify,
    post_woo,
    shopify_order,
    woo_order,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def _send(client, conn, data, webhook_id, topic="orders/updated"):
    response = post_shopify(client, conn, dumps(data), topic=topic, webhook_id=webhook_id)
    assert response.status_code == 200, response.content
    return response


def test_newer_snapshot_replaces_older(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(updated_at="2026-11-20T10:00:00-05:00"), "a", "orders/create")
    _send(
        client,
        conn,
        shopify_order(total_price="300.00", updated_at="2026-11-20T16:00:00+01:00"),
        "b",
    )
    order = Order.objects.get()
    assert order.gross == Decimal("300.00")
    assert order.source_updated_at == dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


def test_older_snapshot_never_overwrites_newer(client, workspace):
    # given the update (15:01 UTC) arrived first
    conn = connection(workspace)
    _send(
        client,
        conn,
        shopify_order(total_price="300.00", updated_at="2026-11-20T16:01:00+01:00"),
        "b",
    )
    # when the older create (15:00 UTC, written with a -05:00 offset) arrives late
    _send(client, conn, shopify_order(updated_at="2026-11-20T10:00:00-05:00"), "a", "orders/create")
    # then the order is counted once and keeps the newer values
    order = Order.objects.get()
    assert order.gross == Decimal("300.00")


def test_update_before_create_counts_the_order_once(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(updated_at="2026-11-21T00:00:00Z"), "u")
    _send(client, conn, shopify_order(updated_at="2026-11-20T00:00:00Z"), "c", "orders/create")
    assert Order.objects.count() == 1


def test_ids_beyond_2_53_are_kept_exact(client, workspace):
    conn = connection(workspace)
    big = 2**53 + 1
    _send(client, conn, shopify_order(id=big), "big")
    assert Order.objects.get().external_id == "9007199254740993"


def test_refund_webhook_reduces_net_by_its_transactions(client, workspace):
    # given the documented refund (transactions 75.00 + 10.00) of the documented order
    conn = connection(workspace)
    _send(client, conn, shopify_order(), "o", "orders/create")
    _send(client, conn, load("shopify_refunds_create.json"), "r", "refunds/create")
    order = Order.objects.get()
    assert (order.gross, order.refunded, order.net) == (
        Decimal("404.95"),
        Decimal("85.00"),
        Decimal("319.95"),
    )
    assert Refund.objects.get().external_id == "890088186047892319"


def test_same_refund_twice_counts_once(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(), "o", "orders/create")
    refund = load("shopify_refunds_create.json")
    _send(client, conn, refund, "r1", "refunds/create")
    _send(client, conn, refund, "r2", "refunds/create")  # new delivery id, same refund id
    assert Order.objects.get().refunded == Decimal("85.00")


def test_distinct_refunds_add_up(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(), "o", "orders/create")
    first = load("shopify_refunds_create.json")
    second = load("shopify_refunds_create.json")
    second["id"] = 890088186047892320
    second["transactions"] = second["transactions"][:1]
    _send(client, conn, first, "r1", "refunds/create")
    _send(client, conn, second, "r2", "refunds/create")
    assert Order.objects.get().refunded == Decimal("160.00")


def test_refund_listed_in_order_snapshot_and_webhook_counts_once(client, workspace):
    conn = connection(workspace)
    refund = load("shopify_refunds_create.json")
    _send(client, conn, refund, "r1", "refunds/create")
    _send(client, conn, shopify_order(refunds=[refund]), "o", "orders/updated")
    assert Order.objects.get().refunded == Decimal("85.00")


def test_refund_arriving_before_its_order_is_applied_when_the_order_comes(client, workspace):
    conn = connection(workspace)
    _send(client, conn, load("shopify_refunds_create.json"), "r1", "refunds/create")
    assert Order.objects.count() == 0
    _send(client, conn, shopify_order(), "o", "orders/create")
    assert Order.objects.get().refunded == Decimal("85.00")


def test_refunds_never_exceed_gross(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(total_price="50.00"), "o", "orders/create")
    _send(client, conn, load("shopify_refunds_create.json"), "r", "refunds/create")
    order = Order.objects.get()
    assert (order.refunded, order.net) == (Decimal("50.00"), Decimal("0.00"))


def test_shopify_cancelled_order_contributes_zero(client, workspace):
    conn = connection(workspace)
    _send(client, conn, load("shopify_orders_cancelled.json"), "c", "orders/cancelled")
    order = Order.objects.get()
    assert (order.cancelled, order.gross, order.refunded, order.net) == (
        True,
        Decimal("0.00"),
        Decimal("0.00"),
        0,
    )


def test_cancellation_after_create_zeroes_the_order(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(updated_at="2026-11-20T00:00:00Z"), "o", "orders/create")
    cancelled = shopify_order(
        cancelled_at="2026-11-21T00:00:00Z", updated_at="2026-11-21T00:00:00Z"
    )
    _send(client, conn, cancelled, "c", "orders/cancelled")
    assert Order.objects.get().net == 0


@pytest.mark.parametrize(
    ("status", "cancelled"), [("cancelled", True), ("failed", True), ("pending", False)]
)
def test_woocommerce_cancelled_and_failed_contribute_zero(client, workspace, status, cancelled):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    post_woo(client, conn, dumps(woo_order(status=status)))
    order = Order.objects.get()
    assert order.cancelled is cancelled
    assert order.net == (Decimal(0) if cancelled else Decimal("29.35"))


def test_woocommerce_older_date_modified_gmt_does_not_overwrite(client, workspace):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    post_woo(
        client, conn, dumps(woo_order(status="cancelled", date_modified_gmt="2017-03-23T00:00:00"))
    )
    post_woo(client, conn, dumps(woo_order(status="processing")))  # 2017-03-22T19:28:08
    assert Order.objects.get().status == "cancelled"


# --- matching -----------------------------------------------------------------------------


def test_code_matches_trimmed_and_case_insensitive(client, workspace):
    deal = DealFactory(campaign__workspace=workspace)
    code = DiscountCodeFactory(workspace=workspace, creator=deal.creator, deal=deal, code="ANNA15")
    conn = connection(workspace)
    _send(
        client,
        conn,
        shopify_order(
            discount_codes=[{"code": "  anna15 ", "amount": "10.00", "type": "percentage"}]
        ),
        "o",
    )
    conversion = Conversion.objects.get()
    assert (conversion.creator, conversion.deal, conversion.code, conversion.matched_by) == (
        deal.creator,
        deal,
        code,
        "code",
    )


def test_code_must_match_exactly(client, workspace):
    DiscountCodeFactory(workspace=workspace, code="ANNA15")
    conn = connection(workspace)
    _send(client, conn, shopify_order(discount_codes=[{"code": "ANNA1"}, {"code": "ANNA150"}]), "o")
    assert Conversion.objects.count() == 0


def test_code_of_another_workspace_does_not_match(client, workspace, other_workspace):
    DiscountCodeFactory(
        workspace=other_workspace, creator__workspace=other_workspace, code="ANNA15"
    )
    conn = connection(workspace)
    _send(client, conn, shopify_order(discount_codes=[{"code": "ANNA15"}]), "o")
    assert Conversion.objects.count() == 0


@pytest.mark.parametrize(
    "landing",
    [
        "/products/shoes?utm_source=instagram&ifd_click=Ab_3-x",
        "https://glow.example/products/shoes?ifd_click=Ab_3-x&utm_medium=influencer",
    ],
    ids=["relative", "absolute"],
)
def test_click_id_from_shopify_landing_site(client, workspace, landing):
    link = TrackedLinkFactory(workspace=workspace, creator=CreatorFactory(workspace=workspace))
    click = ClickFactory(link=link, click_id="Ab_3-x")
    conn = connection(workspace)
    _send(client, conn, shopify_order(landing_site=landing), "o")
    conversion = Conversion.objects.get()
    assert (conversion.matched_by, conversion.click, conversion.creator) == (
        "click",
        click,
        link.creator,
    )
    assert Order.objects.get().click_id == "Ab_3-x"


def test_click_id_from_woocommerce_attribution_meta(client, workspace):
    link = TrackedLinkFactory(workspace=workspace, creator=CreatorFactory(workspace=workspace))
    click = ClickFactory(link=link, click_id="wooClick1")
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    meta = [
        {"id": 1, "key": "_wc_order_attribution_source_type", "value": "utm"},
        {
            "id": 2,
            "key": "_wc_order_attribution_session_entry",
            "value": "https://boutique.example/?ifd_click=wooClick1",
        },
    ]
    post_woo(client, conn, dumps(woo_order(meta_data=meta)))
    conversion = Conversion.objects.get()
    assert (conversion.matched_by, conversion.click) == ("click", click)


def test_unsafe_click_id_is_ignored(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(landing_site="/?ifd_click=a%27%20or%201=1"), "o")
    assert Order.objects.get().click_id == ""


def test_code_beats_click_by_default(client, workspace):
    code_creator = CreatorFactory(workspace=workspace)
    DiscountCodeFactory(workspace=workspace, creator=code_creator, code="MIA10")
    ClickFactory(
        link=TrackedLinkFactory(workspace=workspace, creator=CreatorFactory(workspace=workspace)),
        click_id="c1",
    )
    conn = connection(workspace)
    _send(
        client,
        conn,
        shopify_order(discount_codes=[{"code": "mia10"}], landing_site="/?ifd_click=c1"),
        "o",
    )
    conversion = Conversion.objects.get()
    assert (conversion.creator, conversion.matched_by, conversion.click) == (
        code_creator,
        "code",
        None,
    )


def test_woocommerce_coupon_lines_match(client, workspace):
    code = DiscountCodeFactory(workspace=workspace, code="LENA20")
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    post_woo(
        client,
        conn,
        dumps(woo_order(coupon_lines=[{"id": 1, "code": "lena20", "discount": "5.00"}])),
    )
    assert Conversion.objects.get().code == code


# --- customers and currency -----------------------------------------------------------------


def test_first_order_of_a_customer_is_new_later_ones_returning(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(id=2, created_at="2026-11-21T00:00:00Z"), "o2")
    _send(client, conn, shopify_order(id=1, created_at="2026-11-20T00:00:00Z"), "o1")
    flags = dict(Order.objects.values_list("external_id", "is_new_customer"))
    assert flags == {"1": True, "2": False}


def test_customer_is_stored_only_as_a_hash(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(customer=None, email="Jane@Example.com"), "o")
    order = Order.objects.get()
    assert len(order.customer_hash) == 64
    assert "jane" not in order.customer_hash.lower()


def test_guest_woocommerce_orders_by_same_email_are_one_customer(client, workspace):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    post_woo(client, conn, dumps(woo_order(id=1, date_created_gmt="2026-01-01T00:00:00")))
    post_woo(client, conn, dumps(woo_order(id=2, date_created_gmt="2026-01-02T00:00:00")))
    assert dict(Order.objects.values_list("external_id", "is_new_customer")) == {
        "1": True,
        "2": False,
    }


def test_order_rows_convert_net_to_workspace_currency(client, workspace):
    ExchangeRate.objects.create(
        workspace=workspace, currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2026, 1, 1)
    )
    conn = connection(workspace)
    _send(
        client,
        conn,
        shopify_order(currency="EUR", total_price="20.00", created_at="2026-03-01T00:00:00Z"),
        "o",
    )
    row = order_rows(workspace=workspace)[0]
    assert (row["currency"], row["net"], row["net_workspace_currency"]) == ("EUR", "20.00", "22.00")


def test_order_rows_without_rate_give_null(client, workspace):
    conn = connection(workspace)
    _send(client, conn, shopify_order(currency="GBP"), "o")
    assert order_rows(workspace=workspace)[0]["net_workspace_currency"] is None
