"""Shared helpers for the store webhook tests: documented payloads, signing, posting.

Payloads are read from ../shared via shared_path() and modified in memory, never copied.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from infludesk.tracking.models import StoreConnection, StorePlatform
from infludesk.tracking.stores.signatures import sign_base64, sign_generic
from tests.conftest import shared_path

SECRET = "shpss_test_secret_123"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
_cache: dict[str, Any] = {}


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run inline, as the worker would run them."""
    settings.TASKS = IMMEDIATE


def load(name: str) -> Any:
    """A documented payload from ../shared, parsed exactly (Decimal / int), as a fresh copy."""
    if name not in _cache:
        raw = shared_path("data", "store_webhooks", name).read_bytes()
        _cache[name] = json.loads(raw, parse_float=Decimal, parse_int=int)
    return copy.deepcopy(_cache[name])


def raw(name: str) -> bytes:
    return shared_path("data", "store_webhooks", name).read_bytes()


def _mark(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"@@{value}@@"
    raise TypeError(type(value))


def dumps(data: Any) -> bytes:
    """JSON bytes with Decimals written as numbers (unquoted), never through float."""
    text = json.dumps(data, default=_mark)
    return text.replace('"@@', "").replace('@@"', "").encode("utf-8")


def shopify_order(**changes: Any) -> dict[str, Any]:
    """The documented orders/create example, not cancelled, with changes applied."""
    data = load("shopify_orders_create.json")
    data["cancelled_at"] = None
    data.update(changes)
    return data


def woo_order(**changes: Any) -> dict[str, Any]:
    data = load("woocommerce_order_v3_docs_example.json")
    data.update(changes)
    return data


def connection(workspace, platform: str = StorePlatform.SHOPIFY, key: str = "") -> StoreConnection:
    return StoreConnection.objects.create(
        workspace=workspace,
        platform=platform,
        public_key=key or f"key-{platform}-{workspace.slug}",
        secret=SECRET,
        shop_domain="glow-and-go.myshopify.com",
    )


def post_shopify(
    client: Client,
    conn: StoreConnection,
    body: bytes,
    *,
    topic: str = "orders/create",
    webhook_id: str = "wh-1",
    signature: str | None = None,
    extra: dict[str, str] | None = None,
):
    headers = {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign_base64(SECRET, body) if signature is None else signature,
        "X-Shopify-Shop-Domain": "glow-and-go.myshopify.com",
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-API-Version": "2026-04",
        **(extra or {}),
    }
    return client.post(
        f"/tracking/webhooks/shopify/{conn.public_key}/",
        data=body,
        content_type="application/json",
        headers=headers,
    )


def post_woo(
    client: Client,
    conn: StoreConnection,
    body: bytes,
    *,
    topic: str = "order.updated",
    signature: str | None = None,
):
    headers = {
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": topic.split(".")[0],
        "X-WC-Webhook-Event": topic.split(".")[-1],
        "X-WC-Webhook-Signature": sign_base64(SECRET, body) if signature is None else signature,
        "X-WC-Webhook-ID": "12",
        "X-WC-Webhook-Delivery-ID": "0f7e4c3a9b2d1e8f6a5b4c3d2e1f0a9b",
        "X-WC-Webhook-Source": "https://boutique-lumiere.example/",
    }
    return client.post(
        f"/tracking/webhooks/woocommerce/{conn.public_key}/",
        data=body,
        content_type="application/json",
        headers=headers,
    )


def post_generic(
    client: Client,
    conn: StoreConnection,
    body: bytes,
    *,
    signature: str | None = None,
    delivery: str = "",
):
    headers = {
        "X-Infludesk-Signature": sign_generic(SECRET, body) if signature is None else signature
    }
    if delivery:
        headers["X-Infludesk-Delivery-Id"] = delivery
    return client.post(
        f"/tracking/webhooks/generic/{conn.public_key}/",
        data=body,
        content_type="application/json",
        headers=headers,
    )
