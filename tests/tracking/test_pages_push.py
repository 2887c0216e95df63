"""Push to store from the web UI: one code (codes list, deal page) or a batch, against the local
fake store server; the store's refusal shown with a 502, bad store 400, roles and isolation."""

from __future__ import annotations

import pytest

from infludesk.core.models import AuditEntry
from infludesk.tracking.models import StoreConnection
from tests.connectors.conftest import fake_store  # noqa: F401  (the local store server)
from tests.factories import CreatorFactory, DealFactory, DiscountCodeFactory

pytestmark = pytest.mark.django_db
PRICE_RULES = "/admin/api/2026-04/price_rules.json"


def _store(workspace, platform, url="http://127.0.0.1:9", **extra) -> StoreConnection:
    fields = {"api_token": "shpat_x" if platform == "shopify" else "ck:cs", **extra}
    return StoreConnection.objects.create(
        workspace=workspace,
        platform=platform,
        public_key=f"k-{platform}-{workspace.slug}-{StoreConnection.objects.count()}",
        secret="s" * 10,
        api_url=url,
        **fields,
    )


@pytest.fixture
def deal(workspace):
    anna = CreatorFactory(workspace=workspace, name="Anna Berg")
    return DealFactory(campaign__workspace=workspace, creator=anna)


def _shopify_accepts(store_server) -> None:
    store_server.reply(
        "POST", PRICE_RULES, status=201, body={"price_rule": {"id": 507328175, "title": "ANNA15"}}
    )
    store_server.reply(
        "POST",
        "/admin/api/2026-04/price_rules/507328175/discount_codes.json",
        status=201,
        body={"discount_code": {"id": 9, "price_rule_id": 507328175, "code": "ANNA15"}},
    )


def _pushes(workspace) -> list[tuple[str, int | None, dict]]:
    return list(
        AuditEntry.objects.filter(workspace=workspace, action__contains="push")
        .order_by("pk")
        .values_list("action", "actor_id", "changes")
    )


def test_given_a_shopify_store_when_a_code_is_pushed_from_the_codes_page_then_it_is_created(
    manager_client,
    manager,
    workspace,
    deal,
    fake_store,  # noqa: F811
):
    # given
    code = DiscountCodeFactory(creator=deal.creator, deal=deal, code="ANNA15")
    store = _store(workspace, "shopify", fake_store.url, shop_domain="acme.myshopify.com")
    _shopify_accepts(fake_store)
    page = manager_client.get(f"/tracking/codes/{code.pk}/push/")
    assert page.status_code == 200
    option = f'<option value="{store.pk}">Shopify · acme.myshopify.com</option>'
    assert option in page.content.decode()
    # when
    response = manager_client.post(f"/tracking/codes/{code.pk}/push/", {"store": store.pk})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/tracking/codes/"
    assert [(s.method, s.path) for s in fake_store.seen] == [
        ("POST", PRICE_RULES),
        ("POST", "/admin/api/2026-04/price_rules/507328175/discount_codes.json"),
    ]
    assert fake_store.seen[1].json() == {"discount_code": {"code": "ANNA15"}}
    assert _pushes(workspace) == [
        (
            "discount_code.push",
            manager.pk,
            {"store": [None, "shopify"], "remote_id": [None, "507328175"]},
        )
    ]
    followed = manager_client.get("/tracking/codes/").content.decode()
    assert "Code ANNA15 created in Shopify · acme.myshopify.com (id 507328175)." in followed


def test_given_the_deal_page_partial_then_each_code_has_a_push_button_back_to_the_deal(
    owner_client,
    workspace,
    deal,
    fake_store,  # noqa: F811
):
    code = DiscountCodeFactory(creator=deal.creator, deal=deal, code="ANNA15")
    store = _store(workspace, "woocommerce", fake_store.url, shop_domain="shop.example")
    html = owner_client.get(f"/tracking/deals/{deal.pk}/").content.decode()
    assert f'action="/tracking/codes/{code.pk}/push/"' in html
    assert f'<input type="hidden" name="store" value="{store.pk}">' in html
    assert "Push to store (WooCommerce · shop.example)" in html
    # when the button is pressed
    fake_store.reply(
        "POST", "/wp-json/wc/v3/coupons", status=201, body={"id": 720, "code": "anna15"}
    )
    response = owner_client.post(
        f"/tracking/codes/{code.pk}/push/", {"store": store.pk, "back": "deal"}
    )
    # then the coupon is created and the user is back on the deal
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert fake_store.seen[0].json()["code"] == "ANNA15"
    assert [a for a, _, _ in _pushes(workspace)] == ["discount_code.push"]


def test_given_no_pushable_store_then_the_deal_has_no_button_and_the_page_says_why(
    owner_client, workspace, deal
):
    code = DiscountCodeFactory(creator=deal.creator, deal=deal, code="ANNA15")
    _store(workspace, "csv", api_token="")
    _store(workspace, "shopify", api_token="")  # no API token: cannot create codes
    _store(workspace, "shopify", active=False)
    assert "/push/" not in owner_client.get(f"/tracking/deals/{deal.pk}/").content.decode()
    page = owner_client.get(f"/tracking/codes/{code.pk}/push/").content.decode()
    assert '<p class="empty" id="no-pushable-store">No store can receive codes yet' in page


