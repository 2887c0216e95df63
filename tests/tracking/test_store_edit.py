"""Store connections get their API URL and token from the pages and the API: set on create,
replaced, kept when left empty, cleared; never shown back (HTML, audit log, API answers); other
workspaces' stores are 404, viewers 403; a bad URL or token is a field error, not a 500."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from infludesk.core.models import AuditEntry
from infludesk.tracking.models import StoreConnection
from infludesk.tracking.selectors import pushable_stores
from infludesk.tracking.services import store_connection_update

pytestmark = pytest.mark.django_db

TOKEN = "shpat_0123456789abcdefTOKEN1"
NEW_TOKEN = "shpat_fedcba9876543210TOKEN2"
WOO_TOKEN = "ck_1111aaaa2222bbbb:cs_3333cccc4444dddd"
SECRET = "whsec-original-0001"
NEW_SECRET = "whsec-replacement-0002"


def _store(workspace, **kw) -> StoreConnection:
    fields = {
        "platform": "shopify",
        "public_key": f"pk-{workspace.slug}-{StoreConnection.objects.count()}",
        "secret": SECRET,
        "shop_domain": "acme.myshopify.com",
        "api_token": TOKEN,
        **kw,
    }
    return StoreConnection.objects.create(workspace=workspace, **fields)


def _edit(store: StoreConnection, **changes) -> dict:
    """The edit form as the page posts it, with the store's current values and `changes`."""
    data = {"shop_domain": store.shop_domain, "api_url": store.api_url, "active": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _audit_text(workspace) -> str:
    rows = AuditEntry.objects.filter(workspace=workspace).values_list("changes", "target_repr")
    return json.dumps(list(rows))


def _assert_hidden(text: str, *values: str) -> None:
    for value in values:
        assert value not in text


# --- the create page ------------------------------------------------------------------------


def test_given_an_api_token_when_creating_a_shopify_store_then_it_becomes_pushable(
    manager_client, workspace
):
    response = manager_client.post(
        "/tracking/stores/new/",
        {
            "platform": "shopify",
            "shop_domain": "acme.myshopify.com",
            "secret": SECRET,
            "api_token": TOKEN,
        },
    )

    assert response.status_code == 200
    store = StoreConnection.objects.get()
    assert (store.api_url, store.api_token) == ("", TOKEN)
    assert list(pushable_stores(workspace=workspace)) == [store]
    html = response.content.decode()
    assert '<dd id="api-token-state">set (never shown)</dd>' in html
    _assert_hidden(html, TOKEN)
    _assert_hidden(_audit_text(workspace), TOKEN, SECRET)


def test_given_a_site_url_and_key_pair_when_creating_a_woocommerce_store_then_both_are_kept(
    owner_client, workspace
):
    response = owner_client.post(
        "/tracking/stores/new/",
        {
            "platform": "woocommerce",
            "api_url": " https://shop.example.com ",
            "api_token": WOO_TOKEN,
        },
    )

    assert response.status_code == 200
    store = StoreConnection.objects.get()
    assert (store.api_url, store.api_token) == ("https://shop.example.com", WOO_TOKEN)
    assert list(pushable_stores(workspace=workspace)) == [store]


def test_when_opening_the_create_page_then_api_fields_explain_what_to_paste(owner_client):
    response = owner_client.get("/tracking/stores/new/")

    form = response.context["form"]
    assert list(form.fields) == ["platform", "shop_domain", "secret", "api_url", "api_token"]
    assert "Admin API access token (shpat_...)" in form.fields["api_token"].help_text
    assert "ck_...:cs_..." in form.fields["api_token"].help_text
    assert "WooCommerce: the site's address" in form.fields["api_url"].help_text
    assert 'type="password" name="api_token"' in response.content.decode()


def test_given_a_bad_api_url_when_creating_then_400_with_a_field_error_and_no_token_echoed(
    owner_client,
):
    response = owner_client.post(
        "/tracking/stores/new/",
        {"platform": "shopify", "api_url": "not a url", "api_token": TOKEN},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "api_url": ["Enter a full http:// or https:// address."]
    }
    _assert_hidden(response.content.decode(), TOKEN)
    assert StoreConnection.objects.count() == 0


def test_given_a_woocommerce_token_without_the_secret_when_creating_then_a_field_error(
    owner_client,
):
    response = owner_client.post(
        "/tracking/stores/new/", {"platform": "woocommerce", "api_token": "ck_only"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "api_token": ["WooCommerce needs the consumer key and secret as ck_...:cs_..."]
    }
    assert StoreConnection.objects.count() == 0


def test_given_a_generic_webhook_when_creating_with_an_api_token_then_a_field_error(
    owner_client,
):
    response = owner_client.post(
        "/tracking/stores/new/", {"platform": "webhook", "api_token": TOKEN}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "api_token": ["Only Shopify and WooCommerce connections use the store's API."]
    }


# --- the edit page --------------------------------------------------------------------------


def test_given_the_stores_list_then_each_store_links_to_its_edit_page(owner_client, workspace):
    store = _store(workspace)

    html = owner_client.get("/tracking/stores/").content.decode()

    assert f'href="/tracking/stores/{store.pk}/edit/"' in html
    _assert_hidden(html, TOKEN, SECRET)


def test_when_opening_the_edit_page_then_secrets_show_only_set_and_their_last_characters(
    owner_client, workspace
):
    store = _store(workspace, api_url="https://acme.myshopify.com")

    response = owner_client.get(f"/tracking/stores/{store.pk}/edit/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd id="api-token-state">set, ending in …KEN1</dd>' in html
    assert '<dd id="secret-state">set, ending in …0001</dd>' in html
    assert 'value="https://acme.myshopify.com"' in html
    _assert_hidden(html, TOKEN, SECRET)
    assert list(response.context["form"].fields) == [
        "shop_domain",
        "active",
        "api_url",
        "api_token",
        "clear_api_token",
        "secret",
    ]


def test_given_no_token_when_opening_the_edit_page_then_it_says_not_set(owner_client, workspace):
    store = _store(workspace, api_token="")

    html = owner_client.get(f"/tracking/stores/{store.pk}/edit/").content.decode()

    assert '<dd id="api-token-state">not set</dd>' in html


def test_given_a_new_token_when_editing_then_it_replaces_the_old_one_and_the_audit_names_it(
    manager_client, workspace, manager
):
    store = _store(workspace)

    response = manager_client.post(
        f"/tracking/stores/{store.pk}/edit/", _edit(store, api_token=NEW_TOKEN)
    )

    assert response.status_code == 302
    assert response["Location"] == "/tracking/stores/"
    store.refresh_from_db()
    assert store.api_token == NEW_TOKEN
    entry = AuditEntry.objects.get(action="store_connection.update")
    assert (entry.actor, entry.target_id) == (manager, str(store.pk))
    assert entry.changes == {"api_token": ["(set)", "(replaced)"]}
    _assert_hidden(_audit_text(workspace), TOKEN, NEW_TOKEN, SECRET)


def test_given_empty_secret_fields_when_editing_then_token_and_secret_are_kept(
    owner_client, workspace
):
    store = _store(workspace)

    response = owner_client.post(
        f"/tracking/stores/{store.pk}/edit/",
        _edit(store, shop_domain="Renamed.myshopify.com", api_token="", secret=""),
    )

    assert response.status_code == 302
    store.refresh_from_db()
    assert (store.shop_domain, store.api_token, store.secret) == (
        "renamed.myshopify.com",
        TOKEN,
        SECRET,
    )
    entry = AuditEntry.objects.get(action="store_connection.update")
    assert entry.changes == {"shop_domain": ["acme.myshopify.com", "renamed.myshopify.com"]}


def test_given_clear_token_when_editing_then_the_store_is_no_longer_pushable(
    owner_client, workspace
):
    store = _store(workspace)
    assert list(pushable_stores(workspace=workspace)) == [store]

    response = owner_client.post(
        f"/tracking/stores/{store.pk}/edit/", _edit(store, clear_api_token="on")
    )

    assert response.status_code == 302
    store.refresh_from_db()
    assert store.api_token == ""
    assert list(pushable_stores(workspace=workspace)) == []
    entry = AuditEntry.objects.get(action="store_connection.update")
    assert entry.changes == {"api_token": ["(set)", "(cleared)"]}


def test_given_a_new_token_and_clear_when_editing_then_400_and_nothing_changes(
    owner_client, workspace
):
    store = _store(workspace)

    response = owner_client.post(
        f"/tracking/stores/{store.pk}/edit/",
        _edit(store, api_token=NEW_TOKEN, clear_api_token="on"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "api_token": ["Either give a new API token or clear it, not both."]
    }
    _assert_hidden(response.content.decode(), TOKEN, NEW_TOKEN)
    store.refresh_from_db()
    assert store.api_token == TOKEN


def test_given_a_new_secret_and_switching_off_when_editing_then_both_change_secret_unlogged(
    owner_client, workspace
):
    store = _store(workspace)

    owner_client.post(
        f"/tracking/stores/{store.pk}/edit/",
        {"shop_domain": store.shop_domain, "api_url": "", "secret": NEW_SECRET},
    )

    store.refresh_from_db()
    assert (store.secret, store.active) == (NEW_SECRET, False)
    assert list(pushable_stores(workspace=workspace)) == []
    entry = AuditEntry.objects.get(action="store_connection.update")
    assert entry.changes == {"active": [True, False], "secret": ["(set)", "(replaced)"]}
    _assert_hidden(_audit_text(workspace), SECRET, NEW_SECRET, TOKEN)


def test_given_a_token_on_a_store_without_one_when_editing_then_it_becomes_pushable(
    owner_client, workspace
):
    store = _store(workspace, platform="woocommerce", api_token="", shop_domain="shop.example")

    owner_client.post(
        f"/tracking/stores/{store.pk}/edit/",
        _edit(store, api_url="https://shop.example.com/", api_token=WOO_TOKEN),
    )

    store.refresh_from_db()
    assert (store.api_url, store.api_token) == ("https://shop.example.com/", WOO_TOKEN)
    assert list(pushable_stores(workspace=workspace)) == [store]
    entry = AuditEntry.objects.get(action="store_connection.update")
    assert entry.changes == {
        "api_token": ["(not set)", "(set)"],
        "api_url": ["", "https://shop.example.com/"],
    }


@pytest.mark.parametrize(
    ("api_url", "error"),
    [
        ("ftp://shop.example.com", "Enter a full http:// or https:// address."),
        ("shop.example.com", "Enter a full http:// or https:// address."),
        (
            "https://ck:cs@shop.example.com",
            "Only the store's base address: credentials go in the API token.",
        ),
        (
            "https://shop.example.com/?consumer_key=ck",
            "Only the store's base address: credentials go in the API token.",
        ),
    ],
)
def test_given_a_bad_api_url_when_editing_then_400_with_a_field_error(
    owner_client, workspace, api_url, error
):
    store = _store(workspace)

    response = owner_client.post(
        f"/tracking/stores/{store.pk}/edit/", _edit(store, api_url=api_url, api_token=NEW_TOKEN)
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"api_url": [error]}
    html = response.content.decode()
    _assert_hidden(html, TOKEN, NEW_TOKEN)
    assert '<dd id="api-token-state">set, ending in …KEN1</dd>' in html
    store.refresh_from_db()
    assert (store.api_url, store.api_token) == ("", TOKEN)
    assert not AuditEntry.objects.filter(action="store_connection.update").exists()


def test_given_a_short_secret_when_editing_then_400_with_a_field_error(owner_client, workspace):
    store = _store(workspace)

    response = owner_client.post(f"/tracking/stores/{store.pk}/edit/", _edit(store, secret="abc"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "secret": ["The secret must have at least 8 characters."]
    }


def test_given_a_generic_webhook_store_then_the_edit_page_has_no_api_fields(
    owner_client, workspace
):
    store = _store(workspace, platform="webhook", api_token="", shop_domain="")

    response = owner_client.get(f"/tracking/stores/{store.pk}/edit/")

    assert list(response.context["form"].fields) == ["shop_domain", "active", "secret"]
    assert 'id="api-token-state"' not in response.content.decode()


def test_given_an_unchanged_form_when_saving_then_no_audit_entry(owner_client, workspace):
    store = _store(workspace)

    response = owner_client.post(f"/tracking/stores/{store.pk}/edit/", _edit(store))

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="store_connection.update").exists()


def test_given_a_viewer_then_the_edit_page_is_forbidden(viewer_client, workspace):
    store = _store(workspace)

    assert viewer_client.get(f"/tracking/stores/{store.pk}/edit/").status_code == 403
    response = viewer_client.post(
        f"/tracking/stores/{store.pk}/edit/", _edit(store, clear_api_token="on")
    )

    assert response.status_code == 403
    store.refresh_from_db()
    assert store.api_token == TOKEN


def test_given_another_workspaces_store_then_the_edit_page_is_404(owner_client, other_workspace):
    theirs = _store(other_workspace)

    assert owner_client.get(f"/tracking/stores/{theirs.pk}/edit/").status_code == 404
    response = owner_client.post(
        f"/tracking/stores/{theirs.pk}/edit/", _edit(theirs, api_token=NEW_TOKEN)
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.api_token == TOKEN


# --- the service ----------------------------------------------------------------------------


def test_given_a_token_on_a_generic_webhook_when_updating_then_a_validation_error(
    workspace,
):
    store = _store(workspace, platform="webhook", api_token="")

    with pytest.raises(ValidationError) as caught:
        store_connection_update(connection=store, api_token=TOKEN)

    assert caught.value.message_dict == {
        "api_token": ["Only Shopify and WooCommerce connections use the store's API."]
    }
    assert store.api_token == ""  # the caller's instance is back to what is stored
    store.refresh_from_db()
    assert store.api_token == ""


# --- the API --------------------------------------------------------------------------------


def test_when_patching_a_stores_token_then_200_without_the_token_and_it_is_pushable(
    owner_api, workspace, owner
):
    store = _store(workspace, api_token="")

    response = owner_api.patch(
        f"/stores/{store.pk}", {"api_token": TOKEN, "api_url": "https://acme.myshopify.com"}
    )

    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k not in {"created_at", "webhook_url"}} == {
        "id": store.pk,
        "platform": "shopify",
        "shop_domain": "acme.myshopify.com",
        "active": True,
        "can_push_codes": True,
        "api_url": "https://acme.myshopify.com",
        "api_token_set": True,
        "secret_set": True,
    }
    _assert_hidden(response.content.decode(), TOKEN, SECRET)
    store.refresh_from_db()
    assert store.api_token == TOKEN
    assert list(pushable_stores(workspace=workspace)) == [store]
    entry = AuditEntry.objects.get(action="store_connection.update")
    assert entry.actor == owner
    assert entry.changes == {
        "api_token": ["(not set)", "(set)"],
        "api_url": ["", "https://acme.myshopify.com"],
    }
    listing = owner_api.get("/stores")
    _assert_hidden(listing.content.decode(), TOKEN, SECRET)


def test_when_patching_with_an_empty_token_then_it_is_kept_and_clear_removes_it(
    owner_api, workspace
):
    store = _store(workspace)

    kept = owner_api.patch(f"/stores/{store.pk}", {"api_token": "", "secret": ""})
    store.refresh_from_db()
    assert (kept.status_code, store.api_token, store.secret) == (200, TOKEN, SECRET)

    cleared = owner_api.patch(f"/stores/{store.pk}", {"clear_api_token": True})

    assert cleared.status_code == 200
    assert (cleared.json()["api_token_set"], cleared.json()["can_push_codes"]) == (False, False)
    store.refresh_from_db()
    assert store.api_token == ""


def test_when_patching_a_new_secret_then_it_is_replaced_and_never_answered(owner_api, workspace):
    store = _store(workspace)

    response = owner_api.patch(f"/stores/{store.pk}", {"secret": NEW_SECRET, "active": False})

    assert response.status_code == 200
    assert response.json()["active"] is False
    _assert_hidden(response.content.decode(), SECRET, NEW_SECRET, TOKEN)
    store.refresh_from_db()
    assert (store.secret, store.active) == (NEW_SECRET, False)
    _assert_hidden(_audit_text(workspace), SECRET, NEW_SECRET, TOKEN)


def test_given_a_bad_api_url_when_patching_then_422_naming_the_field(owner_api, workspace):
    store = _store(workspace)

    response = owner_api.patch(f"/stores/{store.pk}", {"api_url": "nope", "api_token": NEW_TOKEN})

    assert response.status_code == 422
    assert "api_url" in response.content.decode()
    _assert_hidden(response.content.decode(), TOKEN, NEW_TOKEN)
    store.refresh_from_db()
    assert (store.api_url, store.api_token) == ("", TOKEN)


def test_given_an_unknown_field_when_patching_then_422(owner_api, workspace):
    store = _store(workspace)

    response = owner_api.patch(f"/stores/{store.pk}", {"token": NEW_TOKEN})

    assert response.status_code == 422
    store.refresh_from_db()
    assert store.api_token == TOKEN


def test_given_a_viewer_when_patching_a_store_then_403_and_unchanged(viewer_api, workspace):
    store = _store(workspace)

    response = viewer_api.patch(f"/stores/{store.pk}", {"clear_api_token": True})

    assert response.status_code == 403
    store.refresh_from_db()
    assert store.api_token == TOKEN


def test_given_another_workspaces_store_when_patching_then_404_and_unchanged(
    owner_api, other_workspace
):
    theirs = _store(other_workspace)

    response = owner_api.patch(f"/stores/{theirs.pk}", {"api_token": NEW_TOKEN})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.api_token == TOKEN
