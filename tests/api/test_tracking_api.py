"""Tracking API: tracked links (create, list, edit, status, clicks, QR), discount codes (single,
batches, CSV, push to a store), orders with both currencies, leaks with evidence, and the rate
table. Each resource: exact values, the services' 422s, 404 for another workspace's rows, 403
for viewers, audit entries for writes, and pinned query counts on lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest

from infludesk.core.models import AuditEntry, ExchangeRate
from infludesk.tracking.codes import READABLE_ALPHABET
from infludesk.tracking.models import (
    Conversion,
    DiscountCode,
    LinkStatus,
    StoreConnection,
    TrackedLink,
)
from tests.connectors.conftest import fake_store  # noqa: F401  (the local store server)
from tests.factories import (
    CampaignFactory,
    ClickFactory,
    CreatorFactory,
    DealFactory,
    DiscountCodeFactory,
    OrderFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)
SITE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, slug="spring-trail")


@pytest.fixture
def anna(workspace):
    creator = CreatorFactory(workspace=workspace, name="Anna Berg", first_name="Anna")
    SocialAccountFactory(creator=creator, platform="instagram", handle="anna.runs")
    return creator


@pytest.fixture
def deal(campaign, anna):
    return DealFactory(campaign=campaign, creator=anna)


def actions(workspace) -> list[str]:
    return list(
        AuditEntry.objects.filter(workspace=workspace)
        .exclude(action="api_token.create")
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- tracked links -------------------------------------------------------------------------


def test_when_creating_a_deals_link_then_201_with_default_utm_and_an_audit_entry(
    owner_api, deal, workspace
):
    response = owner_api.post(
        "/links", {"deal_id": deal.pk, "destination_url": "https://shop.test/p"}
    )
    assert response.status_code == 201
    link = TrackedLink.objects.get()
    assert response.json() == {
        "id": link.pk,
        "slug": link.slug,
        "short_url": f"{SITE}/l/{link.slug}",
        "creator_id": deal.creator_id,
        "deal_id": deal.pk,
        "campaign_id": deal.campaign_id,
        "destination_url": "https://shop.test/p",
        "utm_source": "instagram",
        "utm_medium": "influencer",
        "utm_campaign": "spring-trail",
        "utm_content": "anna.runs",
        "status": "active",
        "fallback_url": "",
        "created_at": response.json()["created_at"],
        "updated_at": response.json()["updated_at"],
    }
    assert len(link.slug) == 8
    assert actions(workspace) == ["tracked_link.create"]


def test_when_creating_a_creators_link_outside_a_deal_then_no_campaign_and_utm_as_given(
    owner_api, anna
):
    response = owner_api.post(
        "/links",
        {
            "creator_id": anna.pk,
            "destination_url": "https://shop.test/",
            "utm_source": "newsletter",
            "utm_content": "",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["deal_id"], body["campaign_id"]) == (None, None)
    assert (body["utm_source"], body["utm_medium"], body["utm_campaign"], body["utm_content"]) == (
        "newsletter",
        "influencer",
        "",
        "",
    )


def test_given_neither_deal_nor_creator_when_creating_a_link_then_422_on_deal_id(owner_api):
    response = owner_api.post("/links", {"destination_url": "https://shop.test/"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "deal_id",
            "message": "Give a deal_id, or a creator_id for a link outside a deal.",
        }
    ]


def test_given_a_bad_destination_when_creating_a_link_then_422_and_nothing_stored(owner_api, deal):
    response = owner_api.post("/links", {"deal_id": deal.pk, "destination_url": "ftp://shop"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "destination_url", "message": "Enter a full http:// or https:// address."}
    ]
    assert TrackedLink.objects.count() == 0


def test_given_another_creators_deal_when_creating_a_link_then_422_on_deal_id(
    owner_api, deal, workspace
):
    ben = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/links",
        {"deal_id": deal.pk, "creator_id": ben.pk, "destination_url": "https://shop.test/"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "deal_id", "message": "This deal is not this creator's deal in this workspace."}
    ]


def test_given_another_workspaces_deal_when_creating_a_link_then_422_and_nothing_stored(
    owner_api, other_workspace
):
    stranger = DealFactory(campaign__workspace=other_workspace)
    response = owner_api.post(
        "/links", {"deal_id": stranger.pk, "destination_url": "https://a.test"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "deal_id", "message": f"No deal with id {stranger.pk} here."}
    ]
    assert TrackedLink.objects.count() == 0


def test_when_listing_links_then_each_filter_narrows_the_list(owner_api, deal, anna, workspace):
    in_deal = TrackedLinkFactory(creator=anna, deal=deal)
    loose = TrackedLinkFactory(creator=anna)
    other = TrackedLinkFactory(creator__workspace=workspace, status=LinkStatus.DISABLED)

    def ids(**params):
        return [row["id"] for row in owner_api.get("/links", **params).json()["items"]]

    assert ids() == [other.pk, loose.pk, in_deal.pk]
    assert ids(campaign_id=deal.campaign_id) == [in_deal.pk]
    assert ids(deal_id=deal.pk) == [in_deal.pk]
    assert ids(creator_id=anna.pk) == [loose.pk, in_deal.pk]
    assert ids(status="disabled") == [other.pk]
    assert ids(status="") == [other.pk, loose.pk, in_deal.pk]


def test_when_patching_destination_and_utm_then_only_those_change_and_are_audited(
    owner_api, deal, workspace
):
    link = TrackedLinkFactory(creator=deal.creator, deal=deal, utm_source="instagram")
    response = owner_api.patch(
        f"/links/{link.pk}",
        {"destination_url": "https://shop.test/new", "utm_campaign": "black-friday"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["destination_url"], body["utm_campaign"], body["utm_source"]) == (
        "https://shop.test/new",
        "black-friday",
        "instagram",
    )
    entry = AuditEntry.objects.get(action="tracked_link.update")
    assert entry.changes == {
        "destination_url": [
            "https://shop.example.com/products/trail-shoes",
            "https://shop.test/new",
        ],
        "utm_campaign": ["", "black-friday"],
    }


def test_given_no_fallback_when_pausing_a_link_then_422_and_it_stays_active(owner_api, anna):
    link = TrackedLinkFactory(creator=anna)
    response = owner_api.patch(f"/links/{link.pk}", {"status": "paused"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "fallback_url", "message": "A paused link needs a fallback URL."}
    ]
    link.refresh_from_db()
    assert link.status == "active"


def test_when_pausing_with_a_fallback_in_the_same_request_then_paused(owner_api, anna, workspace):
    link = TrackedLinkFactory(creator=anna)
    response = owner_api.patch(
        f"/links/{link.pk}", {"status": "paused", "fallback_url": "https://shop.test/sold-out"}
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["fallback_url"]) == (
        "paused",
        "https://shop.test/sold-out",
    )
    assert actions(workspace) == ["tracked_link.update", "tracked_link.paused"]


def test_when_reactivating_and_clearing_the_fallback_then_active_without_fallback(owner_api, anna):
    link = TrackedLinkFactory(
        creator=anna, status=LinkStatus.PAUSED, fallback_url="https://shop.test/x"
    )
    response = owner_api.patch(f"/links/{link.pk}", {"status": "active", "fallback_url": ""})
    assert response.status_code == 200
    link.refresh_from_db()
    assert (link.status, link.fallback_url) == ("active", "")


def test_given_an_unknown_status_or_field_when_patching_then_422(owner_api, anna):
    link = TrackedLinkFactory(creator=anna)
    bad_status = owner_api.patch(f"/links/{link.pk}", {"status": "gone"})
    assert bad_status.status_code == 422
    assert [e["field"] for e in bad_status.json()["errors"]] == ["status"]
    unknown = owner_api.patch(f"/links/{link.pk}", {"slug": "mine"})
    assert [e["field"] for e in unknown.json()["errors"]] == ["slug"]


def test_when_fetching_click_stats_then_human_unique_and_bot_counts(owner_api, anna):
    link = TrackedLinkFactory(creator=anna)
    ClickFactory(link=link, clicked_at=DAY, is_unique=True)
    ClickFactory(link=link, clicked_at=DAY + dt.timedelta(minutes=5), is_unique=False)
    ClickFactory(link=link, clicked_at=DAY + dt.timedelta(hours=2), is_unique=True)
    ClickFactory(link=link, clicked_at=DAY + dt.timedelta(hours=3), is_bot=True, is_unique=False)
    ClickFactory(link__creator__workspace=anna.workspace)  # another link's click
    response = owner_api.get(f"/links/{link.pk}/clicks")
    assert response.status_code == 200
    assert response.json() == {
        "link_id": link.pk,
        "clicks": 3,
        "unique_clicks": 2,
        "bot_flagged": 1,
        "last_click_at": "2026-11-10T14:00:00Z",
    }


def test_when_fetching_the_qr_code_then_svg_by_default_and_png_on_request(owner_api, anna):
    link = TrackedLinkFactory(creator=anna, slug="Ab3dEf9h")
    svg = owner_api.get(f"/links/{link.pk}/qr")
    assert (svg.status_code, svg["Content-Type"]) == (200, "image/svg+xml")
    assert b"<svg" in svg.content
    png = owner_api.get(f"/links/{link.pk}/qr", format="png")
    assert (png.status_code, png["Content-Type"]) == (200, "image/png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert png["Content-Disposition"] == 'inline; filename="link-Ab3dEf9h.png"'
    gif = owner_api.get(f"/links/{link.pk}/qr", format="gif")
    assert gif.status_code == 422
    assert [e["field"] for e in gif.json()["errors"]] == ["format"]


# --- discount codes ------------------------------------------------------------------------


def test_when_creating_a_deals_code_without_one_then_the_readable_pattern(
    owner_api, deal, workspace
):
    response = owner_api.post(f"/deals/{deal.pk}/codes", {"value": "15"})
    assert response.status_code == 201
    row = DiscountCode.objects.get()
    assert response.json() == {
        "id": row.pk,
        "code": "ANNA15",
        "creator_id": deal.creator_id,
        "deal_id": deal.pk,
        "campaign_id": deal.campaign_id,
        "kind": "percent",
        "value": "15.00",
        "valid_from": None,
        "valid_until": None,
        "single_use": False,
        "batch": "",
        "created_at": response.json()["created_at"],
    }
    assert actions(workspace) == ["discount_code.create"]


def test_when_creating_a_random_code_then_8_unambiguous_characters(owner_api, deal):
    response = owner_api.post(
        f"/deals/{deal.pk}/codes", {"value": "10", "kind": "fixed", "pattern": "random"}
    )
    assert response.status_code == 201
    code = response.json()["code"]
    assert len(code) == 8
    assert set(code) <= set(READABLE_ALPHABET)


def test_given_a_taken_code_in_another_case_when_creating_then_422_on_code(owner_api, deal):
    DiscountCodeFactory(creator=deal.creator, code="anna15")
    response = owner_api.post(f"/deals/{deal.pk}/codes", {"value": "15", "code": "ANNA15"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "code",
            "message": "the code ANNA15 already exists in this workspace (codes are compared "
            "without regard to case); choose another code",
        }
    ]
    assert DiscountCode.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"value": "120"}, "value", "a percent discount cannot exceed 100"),
        (
            {"value": "5", "valid_from": "2026-12-01", "valid_until": "2026-11-01"},
            "valid_until",
            "valid_until must not be before valid_from",
        ),
        (
            {"value": "5", "code": "has space"},
            "code",
            "code 'has space' must be 3 to 64 letters, digits, '-' or '_' (no spaces)",
        ),
    ],
)
def test_given_bad_terms_when_creating_a_code_then_422_naming_the_field(
    owner_api, deal, body, field, message
):
    response = owner_api.post(f"/deals/{deal.pk}/codes", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]
    assert DiscountCode.objects.count() == 0


def test_given_a_zero_value_when_creating_a_code_then_422_from_the_schema(owner_api, deal):
    response = owner_api.post(f"/deals/{deal.pk}/codes", {"value": "0"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "value", "message": "Input should be greater than 0"}
    ]


def test_when_creating_a_batch_then_single_use_codes_and_one_audit_entry(
    owner_api, deal, workspace
):
    response = owner_api.post(
        "/codes/batches",
        {"deal_id": deal.pk, "batch": "Giveaway", "count": 5, "value": "20", "prefix": "GW"},
    )
    assert response.status_code == 201
    body = response.json()
    rows = DiscountCode.objects.filter(batch="Giveaway").order_by("code")
    assert (body["batch"], body["count"], body["codes"]) == (
        "Giveaway",
        5,
        [r.code for r in rows],
    )
    assert all(r.single_use and r.code.startswith("GW") and len(r.code) == 10 for r in rows)
    assert {r.creator_id for r in rows} == {deal.creator_id}
    assert actions(workspace) == ["discount_code.batch_create"]


def test_given_a_taken_batch_name_when_creating_a_batch_then_422_on_batch(owner_api, anna):
    DiscountCodeFactory(creator=anna, batch="Giveaway", single_use=True)
    response = owner_api.post(
        "/codes/batches", {"creator_id": anna.pk, "batch": "Giveaway", "count": 2, "value": "5"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "batch", "message": "a batch named 'Giveaway' already exists"}
    ]


def test_given_another_creators_deal_when_creating_a_batch_then_422_on_deal_id(
    owner_api, deal, workspace
):
    ben = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/codes/batches",
        {"deal_id": deal.pk, "creator_id": ben.pk, "batch": "B", "count": 2, "value": "5"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "deal_id", "message": "This deal belongs to another creator."}
    ]
    assert DiscountCode.objects.count() == 0


def test_given_too_many_codes_when_creating_a_batch_then_422_on_count(owner_api, anna):
    response = owner_api.post(
        "/codes/batches", {"creator_id": anna.pk, "batch": "B", "count": 10_001, "value": "5"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "count", "message": "Input should be less than or equal to 10000"}
    ]


def test_when_exporting_a_batch_then_the_csv_for_other_stores(owner_api, deal):
    DiscountCodeFactory(
        creator=deal.creator, deal=deal, code="GWAAAA", batch="Give away", single_use=True
    )
    DiscountCodeFactory(creator=deal.creator, code="ANNA15")  # not in the batch
    response = owner_api.get("/codes/batches/export", batch="Give away")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="codes-Give-away.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        [
            "code",
            "kind",
            "value",
            "valid_from",
            "valid_until",
            "single_use",
            "usage_limit",
            "creator",
            "deal_id",
            "batch",
        ],
        ["GWAAAA", "percent", "15.00", "", "", "true", "1", "Anna Berg", str(deal.pk), "Give away"],
    ]


def test_given_an_unknown_batch_when_exporting_then_404(owner_api):
    response = owner_api.get("/codes/batches/export", batch="nope")
    assert (response.status_code, response.json()["detail"]) == (
        404,
        "No batch of that name in this workspace.",
    )


def test_when_listing_codes_then_filters_apply(owner_api, deal, anna, workspace):
    in_deal = DiscountCodeFactory(creator=anna, deal=deal, code="ANNA15")
    batch = DiscountCodeFactory(creator=anna, code="GW1", batch="G", single_use=True)
    other = DiscountCodeFactory(creator__workspace=workspace, code="BEN10")

    def codes(**params):
        return [row["code"] for row in owner_api.get("/codes", **params).json()["items"]]

    assert codes() == ["ANNA15", "BEN10", "GW1"]
    assert codes(campaign_id=deal.campaign_id) == [in_deal.code]
    assert codes(deal_id=deal.pk) == [in_deal.code]
    assert codes(creator_id=other.creator_id) == ["BEN10"]
    assert codes(batch="G") == [batch.code]
    assert codes(single_use="true") == [batch.code]
    assert codes(q="anna") == ["ANNA15"]


def _store(workspace, platform, url="http://127.0.0.1:9", **extra):
    fields = {"api_token": "shpat_x" if platform == "shopify" else "ck:cs", **extra}
    return StoreConnection.objects.create(
        workspace=workspace,
        platform=platform,
        public_key=f"k-{platform}-{workspace.slug}-{StoreConnection.objects.count()}",
        secret="s" * 10,
        api_url=url,
        **fields,
    )


def test_when_listing_stores_then_ids_and_webhook_urls_without_secrets(owner_api, workspace):
    shop = _store(workspace, "shopify", shop_domain="acme.myshopify.com")
    sheet = _store(workspace, "csv", api_token="")
    response = owner_api.get("/stores")
    assert response.status_code == 200
    assert response.json()["items"] == [
        {
            "id": sheet.pk,
            "platform": "csv",
            "shop_domain": "",
            "active": True,
            "can_push_codes": False,
            "webhook_url": "",
            "created_at": response.json()["items"][0]["created_at"],
        },
        {
            "id": shop.pk,
            "platform": "shopify",
            "shop_domain": "acme.myshopify.com",
            "active": True,
            "can_push_codes": True,
            "webhook_url": f"{SITE}/tracking/webhooks/shopify/{shop.public_key}/",
            "created_at": response.json()["items"][1]["created_at"],
        },
    ]
    assert "secret" not in response.content.decode()


def test_given_a_viewer_or_another_workspace_when_listing_stores_then_403_or_none(
    viewer_api, other_api, workspace
):
    _store(workspace, "shopify")
    assert viewer_api.get("/stores").status_code == 403
    assert other_api.get("/stores").json()["count"] == 0


def test_when_pushing_a_code_to_shopify_then_the_price_rule_and_code_are_created(
    owner_api,
    deal,
    workspace,
    fake_store,  # noqa: F811
):
    code = DiscountCodeFactory(creator=deal.creator, deal=deal, code="ANNA15")
    fake_store.reply(
        "POST",
        "/admin/api/2026-04/price_rules.json",
        status=201,
        body={"price_rule": {"id": 507328175, "title": "ANNA15"}},
    )
    fake_store.reply(
        "POST",
        "/admin/api/2026-04/price_rules/507328175/discount_codes.json",
        status=201,
        body={"discount_code": {"id": 9, "price_rule_id": 507328175, "code": "ANNA15"}},
    )
    store = _store(workspace, "shopify", fake_store.url)
    response = owner_api.post(f"/codes/{code.pk}/push", {"store_id": store.pk})
    assert response.status_code == 200
    assert response.json() == {
        "store_id": store.pk,
        "platform": "shopify",
        "remote_id": "507328175",
        "codes": ["ANNA15"],
    }
    assert fake_store.seen[1].json() == {"discount_code": {"code": "ANNA15"}}
    assert actions(workspace) == ["discount_code.push"]


def test_when_pushing_a_batch_to_woocommerce_then_every_code_is_sent(
    owner_api,
    anna,
    workspace,
    fake_store,  # noqa: F811
):
    for text in ("GWAAAA", "GWBBBB"):
        DiscountCodeFactory(creator=anna, code=text, batch="Giveaway", single_use=True)
    fake_store.reply(
        "POST",
        "/wp-json/wc/v3/coupons/batch",
        body={"create": [{"id": 720, "code": "gwaaaa"}, {"id": 721, "code": "gwbbbb"}]},
    )
    store = _store(workspace, "woocommerce", fake_store.url)
    response = owner_api.post("/codes/batches/push", {"batch": "Giveaway", "store_id": store.pk})
    assert response.status_code == 200
    assert response.json()["codes"] == ["gwaaaa", "gwbbbb"]
    sent = fake_store.seen[0].json()["create"]
    assert [c["code"] for c in sent] == ["GWAAAA", "GWBBBB"]
    assert actions(workspace) == ["discount_code.batch_push"]


def test_given_the_store_refuses_when_pushing_then_502_with_its_answer_and_no_audit(
    owner_api,
    anna,
    workspace,
    fake_store,  # noqa: F811
):
    code = DiscountCodeFactory(creator=anna, code="ANNA15")
    fake_store.reply(
        "POST",
        "/admin/api/2026-04/price_rules.json",
        status=422,
        body={"errors": {"title": ["has already been taken"]}},
    )
    store = _store(workspace, "shopify", fake_store.url)
    response = owner_api.post(f"/codes/{code.pk}/push", {"store_id": store.pk})
    assert response.status_code == 502
    assert response.json()["detail"].startswith("The store did not accept the code(s): POST ")
    assert "answered 422" in response.json()["detail"]
    assert actions(workspace) == []


def test_given_a_csv_store_when_pushing_then_422_on_store_id(owner_api, anna, workspace):
    code = DiscountCodeFactory(creator=anna, code="ANNA15")
    store = _store(workspace, "csv")
    response = owner_api.post(f"/codes/{code.pk}/push", {"store_id": store.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "store_id",
            "message": "codes can be created only in Shopify and WooCommerce stores",
        }
    ]


def test_given_another_workspaces_store_when_pushing_then_422_on_store_id(
    owner_api, anna, other_workspace
):
    code = DiscountCodeFactory(creator=anna, code="ANNA15")
    store = _store(other_workspace, "shopify")
    response = owner_api.post(f"/codes/{code.pk}/push", {"store_id": store.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "store_id", "message": f"No store connection with id {store.pk} here."}
    ]


def test_given_an_unknown_batch_when_pushing_then_422_on_batch(owner_api, workspace):
    store = _store(workspace, "shopify")
    response = owner_api.post("/codes/batches/push", {"batch": "nope", "store_id": store.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "batch", "message": "no codes in batch 'nope'"}]


# --- orders and leaks ----------------------------------------------------------------------


@pytest.fixture
def orders(workspace, deal, anna):
    """A EUR code order credited to Anna (rate EUR 1.10), a USD order credited to no one, a
    cancelled CAD order without any rate, and a WooCommerce order."""
    ExchangeRate.objects.create(
        workspace=workspace, currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2026, 1, 1)
    )
    code = DiscountCodeFactory(creator=anna, deal=deal, code="ANNA15")
    credited = OrderFactory(
        workspace=workspace,
        external_id="1001",
        status="paid",
        currency="EUR",
        gross=Decimal("100.00"),
        refunded=Decimal("20.00"),
        placed_at=DAY,
        discount_codes=[{"code": "anna15"}],
        is_new_customer=True,
    )
    Conversion.objects.create(
        workspace=workspace, order=credited, creator=anna, deal=deal, matched_by="code", code=code
    )
    OrderFactory(
        workspace=workspace, external_id="1002", status="paid", placed_at=DAY + dt.timedelta(days=1)
    )
    OrderFactory(
        workspace=workspace,
        external_id="1003",
        status="cancelled",
        currency="CAD",
        gross=Decimal("0"),
        cancelled=True,
        placed_at=DAY + dt.timedelta(days=2),
    )
    OrderFactory(
        workspace=workspace,
        source="woocommerce",
        external_id="727",
        status="processing",
        placed_at=DAY + dt.timedelta(days=3),
    )
    return credited


def test_when_listing_orders_then_both_currencies_and_the_credit(owner_api, orders, deal, anna):
    body = owner_api.get("/orders").json()
    assert body["count"] == 4
    assert [o["external_id"] for o in body["items"]] == ["727", "1003", "1002", "1001"]
    assert body["items"][3] == {
        "id": orders.pk,
        "platform": "shopify",
        "external_id": "1001",
        "status": "paid",
        "cancelled": False,
        "placed_at": "2026-11-10T12:00:00Z",
        "new_customer": True,
        "currency": "EUR",
        "gross": "100.00",
        "refunded": "20.00",
        "net": "80.00",
        "workspace_currency": "USD",
        "gross_workspace": "110.00",
        "refunded_workspace": "22.00",
        "net_workspace": "88.00",
        "matched_by": "code",
        "matched_code": "ANNA15",
        "matched_click_id": None,
        "credited_creator_id": anna.pk,
        "credited_creator": "Anna Berg",
        "deal_id": deal.pk,
        "leak_suspected": False,
    }
    cancelled = body["items"][1]
    assert (cancelled["net"], cancelled["net_workspace"], cancelled["matched_by"]) == (
        "0",
        None,
        None,
    )
    assert body["items"][2]["net_workspace"] == "120.00"  # USD: the workspace currency


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"store": "woocommerce"}, ["727"]),
        ({"status": "PAID"}, ["1002", "1001"]),
        ({"cancelled": "true"}, ["1003"]),
        ({"matched": "true"}, ["1001"]),
        ({"matched": "false"}, ["727", "1003", "1002"]),
        ({"placed_from": "2026-11-11", "placed_until": "2026-11-12"}, ["1003", "1002"]),
    ],
)
def test_when_filtering_orders_then_only_the_matching_ones(owner_api, orders, params, expected):
    body = owner_api.get("/orders", **params).json()
    assert [o["external_id"] for o in body["items"]] == expected


def test_when_filtering_orders_by_campaign_or_creator_then_the_credited_ones(
    owner_api, orders, deal, workspace
):
    elsewhere = CampaignFactory(workspace=workspace)
    assert [
        o["external_id"]
        for o in owner_api.get("/orders", campaign_id=deal.campaign_id).json()["items"]
    ] == ["1001"]
    assert owner_api.get("/orders", campaign_id=elsewhere.pk).json()["count"] == 0
    assert owner_api.get("/orders", creator_id=deal.creator_id).json()["count"] == 1


def test_given_an_unknown_store_when_filtering_orders_then_422_on_store(owner_api):
    response = owner_api.get("/orders", store="etsy")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["store"]


def test_when_listing_leaks_then_the_evidence_and_its_summary(owner_api, orders, deal, anna):
    conversion = orders.conversion
    conversion.leak_suspected = True
    conversion.leak_evidence = [
        {"rule": "no_click", "window_days": 7},
        {"rule": "coupon_site", "referrer_host": "retailmenot.com", "site": "retailmenot.com"},
    ]
    conversion.save()
    body = owner_api.get("/leaks").json()
    assert body["items"] == [
        {
            "conversion_id": conversion.pk,
            "order_id": orders.pk,
            "platform": "shopify",
            "external_id": "1001",
            "placed_at": "2026-11-10T12:00:00Z",
            "currency": "EUR",
            "net": "80.00",
            "creator_id": anna.pk,
            "creator": "Anna Berg",
            "deal_id": deal.pk,
            "campaign_id": deal.campaign_id,
            "code": "ANNA15",
            "evidence": conversion.leak_evidence,
            "summary": "no click on the creator's links in the 7 days before; "
            "referred by coupon site retailmenot.com",
        }
    ]
    assert owner_api.get("/leaks", creator_id=anna.pk).json()["count"] == 1
    assert owner_api.get("/leaks", campaign_id=deal.campaign_id + 1000).json()["count"] == 0


# --- exchange rates ------------------------------------------------------------------------


def test_when_maintaining_a_rate_then_create_list_update_delete_each_audited(owner_api, workspace):
    created = owner_api.post(
        "/exchange-rates", {"currency": "EUR", "rate": "1.0825", "valid_from": "2026-11-01"}
    )
    assert created.status_code == 201
    rate_id = created.json()["id"]
    assert owner_api.get("/exchange-rates").json()["items"] == [
        {
            "id": rate_id,
            "currency": "EUR",
            "rate": "1.08250000",
            "valid_from": "2026-11-01",
            "updated_at": owner_api.get("/exchange-rates").json()["items"][0]["updated_at"],
        }
    ]
    updated = owner_api.patch(f"/exchange-rates/{rate_id}", {"rate": "1.09"})
    assert (updated.status_code, updated.json()["rate"]) == (200, "1.09000000")
    assert owner_api.delete(f"/exchange-rates/{rate_id}").status_code == 204
    assert ExchangeRate.objects.count() == 0
    assert actions(workspace) == [
        "exchange_rate.create",
        "exchange_rate.update",
        "exchange_rate.delete",
    ]
    assert AuditEntry.objects.get(action="exchange_rate.update").changes == {
        "rate": ["1.08250000", "1.09000000"]
    }


def test_given_a_rate_for_the_same_day_when_creating_then_422_on_valid_from(owner_api, workspace):
    ExchangeRate.objects.create(
        workspace=workspace, currency="EUR", rate=Decimal("1.1"), valid_from=dt.date(2026, 11, 1)
    )
    response = owner_api.post(
        "/exchange-rates", {"currency": "EUR", "rate": "1.2", "valid_from": "2026-11-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "valid_from",
            "message": "There is already a EUR rate from 2026-11-01; change that one.",
        }
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"currency": "USD", "rate": "1", "valid_from": "2026-11-01"},
            "currency",
            "USD is the workspace currency; it needs no rate.",
        ),
        (
            {"currency": "EUR", "rate": "0", "valid_from": "2026-11-01"},
            "rate",
            "Input should be greater than 0",
        ),
        (
            {"currency": "eur", "rate": "1", "valid_from": "2026-11-01"},
            "currency",
            "String should match pattern '^[A-Z]{3}$'",
        ),
    ],
)
def test_given_a_bad_rate_when_creating_then_422_naming_the_field(owner_api, body, field, message):
    response = owner_api.post("/exchange-rates", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]
    assert ExchangeRate.objects.count() == 0


def test_when_listing_rates_by_currency_then_newest_first(owner_api, workspace):
    for currency, day in (("GBP", 1), ("EUR", 1), ("EUR", 15)):
        ExchangeRate.objects.create(
            workspace=workspace, currency=currency, rate=1, valid_from=dt.date(2026, 11, day)
        )
    rows = owner_api.get("/exchange-rates").json()["items"]
    assert [(r["currency"], r["valid_from"]) for r in rows] == [
        ("EUR", "2026-11-15"),
        ("EUR", "2026-11-01"),
        ("GBP", "2026-11-01"),
    ]
    assert owner_api.get("/exchange-rates", currency="GBP").json()["count"] == 1


# --- isolation, roles, query counts --------------------------------------------------------


@pytest.fixture
def rows(workspace, deal, anna):
    """One of each row in workspace A, as paths for the other workspace and viewers to try."""
    link = TrackedLinkFactory(creator=anna, deal=deal)
    code = DiscountCodeFactory(creator=anna, deal=deal, code="ANNA20", batch="G")
    rate = ExchangeRate.objects.create(
        workspace=workspace, currency="GBP", rate=Decimal("1.3"), valid_from=dt.date(2026, 1, 1)
    )
    store = _store(workspace, "shopify")
    return {"l": link.pk, "c": code.pk, "d": deal.pk, "r": rate.pk, "s": store.pk, "k": anna.pk}


READS = ["/links/{l}", "/links/{l}/clicks", "/links/{l}/qr"]
WRITES = [
    ("patch", "/links/{l}", {"status": "disabled"}),
    ("post", "/deals/{d}/codes", {"value": "10", "code": "NEW10"}),
    ("post", "/codes/{c}/push", {"store_id": "{s}"}),
    ("patch", "/exchange-rates/{r}", {"rate": "2"}),
    ("delete", "/exchange-rates/{r}", None),
]
# writes with no row in the path: the other workspace names A's rows in the body
BODY_WRITES = [
    ("/links", {"deal_id": "{d}", "destination_url": "https://a.test"}, "deal_id"),
    ("/links", {"creator_id": "{k}", "destination_url": "https://a.test"}, "creator_id"),
    ("/codes/batches", {"creator_id": "{k}", "batch": "X", "count": 1, "value": "5"}, "creator_id"),
    ("/codes/batches/push", {"batch": "G", "store_id": "{s}"}, "store_id"),
]


def _filled(body, rows):
    if body is None:
        return ""
    return json.dumps(
        {k: rows[v[1]] if isinstance(v, str) and v[:1] == "{" else v for k, v in body.items()}
    )


def _state(workspace):
    return (
        list(TrackedLink.objects.values_list("status", "destination_url")),
        DiscountCode.objects.count(),
        list(ExchangeRate.objects.values_list("rate", flat=True)),
        len(actions(workspace)),
    )


@pytest.mark.parametrize("path", READS)
def test_given_another_workspaces_link_when_reading_then_404(other_api, rows, path):
    response = other_api.get(path.format(**rows))
    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_given_another_workspaces_rows_when_writing_then_404_and_nothing_changes(
    other_api, rows, workspace, method, path, body
):
    before = _state(workspace)
    response = other_api.raw(method, path.format(**rows), _filled(body, rows))
    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")
    assert _state(workspace) == before


@pytest.mark.parametrize(("path", "body", "field"), BODY_WRITES)
def test_given_another_workspaces_rows_in_a_body_when_writing_then_422_and_nothing_changes(
    other_api, rows, workspace, path, body, field
):
    before = _state(workspace)
    response = other_api.raw("post", path, _filled(body, rows))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert _state(workspace) == before


def test_given_another_workspace_when_listing_then_none_of_a_s_rows(other_api, rows, orders):
    for path in ("/links", "/codes", "/orders", "/leaks", "/exchange-rates"):
        assert other_api.get(path).json()["count"] == 0, path
    assert other_api.get("/codes/batches/export", batch="G").status_code == 404


ALL_WRITES = [
    *WRITES,
    ("post", "/links", {"deal_id": "{d}", "destination_url": "https://a.test"}),
    ("post", "/codes/batches", {"creator_id": "{k}", "batch": "X", "count": 1, "value": "5"}),
    ("post", "/codes/batches/push", {"batch": "G", "store_id": "{s}"}),
    ("post", "/exchange-rates", {"currency": "CHF", "rate": "1.2", "valid_from": "2026-01-01"}),
]


@pytest.mark.parametrize(("method", "path", "body"), ALL_WRITES)
def test_given_a_viewer_when_writing_then_403_and_nothing_changes(
    viewer_api, rows, workspace, method, path, body
):
    before = _state(workspace)
    response = viewer_api.raw(method, path.format(**rows), _filled(body, rows))
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role in this workspace is read-only."
    assert _state(workspace) == before


def test_given_a_viewer_when_reading_then_200(viewer_api, rows, orders):
    for path in ("/links", "/codes", "/orders", "/leaks", "/exchange-rates"):
        assert viewer_api.get(path).status_code == 200, path
    assert viewer_api.get(f"/links/{rows['l']}/clicks").status_code == 200


@pytest.fixture
def many(workspace, deal, anna):
    """Ten of each listed row, every order credited and leaking, so a per-row query would show."""
    for n in range(10):
        link = TrackedLinkFactory(creator=anna, deal=deal)
        click = ClickFactory(link=link)
        code = DiscountCodeFactory(creator=anna, deal=deal)
        order = OrderFactory(workspace=workspace, currency="EUR", click_id=click.click_id)
        Conversion.objects.create(
            workspace=workspace,
            order=order,
            creator=anna,
            deal=deal,
            matched_by="code",
            code=code,
            click=click,
            leak_suspected=True,
            leak_evidence=[{"rule": "no_click", "window_days": 7}],
        )
        ExchangeRate.objects.create(
            workspace=workspace, currency="EUR", rate=1, valid_from=dt.date(2026, 1, n + 1)
        )
        _store(workspace, "shopify")


# token lookup + COUNT + the page (+ the rate table for orders)
LIST_QUERIES = {
    "/links": 3,
    "/codes": 3,
    "/orders": 4,
    "/leaks": 3,
    "/exchange-rates": 3,
    "/stores": 3,
}


@pytest.mark.parametrize("path", LIST_QUERIES)
def test_given_10_rows_when_listing_then_a_fixed_number_of_queries(
    owner_api, many, path, django_assert_num_queries
):
    owner_api.get("/exchange-rates")  # the first use of a token also stamps last_used_at
    with django_assert_num_queries(LIST_QUERIES[path]):
        body = owner_api.get(path, page_size=200).json()
    assert body["count"] == 10
