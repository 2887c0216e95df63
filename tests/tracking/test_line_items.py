"""Order line items (Shopify `line_items`, WooCommerce `line_items`) read from the documented
payloads and kept on the order; newer snapshots replace them."""

from __future__ import annotations

import pytest

from infludesk.tracking.models import Order, StorePlatform
from infludesk.tracking.stores import shopify, woocommerce
from infludesk.tracking.stores.common import line_items
from tests.tracking.test_webhooks_support import (  # noqa: F401
    connection,
    dumps,
    immediate_tasks,
    load,
    post_shopify,
    post_woo,
    raw,
    shopify_order,
    woo_order,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def test_documented_shopify_order_lines_are_read_exactly():
    order = shopify.parse_order(load("shopify_orders_create.json"))
    assert [line.as_json() for line in order.line_items][:2] == [
        {
            "id": "487817672276298554",
            "product_id": "788032119674292922",
            "variant_id": "",
            "sku": "SKU2006-001",
            "title": "Aviator sunglasses",
            "quantity": 1,
            "price": "89.99",
        },
        {
            "id": "789012345678901234",
            "product_id": "",
            "variant_id": "",
            "sku": "LENS-PROTECT-2YR",
            "title": "Lens Protection Plan (2 Year)",
            "quantity": 1,
            "price": "19.99",
        },
    ]
    assert [line.sku for line in order.line_items] == [
        "SKU2006-001",
        "LENS-PROTECT-2YR",
        "CASE-LEATHER-PREM",
        "SKU2006-020",
        "SKU2006-035",
    ]


def test_documented_woocommerce_order_lines_are_read_exactly():
    order = woocommerce.parse_order(load("woocommerce_order_v3_docs_example.json"))
    assert [line.as_json() for line in order.line_items] == [
        {
            "id": "315",
            "product_id": "93",
            "variant_id": "",
            "sku": "",
            "title": "Woo Single #1",
            "quantity": 2,
            "price": "3.00",
        },
        {
            "id": "316",
            "product_id": "22",
            "variant_id": "23",
            "sku": "Bar3",
            "title": "Ship Your Idea &ndash; Color: Black, Size: M Test",
            "quantity": 1,
            "price": "12.00",
        },
    ]


def test_odd_line_items_are_kept_leniently_and_never_refuse_the_order():
    lines = line_items(
        ["text", {"id": 7, "quantity": "2", "price": "lots", "title": True}, {"id": 1.5}],
        variant_key="variant_id",
        title_key="title",
    )
    assert [line.as_json() for line in lines] == [
        {"id": "7", "product_id": "", "variant_id": "", "sku": "", "title": "",
         "quantity": 0, "price": ""},
        {"id": "", "product_id": "", "variant_id": "", "sku": "", "title": "",
         "quantity": 0, "price": ""},
    ]  # fmt: skip
    assert line_items({"not": "a list"}, variant_key="variant_id", title_key="title") == ()


def test_given_webhooks_then_the_order_keeps_its_lines_and_a_newer_snapshot_replaces_them(
    client, workspace
):
    # given the documented order delivered, then an update with one line only
    conn = connection(workspace)
    assert post_shopify(client, conn, raw("shopify_orders_create.json")).status_code == 200
    first = Order.objects.get(workspace=workspace)
    newer = shopify_order(
        updated_at="2099-01-01T00:00:00Z",
        line_items=[load("shopify_orders_create.json")["line_items"][0]],
    )
    post_shopify(client, conn, dumps(newer), topic="orders/updated", webhook_id="upd-1")
    # then
    assert len(first.line_items) == 5
    assert [line["sku"] for line in Order.objects.get(pk=first.pk).line_items] == ["SKU2006-001"]


def test_given_a_woocommerce_webhook_then_its_lines_are_stored(client, workspace):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    assert post_woo(client, conn, dumps(woo_order())).status_code == 200
    order = Order.objects.get(workspace=workspace, source="woocommerce")
    assert [(line["title"], line["quantity"]) for line in order.line_items] == [
        ("Woo Single #1", 2),
        ("Ship Your Idea &ndash; Color: Black, Size: M Test", 1),
    ]
