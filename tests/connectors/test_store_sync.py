"""Pull sync and code creation through the connectors feed the same services as webhooks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.connectors.shopify import ShopifyConnector
from infludesk.connectors.woocommerce import WooCommerceConnector
from infludesk.tracking.codes import DiscountCodeError, discount_code_create, discount_code_push
from infludesk.tracking.models import Conversion, Order, StoreConnection
from infludesk.tracking.services import orders_sync_pull
from tests.factories import CreatorFactory, DiscountCodeFactory
from tests.tracking.test_webhooks_support import load

pytestmark = pytest.mark.django_db


def _conn(workspace, platform, url, token):
    return StoreConnection.objects.create(
        workspace=workspace,
        platform=platform,
        public_key=f"k-{platform}-{workspace.slug}",
        secret="s" * 10,
        api_url=url,
        api_token=token,
    )


def test_shopify_pull_sync_upserts_orders_and_matches_codes(fake_store, sleeps, workspace):
    # given a creator code and two pages of orders, one using the code
    DiscountCodeFactory(workspace=workspace, code="ANNA15")
    first = load("shopify_orders_create.json")
    first.update(
        cancelled_at=None,
        discount_codes=[{"code": "anna15", "amount": "10.00", "type": "percentage"}],
    )
    second = load("shopify_orders_create.json")
    second.update(id=2**62, cancelled_at=None)
    api = "/admin/api/2026-04/orders.json"
    fake_store.reply(
        "GET",
        api,
        body={"orders": [first]},
        headers={"Link": "<{url}" + api + '?page_info=x&limit=250>; rel="next"'},
    )
    fake_store.reply("GET", api, body={"orders": [second]})
    conn = _conn(workspace, "shopify", fake_store.url, "shpat_x")
    connector = ShopifyConnector(base_url=conn.api_url, token=conn.api_token, sleep=sleeps.append)
    # when synced twice
    orders_sync_pull(connection=conn, connector=connector)
    fake_store.routes.clear()
    fake_store.reply("GET", api, body={"orders": [first, second]})
    result = orders_sync_pull(connection=conn, connector=connector)
    # then each order exists once, exact, and the code order is credited
    assert result.orders == 2
    assert sorted(
        Order.objects.filter(workspace=workspace).values_list("external_id", flat=True)
    ) == ["4611686018427387904", "820982911946154508"]
    assert Conversion.objects.get().order.external_id == "820982911946154508"


def test_woocommerce_pull_sync_reports_bad_orders_and_keeps_good(fake_store, sleeps, workspace):
    bad = load("woocommerce_order_v3_docs_example.json")
    del bad["total"]
    fake_store.reply(
        "GET",
        "/wp-json/wc/v3/orders",
        body=[load("woocommerce_order_v3_docs_example_with_refunds.json"), bad],
        headers={"X-WP-TotalPages": "1"},
    )
    conn = _conn(workspace, "woocommerce", fake_store.url, "ck:cs")
    connector = WooCommerceConnector(
        base_url=conn.api_url, token=conn.api_token, sleep=sleeps.append
    )
    result = orders_sync_pull(connection=conn, connector=connector)
    assert (result.orders, result.errors) == (1, ("order 727: missing required field(s): total",))
    assert Order.objects.get().net == Decimal("20.00")


def test_code_pushed_to_shopify(fake_store, sleeps, workspace):
    creator = CreatorFactory(workspace=workspace, first_name="Anna")
    code = discount_code_create(workspace=workspace, creator=creator, value=Decimal("15"))
    fake_store.reply(
        "POST",
        "/admin/api/2026-04/price_rules.json",
        status=201,
        body={"price_rule": {"id": 5, "title": "ANNA15"}},
    )
    fake_store.reply(
        "POST",
        "/admin/api/2026-04/price_rules/5/discount_codes.json",
        status=201,
        body={"discount_code": {"id": 9, "price_rule_id": 5, "code": "ANNA15"}},
    )
    conn = _conn(workspace, "shopify", fake_store.url, "shpat_x")
    created = discount_code_push(
        code=code,
        connection=conn,
        connector=ShopifyConnector(base_url=fake_store.url, token="t", sleep=sleeps.append),
    )
    assert created.codes == ("ANNA15",)


def test_code_cannot_be_pushed_to_another_workspaces_store(workspace, other_workspace):
    code = DiscountCodeFactory(workspace=workspace, code="X123")
    conn = _conn(other_workspace, "shopify", "http://127.0.0.1:9", "t")
    with pytest.raises(DiscountCodeError, match="another workspace"):
        discount_code_push(code=code, connection=conn)


def test_sync_orders_command_pulls_into_its_workspace_only(fake_store, workspace, other_workspace):
    import io

    from django.core.management import call_command

    fake_store.reply(
        "GET",
        "/wp-json/wc/v3/orders",
        body=[load("woocommerce_order_v3_docs_example.json")],
        headers={"X-WP-TotalPages": "1"},
    )
    conn = _conn(workspace, "woocommerce", fake_store.url, "ck:cs")
    out = io.StringIO()
    call_command("sync_orders", "--workspace", "acme", stdout=out)
    assert out.getvalue().strip() == f"woocommerce #{conn.pk}: 1 orders synced, 0 skipped"
    assert Order.objects.filter(workspace=workspace).count() == 1
    assert Order.objects.filter(workspace=other_workspace).count() == 0


def test_sync_orders_without_api_connection_fails(workspace):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no Shopify or WooCommerce connection"):
        call_command("sync_orders", "--workspace", "acme")


def test_discount_codes_push_command_creates_a_woocommerce_batch(fake_store, workspace):
    import io

    from django.core.management import call_command

    from infludesk.tracking.codes import discount_code_batch_create

    creator = CreatorFactory(workspace=workspace)
    discount_code_batch_create(
        workspace=workspace, creator=creator, count=3, value=Decimal("10"), batch="g"
    )
    fake_store.reply(
        "POST",
        "/wp-json/wc/v3/coupons/batch",
        body={"create": [{"id": 1, "code": "a"}, {"id": 2, "code": "b"}, {"id": 3, "code": "c"}]},
    )
    conn = _conn(workspace, "woocommerce", fake_store.url, "ck:cs")
    out = io.StringIO()
    call_command(
        "discount_codes",
        "push",
        "--workspace",
        "acme",
        "--connection",
        str(conn.pk),
        "--batch",
        "g",
        stdout=out,
    )
    assert out.getvalue().strip() == "3 codes created in woocommerce (1)"
    sent = fake_store.seen[0].json()["create"]
    assert [c["usage_limit"] for c in sent] == [1, 1, 1]
