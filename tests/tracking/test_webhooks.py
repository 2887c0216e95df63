"""Store webhook endpoints: verify first, validate, remember, acknowledge, process in a task."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from infludesk.tracking.models import Order, Refund, StorePlatform, WebhookDelivery
from infludesk.tracking.stores.signatures import sign_base64, sign_generic
from tests.tracking.test_webhooks_support import (  # noqa: F401
    SECRET,
    connection,
    dumps,
    immediate_tasks,
    post_generic,
    post_shopify,
    post_woo,
    raw,
    shopify_order,
    woo_order,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def test_documented_shopify_create_is_accepted_and_stored_exactly(client, workspace):
    # given the documented orders/create body, signed over its raw bytes
    conn = connection(workspace)
    body = raw("shopify_orders_create.json")
    # when it is delivered
    response = post_shopify(client, conn, body)
    # then it is acknowledged and the order (cancelled in the example) is stored with exact id
    assert response.status_code == 200
    assert response.json() == {"status": "accepted"}
    order = Order.objects.get(workspace=workspace)
    assert order.external_id == "820982911946154508"
    assert (order.source, order.currency, order.cancelled) == ("shopify", "USD", True)
    assert (order.gross, order.refunded, order.net) == (Decimal("0.00"), Decimal("0.00"), 0)
    assert WebhookDelivery.objects.get().processed_at is not None


def test_header_names_are_case_insensitive(client, workspace):
    # given lower-case header names, as HTTP/2 sends them
    conn = connection(workspace)
    body = dumps(shopify_order())
    response = client.post(
        f"/tracking/webhooks/shopify/{conn.public_key}/",
        data=body,
        content_type="application/json",
        headers={
            "x-shopify-topic": "orders/create",
            "x-shopify-hmac-sha256": sign_base64(SECRET, body),
            "x-shopify-webhook-id": "lower-1",
        },
    )
    assert response.status_code == 200
    assert Order.objects.get().gross == Decimal("404.95")


@pytest.mark.parametrize(
    "signature",
    ["", "bm90IGEgc2lnbmF0dXJl", None],
    ids=["empty", "wrong", "missing"],
)
def test_bad_or_missing_shopify_signature_is_401_and_stores_nothing(client, workspace, signature):
    conn = connection(workspace)
    body = dumps(shopify_order())
    extra = {}
    if signature is None:
        response = client.post(
            f"/tracking/webhooks/shopify/{conn.public_key}/",
            data=body,
            content_type="application/json",
            headers={"X-Shopify-Topic": "orders/create", "X-Shopify-Webhook-Id": "x"},
        )
    else:
        response = post_shopify(client, conn, body, signature=signature, extra=extra)
    assert response.status_code == 401
    assert response.json() == {"detail": "missing or invalid signature"}
    assert WebhookDelivery.objects.count() == 0
    assert Order.objects.count() == 0


def test_signature_over_other_bytes_is_rejected(client, workspace):
    # given a signature of the pretty-printed body but a re-serialised body sent
    conn = connection(workspace)
    original = raw("shopify_orders_create.json")
    tampered = original.replace(b'"404.95"', b'"1.00"', 1)
    response = post_shopify(client, conn, tampered, signature=sign_base64(SECRET, original))
    assert response.status_code == 401
    assert Order.objects.count() == 0


def test_signature_with_another_connections_secret_is_rejected(client, workspace):
    conn = connection(workspace)
    body = dumps(shopify_order())
    response = post_shopify(client, conn, body, signature=sign_base64("other-secret", body))
    assert response.status_code == 401


def test_unknown_key_is_404(client, workspace):
    response = client.post(
        "/tracking/webhooks/shopify/nope/", data=b"{}", content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "unknown webhook URL"}


def test_key_of_another_platform_is_404(client, workspace):
    # given a WooCommerce connection's key used on the Shopify endpoint
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    body = dumps(shopify_order())
    response = post_shopify(client, conn, body)
    assert response.status_code == 404


def test_get_is_not_allowed(client, workspace):
    conn = connection(workspace)
    assert client.get(f"/tracking/webhooks/shopify/{conn.public_key}/").status_code == 405


def test_malformed_json_is_400_with_reason_and_nothing_stored(client, workspace):
    conn = connection(workspace)
    response = post_shopify(client, conn, b'{"id": 1, ')
    assert response.status_code == 400
    assert response.json()["detail"].startswith("malformed JSON")
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.parametrize("field", ["id", "currency", "total_price"])
def test_shopify_order_without_required_field_is_400(client, workspace, field):
    conn = connection(workspace)
    data = shopify_order()
    del data[field]
    response = post_shopify(client, conn, dumps(data))
    assert response.status_code == 400
    assert response.json() == {"detail": f"missing required field(s): {field}"}
    assert Order.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.parametrize("field", ["id", "order_id"])
def test_shopify_refund_without_required_field_is_400(client, workspace, field):
    from tests.tracking.test_webhooks_support import load

    conn = connection(workspace)
    data = load("shopify_refunds_create.json")
    del data[field]
    response = post_shopify(client, conn, dumps(data), topic="refunds/create")
    assert response.status_code == 400
    assert response.json() == {"detail": f"missing required field(s): {field}"}


def test_json_array_body_is_400(client, workspace):
    conn = connection(workspace)
    response = post_shopify(client, conn, b"[1, 2]")
    assert response.status_code == 400
    assert response.json() == {"detail": "body must be a JSON object"}


def test_float_order_id_is_400(client, workspace):
    conn = connection(workspace)
    body = dumps(shopify_order()).replace(b'"id": 820982911946154508', b'"id": 8.2e17', 1)
    response = post_shopify(client, conn, body)
    assert response.status_code == 400
    assert response.json() == {"detail": "id must be an integer or a string"}


def test_missing_topic_is_400(client, workspace):
    conn = connection(workspace)
    response = post_shopify(client, conn, dumps(shopify_order()), topic="")
    assert response.status_code == 400
    assert response.json() == {"detail": "missing topic header"}


def test_unhandled_topic_is_acknowledged_and_ignored(client, workspace):
    conn = connection(workspace)
    response = post_shopify(client, conn, b'{"id": 1}', topic="products/update")
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
    assert WebhookDelivery.objects.count() == 0


def test_repeated_webhook_id_is_2xx_and_changes_nothing(client, workspace):
    # given a delivery already processed
    conn = connection(workspace)
    post_shopify(client, conn, dumps(shopify_order()), webhook_id="dup-1")
    # when the same webhook id comes again, even with a different (signed) body
    changed = dumps(shopify_order(total_price="1.00", updated_at="2030-01-01T00:00:00Z"))
    response = post_shopify(client, conn, changed, webhook_id="dup-1")
    # then it is acknowledged as a duplicate and nothing changes
    assert response.status_code == 200
    assert response.json() == {"status": "duplicate"}
    assert WebhookDelivery.objects.count() == 1
    assert Order.objects.get().gross == Decimal("404.95")


def test_woocommerce_ping_gets_200_and_changes_nothing(client, workspace):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    response = client.post(
        f"/tracking/webhooks/woocommerce/{conn.public_key}/",
        data=b"webhook_id=12",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.json() == {"status": "ping"}
    assert WebhookDelivery.objects.count() == 0
    assert Order.objects.count() == 0


def test_woocommerce_unsigned_json_is_401(client, workspace):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    response = client.post(
        f"/tracking/webhooks/woocommerce/{conn.public_key}/",
        data=raw("woocommerce_order_v3_docs_example.json"),
        content_type="application/json",
        headers={"X-WC-Webhook-Topic": "order.created"},
    )
    assert response.status_code == 401
    assert Order.objects.count() == 0


def test_documented_woocommerce_order_is_stored(client, workspace):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    response = post_woo(client, conn, raw("woocommerce_order_v3_docs_example.json"))
    assert response.status_code == 200
    order = Order.objects.get()
    assert (order.source, order.external_id, order.status) == ("woocommerce", "727", "processing")
    assert (order.gross, order.refunded, order.net) == (
        Decimal("29.35"),
        Decimal("0.00"),
        Decimal("29.35"),
    )


def test_documented_woocommerce_order_with_refunds_sums_them(client, workspace):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    post_woo(client, conn, raw("woocommerce_order_v3_docs_example_with_refunds.json"))
    order = Order.objects.get()
    assert (order.gross, order.refunded, order.net) == (
        Decimal("39.00"),
        Decimal("19.00"),
        Decimal("20.00"),
    )
    assert sorted(Refund.objects.values_list("external_id", flat=True)) == ["724", "726"]


@pytest.mark.parametrize("field", ["id", "status", "currency", "total"])
def test_woocommerce_order_without_required_field_is_400(client, workspace, field):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    data = woo_order()
    del data[field]
    response = post_woo(client, conn, dumps(data))
    assert response.status_code == 400
    assert response.json() == {"detail": f"missing required field(s): {field}"}
    assert WebhookDelivery.objects.count() == 0


def test_generic_webhook_with_hex_signature_is_stored(client, workspace):
    conn = connection(workspace, StorePlatform.WEBHOOK)
    body = json.dumps(
        {
            "id": "A-1001",
            "currency": "EUR",
            "total": "59.90",
            "created_at": "2026-11-20T10:00:00+01:00",
        }
    ).encode()
    response = post_generic(client, conn, body, delivery="d-1")
    assert response.status_code == 200
    order = Order.objects.get()
    assert (order.source, order.external_id, order.gross) == ("webhook", "A-1001", Decimal("59.90"))
    assert order.placed_at.isoformat() == "2026-11-20T09:00:00+00:00"


def test_generic_webhook_bad_signature_is_401(client, workspace):
    conn = connection(workspace, StorePlatform.WEBHOOK)
    body = b'{"id": "A-1", "currency": "EUR", "total": "1.00", "created_at": "2026-11-20"}'
    # a base64 signature is not the generic format
    response = post_generic(client, conn, body, signature=sign_base64(SECRET, body))
    assert response.status_code == 401


def test_generic_webhook_missing_created_at_is_400(client, workspace):
    conn = connection(workspace, StorePlatform.WEBHOOK)
    body = b'{"id": "A-1", "currency": "EUR", "total": "1.00"}'
    response = post_generic(client, conn, body, signature=sign_generic(SECRET, body))
    assert response.status_code == 400
    assert response.json() == {"detail": "missing required field(s): created_at"}


def test_connection_of_workspace_a_never_writes_into_b(client, workspace, other_workspace):
    # given a connection of each workspace
    conn_a = connection(workspace)
    connection(other_workspace)
    # when an order arrives on A's URL
    post_shopify(client, conn_a, dumps(shopify_order()))
    # then it lands only in A
    assert Order.objects.filter(workspace=workspace).count() == 1
    assert Order.objects.filter(workspace=other_workspace).count() == 0
    assert WebhookDelivery.objects.get().workspace == workspace


def test_inactive_connection_is_404(client, workspace):
    conn = connection(workspace)
    conn.active = False
    conn.save()
    assert post_shopify(client, conn, dumps(shopify_order())).status_code == 404


def test_amount_beyond_the_money_column_is_400(client, workspace):
    conn = connection(workspace)
    response = post_shopify(client, conn, dumps(shopify_order(total_price="1000000000000.00")))
    assert response.status_code == 400
    assert response.json() == {"detail": "total_price must be a finite amount below 1000000000000"}
    assert Order.objects.count() == 0


def test_not_utf8_body_is_400(client, workspace):
    conn = connection(workspace)
    response = post_shopify(client, conn, b"\xff\xfe{}")
    assert response.status_code == 400
    assert response.json() == {"detail": "body is not UTF-8"}


def test_replaying_every_documented_shopify_delivery_gives_one_cancelled_order(client, workspace):
    # given the documented create, updated, cancelled and refund deliveries, in that order
    conn = connection(workspace)
    for webhook_id, (name, topic) in enumerate(
        [
            ("shopify_orders_create.json", "orders/create"),
            ("shopify_orders_updated.json", "orders/updated"),
            ("shopify_orders_cancelled.json", "orders/cancelled"),
            ("shopify_refunds_create.json", "refunds/create"),
        ]
    ):
        response = post_shopify(client, conn, raw(name), topic=topic, webhook_id=str(webhook_id))
        assert response.status_code == 200
    # then there is one order, cancelled and worth 0, with its refund remembered
    order = Order.objects.get()
    assert (order.cancelled, order.gross, order.refunded, order.net) == (True, 0, 0, 0)
    assert Refund.objects.get().amount == Decimal("85.00")
    assert WebhookDelivery.objects.filter(processed_at__isnull=True).count() == 0


def test_woocommerce_headers_in_mixed_case_are_read(client, workspace):
    conn = connection(workspace, StorePlatform.WOOCOMMERCE)
    body = raw("woocommerce_order_v3_docs_example.json")
    response = client.post(
        f"/tracking/webhooks/woocommerce/{conn.public_key}/",
        data=body,
        content_type="application/json",
        headers={
            "x-wc-WEBHOOK-topic": "order.created",
            "X-Wc-Webhook-Signature": sign_base64(SECRET, body),
        },
    )
    assert response.status_code == 200
    assert Order.objects.get().external_id == "727"
