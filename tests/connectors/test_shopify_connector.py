"""Shopify Admin REST connector against a local server replaying documented responses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from infludesk.connectors.base import ConnectorError, DiscountSpec, connector_for
from infludesk.connectors.shopify import ShopifyConnector, next_link
from tests.tracking.test_webhooks_support import load

API = "/admin/api/2026-04"
PRICE_RULE = {
    "price_rule": {
        "id": 1057371201,
        "value_type": "percentage",
        "value": "-15.0",
        "customer_selection": "all",
        "target_type": "line_item",
        "target_selection": "all",
        "allocation_method": "across",
        "allocation_limit": None,
        "once_per_customer": False,
        "usage_limit": None,
        "starts_at": "2026-11-20T00:00:00Z",
        "ends_at": None,
        "title": "ANNA15",
        "admin_graphql_api_id": "gid://shopify/PriceRule/1057371201",
    }
}
DISCOUNT_CODE = {
    "discount_code": {
        "id": 1054381139,
        "price_rule_id": 1057371201,
        "code": "ANNA15",
        "usage_count": 0,
        "created_at": "2026-11-20T10:00:00-05:00",
        "updated_at": "2026-11-20T10:00:00-05:00",
    }
}
BATCH_JOB = {
    "discount_code_creation": {
        "id": 989355119,
        "price_rule_id": 1057371201,
        "started_at": None,
        "completed_at": None,
        "created_at": "2026-11-20T10:00:00-05:00",
        "updated_at": "2026-11-20T10:00:00-05:00",
        "status": "queued",
        "codes_count": 100,
        "imported_count": 0,
        "failed_count": 0,
        "logs": [],
    }
}


def _connector(fake_store, sleeps) -> ShopifyConnector:
    return ShopifyConnector(base_url=fake_store.url, token="shpat_test", sleep=sleeps.append)


def test_registry_returns_the_shopify_connector():
    assert connector_for("shopify") is ShopifyConnector


def test_next_link_reads_rel_next_only():
    header = (
        '<https://s.myshopify.com/a.json?page_info=p1&limit=3>; rel="previous", '
        '<https://s.myshopify.com/a.json?page_info=n2&limit=3>; rel="next"'
    )
    assert next_link(header) == "https://s.myshopify.com/a.json?page_info=n2&limit=3"
    assert next_link('<https://x/a.json?page_info=p1>; rel="previous"') is None


def test_fetch_orders_follows_link_pages_with_exact_ids(fake_store, sleeps):
    # given two pages linked by page_info
    first = load("shopify_orders_create.json")
    fake_store.reply(
        "GET",
        f"{API}/orders.json",
        body={"orders": [first]},
        headers={
            "Link": "<{url}" + API + '/orders.json?page_info=eyJsYXN0X2lkIjo&limit=250>; rel="next"'
        },
    )
    fake_store.reply(
        "GET",
        f"{API}/orders.json",
        raw=b'{"orders": [{"id": 1152921504606846983, "total_price": "1.00"}]}',
    )
    # when all orders are fetched since a date
    orders = list(
        _connector(fake_store, sleeps).fetch_orders(since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    )
    # then both pages are read, ids stay exact, and the second call carries only page_info + limit
    assert [o["id"] for o in orders] == [820982911946154508, 1152921504606846983]
    assert orders[0]["total_price"] == "404.95"
    first_call, second_call = fake_store.seen
    assert "status=any" in first_call.query and "updated_at_min=2026-01-01" in first_call.query
    assert second_call.query == "page_info=eyJsYXN0X2lkIjo&limit=250"
    assert first_call.headers["x-shopify-access-token"] == "shpat_test"


def test_429_waits_retry_after_then_succeeds(fake_store, sleeps):
    fake_store.reply(
        "GET",
        f"{API}/orders.json",
        status=429,
        body={"errors": "Exceeded 2 calls per second"},
        headers={"Retry-After": "2.0"},
    )
    fake_store.reply("GET", f"{API}/orders.json", body={"orders": []})
    assert list(_connector(fake_store, sleeps).fetch_orders()) == []
    assert sleeps == [2.0]


def test_nearly_full_call_bucket_waits_for_it_to_drain(fake_store, sleeps):
    fake_store.reply(
        "GET",
        f"{API}/orders.json",
        body={"orders": []},
        headers={"X-Shopify-Shop-Api-Call-Limit": "39/40"},
    )
    list(_connector(fake_store, sleeps).fetch_orders())
    # 39 used of 40 with a margin of 4: (39 - 36 + 1) / 2 calls per second = 2 s
    assert sleeps == [2.0]


def test_server_errors_back_off_then_give_up(fake_store, sleeps):
    fake_store.reply("GET", f"{API}/orders.json", status=503, body={"errors": "unavailable"})
    with pytest.raises(ConnectorError, match="still failing after 5 retries"):
        list(_connector(fake_store, sleeps).fetch_orders())
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]


def test_client_error_is_raised_with_the_answer(fake_store, sleeps):
    fake_store.reply(
        "GET",
        f"{API}/orders.json",
        status=401,
        body={"errors": "[API] Invalid API key or access token"},
    )
    with pytest.raises(ConnectorError, match="answered 401"):
        list(_connector(fake_store, sleeps).fetch_orders())


def test_create_discount_makes_price_rule_then_code(fake_store, sleeps):
    fake_store.reply("POST", f"{API}/price_rules.json", status=201, body=PRICE_RULE)
    fake_store.reply(
        "POST", f"{API}/price_rules/1057371201/discount_codes.json", status=201, body=DISCOUNT_CODE
    )
    spec = DiscountSpec(
        code="ANNA15",
        kind="percent",
        value=Decimal("15"),
        starts_on=dt.date(2026, 11, 20),
        ends_on=dt.date(2026, 12, 31),
    )
    created = _connector(fake_store, sleeps).create_discount(spec=spec)
    assert (created.remote_id, created.codes) == ("1057371201", ("ANNA15",))
    assert created.detail == {"price_rule_id": "1057371201", "discount_code_id": "1054381139"}
    rule = fake_store.seen[0].json()["price_rule"]
    assert {
        k: rule[k]
        for k in (
            "title",
            "value_type",
            "value",
            "target_type",
            "allocation_method",
            "starts_at",
            "ends_at",
        )
    } == {
        "title": "ANNA15",
        "value_type": "percentage",
        "value": "-15",
        "target_type": "line_item",
        "allocation_method": "across",
        "starts_at": "2026-11-20T00:00:00+00:00",
        "ends_at": "2026-12-31T23:59:59+00:00",
    }
    assert fake_store.seen[1].json() == {"discount_code": {"code": "ANNA15"}}


def test_batch_of_250_codes_is_sent_in_jobs_of_100(fake_store, sleeps):
    fake_store.reply("POST", f"{API}/price_rules.json", status=201, body=PRICE_RULE)
    fake_store.reply("POST", f"{API}/price_rules/1057371201/batch.json", status=201, body=BATCH_JOB)
    codes = [f"GIVE{i:04d}" for i in range(250)]
    spec = DiscountSpec(
        code=codes[0], kind="fixed", value=Decimal("5"), single_use=True, title="giveaway"
    )
    created = _connector(fake_store, sleeps).create_discount_batch(spec=spec, codes=codes)
    rule = fake_store.seen[0].json()["price_rule"]
    assert (rule["value_type"], rule["value"], rule["usage_limit"], rule["title"]) == (
        "fixed_amount",
        "-5",
        1,
        "giveaway",
    )
    sizes = [len(s.json()["discount_codes"]) for s in fake_store.seen[1:]]
    assert sizes == [100, 100, 50]
    assert created.detail["batch_jobs"] == ["989355119"] * 3


def test_basic_auth_token_never_leaks_into_shopify_calls(fake_store, sleeps):
    fake_store.reply("GET", f"{API}/orders.json", body={"orders": []})
    list(_connector(fake_store, sleeps).fetch_orders())
    assert "authorization" not in fake_store.seen[0].headers
