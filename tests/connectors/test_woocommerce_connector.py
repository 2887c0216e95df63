"""WooCommerce REST v3 connector against a local server replaying documented responses."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

import pytest

from infludesk.connectors.base import ConnectorError, DiscountSpec, connector_for
from infludesk.connectors.woocommerce import WooCommerceConnector
from tests.tracking.test_webhooks_support import load

COUPON = {
    "id": 719,
    "code": "lena20",
    "amount": "20.00",
    "date_created": "2026-11-20T10:00:00",
    "date_created_gmt": "2026-11-20T13:00:00",
    "discount_type": "percent",
    "description": "",
    "date_expires": "2026-12-31T00:00:00",
    "usage_count": 0,
    "individual_use": False,
    "usage_limit": None,
}


def _connector(fake_store, sleeps) -> WooCommerceConnector:
    return WooCommerceConnector(base_url=fake_store.url, token="ck_abc:cs_def", sleep=sleeps.append)


def test_registry_returns_the_woocommerce_connector():
    assert connector_for("woocommerce") is WooCommerceConnector


def test_unknown_platform_is_an_error():
    with pytest.raises(ConnectorError, match="no connector for platform 'bigcommerce'"):
        connector_for("bigcommerce")


def test_fetch_orders_reads_every_page_with_basic_auth(fake_store, sleeps):
    fake_store.reply(
        "GET",
        "/wp-json/wc/v3/orders",
        body=[load("woocommerce_order_v3_docs_example.json")],
        headers={"X-WP-Total": "2", "X-WP-TotalPages": "2"},
    )
    fake_store.reply(
        "GET",
        "/wp-json/wc/v3/orders",
        body=[load("woocommerce_order_v3_docs_example_with_refunds.json")],
        headers={"X-WP-Total": "2", "X-WP-TotalPages": "2"},
    )
    orders = list(
        _connector(fake_store, sleeps).fetch_orders(since=dt.datetime(2017, 1, 1, tzinfo=dt.UTC))
    )
    assert [o["id"] for o in orders] == [727, 723]
    first, second = fake_store.seen
    assert (
        "page=1" in first.query
        and "per_page=100" in first.query
        and "modified_after=2017-01-01T00%3A00%3A00" in first.query
    )
    assert "page=2" in second.query
    assert first.headers["authorization"] == "Basic " + base64.b64encode(b"ck_abc:cs_def").decode()


def test_token_without_secret_is_refused(fake_store, sleeps):
    connector = WooCommerceConnector(base_url=fake_store.url, token="ck_only", sleep=sleeps.append)
    with pytest.raises(ConnectorError, match="consumer_key:consumer_secret"):
        list(connector.fetch_orders())


def test_429_waits_retry_after(fake_store, sleeps):
    fake_store.reply(
        "GET",
        "/wp-json/wc/v3/orders",
        status=429,
        body={"code": "rate_limited"},
        headers={"Retry-After": "3"},
    )
    fake_store.reply("GET", "/wp-json/wc/v3/orders", body=[], headers={"X-WP-TotalPages": "0"})
    assert list(_connector(fake_store, sleeps).fetch_orders()) == []
    assert sleeps == [3.0]


def test_create_coupon(fake_store, sleeps):
    fake_store.reply("POST", "/wp-json/wc/v3/coupons", status=201, body=COUPON)
    spec = DiscountSpec(
        code="LENA20", kind="percent", value=Decimal("20"), ends_on=dt.date(2026, 12, 31)
    )
    created = _connector(fake_store, sleeps).create_discount(spec=spec)
    assert (created.remote_id, created.codes) == ("719", ("lena20",))
    assert fake_store.seen[0].json() == {
        "code": "LENA20",
        "discount_type": "percent",
        "amount": "20.00",
        "date_expires": "2026-12-31",
    }


def test_batch_of_150_coupons_in_two_requests_reports_errors(fake_store, sleeps):
    ok = [{**COUPON, "id": 800 + i, "code": f"give{i}"} for i in range(99)]
    clash = {
        "id": 0,
        "error": {
            "code": "woocommerce_rest_coupon_code_already_exists",
            "message": "The coupon code already exists",
            "data": {"status": 400},
        },
    }
    fake_store.reply("POST", "/wp-json/wc/v3/coupons/batch", body={"create": [*ok, clash]})
    fake_store.reply("POST", "/wp-json/wc/v3/coupons/batch", body={"create": ok[:50]})
    codes = [f"GIVE{i}" for i in range(150)]
    spec = DiscountSpec(code=codes[0], kind="fixed", value=Decimal("5"), single_use=True)
    created = _connector(fake_store, sleeps).create_discount_batch(spec=spec, codes=codes)
    sent = [s.json()["create"] for s in fake_store.seen]
    assert [len(batch) for batch in sent] == [100, 50]
    assert sent[0][0] == {
        "code": "GIVE0",
        "discount_type": "fixed_cart",
        "amount": "5.00",
        "usage_limit": 1,
    }
    assert len(created.codes) == 149
    assert created.detail["errors"] == ["The coupon code already exists"]