def test_given_a_viewer_then_no_push_buttons_and_pushes_are_403(viewer_client, workspace, deal):
    code = DiscountCodeFactory(creator=deal.creator, deal=deal, code="ANNA15", batch="G")
    store = _store(workspace, "shopify")
    assert "/push/" not in viewer_client.get(f"/tracking/deals/{deal.pk}/").content.decode()
    assert "Push to store" not in viewer_client.get("/tracking/codes/").content.decode()
    assert viewer_client.get(f"/tracking/codes/{code.pk}/push/").status_code == 403
    assert (
        viewer_client.post(f"/tracking/codes/{code.pk}/push/", {"store": store.pk}).status_code
        == 403
    )
    response = viewer_client.post("/tracking/codes/batch/push/", {"batch": "G", "store": store.pk})
    assert response.status_code == 403
    assert _pushes(workspace) == []


def test_given_the_store_refuses_then_502_shows_its_answer_and_nothing_is_recorded(
    owner_client,
    workspace,
    deal,
    fake_store,  # noqa: F811
):
    # given
    code = DiscountCodeFactory(creator=deal.creator, deal=deal, code="ANNA15")
    store = _store(workspace, "shopify", fake_store.url)
    fake_store.reply(
        "POST", PRICE_RULES, status=422, body={"errors": {"title": ["has already been taken"]}}
    )
    # when
    response = owner_client.post(f"/tracking/codes/{code.pk}/push/", {"store": store.pk})
    # then
    assert response.status_code == 502
    error = response.context["push_error"]
    assert error.startswith(
        f"The store did not accept the code(s): POST {fake_store.url}{PRICE_RULES}"
    )
    assert "answered 422" in error
    assert "has already been taken" in response.content.decode()
    assert _pushes(workspace) == []


@pytest.mark.parametrize("kind", ["other_workspace", "csv", "missing", "blank"])
def test_given_a_store_that_cannot_take_codes_then_400_on_the_store_field(
    owner_client, workspace, other_workspace, deal, kind
):
    code = DiscountCodeFactory(creator=deal.creator, deal=deal, code="ANNA15")
    _store(workspace, "shopify")
    store_id = {
        "other_workspace": lambda: _store(other_workspace, "shopify").pk,
        "csv": lambda: _store(workspace, "csv").pk,
        "missing": lambda: 999999,
        "blank": lambda: "",
    }[kind]()
    response = owner_client.post(f"/tracking/codes/{code.pk}/push/", {"store": store_id})
    assert response.status_code == 400
    message = (
        "Choose a store."
        if kind == "blank"
        else "Choose one of this workspace's active Shopify or WooCommerce stores "
        "with an API token."
    )
    assert response.context["form"].errors == {"store": [message]}
    assert _pushes(workspace) == []


def test_given_another_workspaces_code_then_push_is_404(owner_client, workspace, other_workspace):
    theirs = DiscountCodeFactory(creator=CreatorFactory(workspace=other_workspace), code="X15")
    store = _store(workspace, "shopify")
    assert owner_client.get(f"/tracking/codes/{theirs.pk}/push/").status_code == 404
    response = owner_client.post(f"/tracking/codes/{theirs.pk}/push/", {"store": store.pk})
    assert response.status_code == 404
    response = owner_client.get("/tracking/codes/batch/push/?batch=nope")
    assert response.status_code == 404


def test_given_a_batch_when_pushed_to_woocommerce_then_every_code_is_sent(
    manager_client,
    manager,
    workspace,
    deal,
    fake_store,  # noqa: F811
):
    # given
    for text in ("GWAAAA", "GWBBBB"):
        DiscountCodeFactory(creator=deal.creator, code=text, batch="Give away", single_use=True)
    store = _store(workspace, "woocommerce", fake_store.url)
    fake_store.reply(
        "POST",
        "/wp-json/wc/v3/coupons/batch",
        body={"create": [{"id": 720, "code": "gwaaaa"}, {"id": 721, "code": "gwbbbb"}]},
    )
    codes_page = manager_client.get("/tracking/codes/").content.decode()
    assert '<a href="/tracking/codes/batch/push/?batch=Give%20away">Push to store</a>' in codes_page
    page = manager_client.get("/tracking/codes/batch/push/?batch=Give away")
    assert "Creates all 2 codes of the batch" in page.content.decode()
    # when
    response = manager_client.post(
        "/tracking/codes/batch/push/", {"batch": "Give away", "store": store.pk}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/tracking/codes/?batch=Give+away"
    assert [c["code"] for c in fake_store.seen[0].json()["create"]] == ["GWAAAA", "GWBBBB"]
    assert _pushes(workspace) == [
        ("discount_code.batch_push", manager.pk, {"batch": [None, "Give away"], "codes": [0, 2]})
    ]


def test_given_a_batch_the_store_refuses_then_502_with_its_answer(
    owner_client,
    workspace,
    deal,
    fake_store,  # noqa: F811
):
    DiscountCodeFactory(creator=deal.creator, code="GWAAAA", batch="G", single_use=True)
    store = _store(workspace, "shopify", fake_store.url)
    fake_store.reply("POST", PRICE_RULES, status=403, body={"errors": "Forbidden"})
    response = owner_client.post("/tracking/codes/batch/push/", {"batch": "G", "store": store.pk})
    assert response.status_code == 502
    assert "answered 403" in response.context["push_error"]
    assert _pushes(workspace) == []
