"""Store connection pages: owner/manager only, secret shown once, isolation, query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infludesk.tracking.models import StoreConnection

pytestmark = pytest.mark.django_db


def _store(workspace, **kw) -> StoreConnection:
    defaults = {"platform": "shopify", "public_key": "pk-mine", "secret": "s3cret-value-1"}
    return StoreConnection.objects.create(workspace=workspace, **{**defaults, **kw})


def test_given_a_shopify_store_when_created_then_url_and_secret_are_shown_once(
    manager_client, settings
):
    settings.SITE_URL = "https://desk.example.com"
    response = manager_client.post(
        "/tracking/stores/new/",
        {"platform": "shopify", "shop_domain": "Acme.myshopify.com", "secret": "shpss_abcdefgh"},
    )
    assert response.status_code == 200
    store = StoreConnection.objects.get()
    assert (store.platform, store.shop_domain, store.secret) == (
        "shopify",
        "acme.myshopify.com",
        "shpss_abcdefgh",
    )
    html = response.content.decode()
    url = f"https://desk.example.com/tracking/webhooks/shopify/{store.public_key}/"
    assert f'<code id="webhook-url">{url}</code>' in html
    assert '<code id="webhook-secret">shpss_abcdefgh</code>' in html
    listing = manager_client.get("/tracking/stores/").content.decode()
    assert url in listing
    assert "shpss_abcdefgh" not in listing


@pytest.mark.parametrize(
    ("platform", "route"), [("woocommerce", "woocommerce"), ("webhook", "generic")]
)
def test_given_a_blank_secret_then_one_is_generated(owner_client, platform, route):
    response = owner_client.post("/tracking/stores/new/", {"platform": platform})
    store = StoreConnection.objects.get()
    assert len(store.secret) >= 32
    assert f"/tracking/webhooks/{route}/{store.public_key}/" in response.content.decode()


def test_given_a_short_secret_then_400_with_a_field_error(owner_client):
    response = owner_client.post("/tracking/stores/new/", {"platform": "shopify", "secret": "abc"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "secret": ["The secret must have at least 8 characters."]
    }
    assert StoreConnection.objects.count() == 0


def test_given_the_csv_platform_then_400_because_it_has_no_webhook(owner_client):
    response = owner_client.post("/tracking/stores/new/", {"platform": "csv"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["platform"]


def test_given_a_viewer_then_store_pages_are_forbidden(viewer_client, workspace):
    assert viewer_client.get("/tracking/stores/").status_code == 403
    assert viewer_client.get("/tracking/stores/new/").status_code == 403
    response = viewer_client.post("/tracking/stores/new/", {"platform": "shopify"})
    assert response.status_code == 403
    assert StoreConnection.objects.count() == 0


def test_given_another_workspaces_store_then_it_is_never_listed(
    owner_client, workspace, other_workspace
):
    _store(workspace, shop_domain="mine.myshopify.com")
    _store(other_workspace, public_key="pk-theirs", shop_domain="theirs.myshopify.com")
    rows = b"".join(owner_client.get("/tracking/stores/?format=csv").streaming_content)
    lines = rows.decode().splitlines()
    assert lines[0] == "platform,shop_domain,webhook_url,active,created_at"
    assert [line.split(",")[1] for line in lines[1:]] == ["mine.myshopify.com"]


def test_given_more_stores_then_the_store_page_query_count_is_pinned(owner_client, workspace):
    _store(workspace)
    with CaptureQueriesContext(connection) as small:
        owner_client.get("/tracking/stores/")
    for n in range(10):
        _store(workspace, public_key=f"pk{n}")
    with CaptureQueriesContext(connection) as big:
        owner_client.get("/tracking/stores/")
    assert len(small) == len(big) == 6


def test_given_the_tracking_index_then_it_links_every_page(owner_client):
    html = owner_client.get("/tracking/").content.decode()
    for url in ("/tracking/orders/", "/tracking/leaks/", "/tracking/codes/", "/tracking/stores/"):
        assert f'href="{url}"' in html
