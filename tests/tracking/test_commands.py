"""Commands: connect-store, conversions, import-orders."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from infludesk.tracking.models import Order, StoreConnection
from infludesk.tracking.services import order_upsert
from infludesk.tracking.stores import shopify
from tests.factories import CreatorFactory, DiscountCodeFactory
from tests.tracking.test_webhooks_support import (  # noqa: F401
    SECRET,
    dumps,
    immediate_tasks,
    post_shopify,
    shopify_order,
)

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_connect_store_prints_webhook_url(workspace, settings):
    settings.SITE_URL = "https://desk.example.com"
    out = _run(
        "connect_store",
        "shopify",
        "--workspace",
        "acme",
        "--secret",
        SECRET,
        "--shop-domain",
        "Glow.myshopify.com",
    )
    connection = StoreConnection.objects.get()
    assert (
        out.strip()
        == f"https://desk.example.com/tracking/webhooks/shopify/{connection.public_key}/"
    )
    assert (connection.workspace, connection.platform, connection.shop_domain) == (
        workspace,
        "shopify",
        "glow.myshopify.com",
    )


def test_connect_store_unknown_workspace_fails(db):
    with pytest.raises(CommandError, match="no workspace with slug 'nope'"):
        _run("connect_store", "woocommerce", "--workspace", "nope", "--secret", SECRET)


def test_connect_store_short_secret_fails(workspace):
    with pytest.raises(CommandError, match="at least 8 characters"):
        _run("connect_store", "woocommerce", "--workspace", "acme", "--secret", "short")


@pytest.mark.usefixtures("immediate_tasks")
def test_url_printed_by_connect_store_receives_orders(workspace, client, settings):
    settings.SITE_URL = "http://testserver"
    url = _run("connect_store", "shopify", "--workspace", "acme", "--secret", SECRET).strip()
    connection = StoreConnection.objects.get()
    assert url.endswith(f"/{connection.public_key}/")
    assert post_shopify(client, connection, dumps(shopify_order())).status_code == 200


def test_conversions_json_lists_every_order_with_documented_keys(workspace, other_workspace):
    creator = CreatorFactory(workspace=workspace, name="Anna Berg")
    DiscountCodeFactory(workspace=workspace, creator=creator, code="ANNA15")
    order_upsert(
        workspace=workspace,
        order=shopify.parse_order(shopify_order(discount_codes=[{"code": "anna15"}])),
    )
    order_upsert(
        workspace=workspace,
        order=shopify.parse_order(shopify_order(id=1, landing_site="/?ifd_click=zz")),
    )
    order_upsert(workspace=other_workspace, order=shopify.parse_order(shopify_order(id=2)))
    rows = json.loads(_run("conversions", "--workspace", "acme", "--format", "json"))
    assert [r["id"] for r in rows] == ["820982911946154508", "1"]
    first = rows[0]
    assert {
        k: first[k] for k in ("platform", "id", "status", "currency", "gross", "refunded", "net")
    } == {
        "platform": "shopify",
        "id": "820982911946154508",
        "status": "voided",
        "currency": "USD",
        "gross": "404.95",
        "refunded": "0.00",
        "net": "404.95",
    }
    assert (
        first["matched_code"],
        first["matched_click_id"],
        first["credited_creator"],
        first["matched_by"],
    ) == (
        "ANNA15",
        None,
        "Anna Berg",
        "code",
    )
    assert (rows[1]["matched_code"], rows[1]["credited_creator"]) == (None, None)
    assert sorted(first) == sorted(
        [
            "platform",
            "id",
            "status",
            "cancelled",
            "currency",
            "gross",
            "refunded",
            "net",
            "placed_at",
            "new_customer",
            "matched_by",
            "matched_code",
            "matched_click_id",
            "credited_creator",
            "credited_creator_id",
            "deal_id",
            "net_workspace_currency",
            "leak_suspected",
        ]
    )


def test_conversions_of_empty_workspace_is_empty_list(workspace):
    assert json.loads(_run("conversions", "--workspace", "acme")) == []


def test_import_orders_command_reports_errors_and_imports_good_rows(workspace, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,placed_at,currency,total\n1,2026-01-01,EUR,5.00\n2,2026-01-01,EUR,-1\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 row errors"):
        call_command(
            "import_orders", str(path), "--workspace", "acme", stdout=io.StringIO(), stderr=err
        )
    assert err.getvalue().strip() == "line 3, field total: must not be negative"
    assert list(Order.objects.values_list("external_id", flat=True)) == ["1"]
