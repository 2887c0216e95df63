"""Campaign work API: goals, KPIs, waves, bulk adds, stage moves, deliverables, shipments,
payments, the brief and drafts. Each resource: create + list with exact values, the service's
422s, 404 for another workspace's rows, 403 for viewers, and pinned query counts on lists."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from infludesk.campaigns.models import ContentDraft, Deal, Goal, Payment, Wave
from infludesk.creators.models import Shortlist, ShortlistEntry
from tests.factories import CampaignFactory, CreatorFactory, DealFactory, WaveFactory

pytestmark = pytest.mark.django_db

# token lookup + the parent row (campaign or deal) + the rows
LIST_QUERIES = 3


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, currency="EUR")


@pytest.fixture
def deal(campaign):
    return DealFactory(campaign=campaign, currency="EUR")


def put(api, path, body):
    return api.raw("put", path, json.dumps(body))


# --- goals and KPIs ------------------------------------------------------------------------


def test_when_creating_a_goal_then_201_and_it_is_listed(owner_api, campaign, deal):
    response = owner_api.post(
        f"/campaigns/{campaign.pk}/goals",
        {"metric": "conversions", "target": "250", "deadline": "2026-12-15", "deal_id": deal.pk},
    )
    assert response.status_code == 201
    listed = owner_api.get(f"/campaigns/{campaign.pk}/goals").json()
    assert listed == [
        {
            "id": response.json()["id"],
            "campaign_id": campaign.pk,
            "deal_id": deal.pk,
            "metric": "conversions",
            "target": "250.0000",
            "baseline": None,
            "deadline": "2026-12-15",
        }
    ]


def test_given_no_deadline_when_creating_a_goal_then_422_naming_deadline(owner_api, campaign):
    response = owner_api.post(f"/campaigns/{campaign.pk}/goals", {"metric": "reach", "target": 5})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "deadline", "message": "Give a deadline date."}]
    assert Goal.objects.count() == 0


def test_given_a_deal_of_another_campaign_when_creating_a_goal_then_422_on_deal_id(
    owner_api, campaign, workspace
):
    stranger = DealFactory(campaign__workspace=workspace)
    response = owner_api.post(
        f"/campaigns/{campaign.pk}/goals",
        {"metric": "reach", "target": 5, "deadline": "2026-12-01", "deal_id": stranger.pk},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "deal_id", "message": "This deal belongs to another campaign."}
    ]


def test_when_fetching_kpis_then_the_catalogue_and_defaults_per_objective(owner_api):
    body = owner_api.get("/kpis").json()
    assert body["kpis"][0] == {
        "key": "reach",
        "label": "Reach",
        "unit": "count",
        "higher_is_better": True,
    }
    assert len(body["kpis"]) == 16
    assert body["defaults"]["conversions"] == ["clicks", "conversions", "cpa", "roi"]


# --- waves ---------------------------------------------------------------------------------


def test_when_creating_waves_then_they_are_numbered_and_listed(owner_api, campaign):
    body = {"name": "Launch", "starts_on": "2026-11-02", "ends_on": "2026-11-20", "budget": "3000"}
    first = owner_api.post(f"/campaigns/{campaign.pk}/waves", body)
    assert first.status_code == 201
    owner_api.post(f"/campaigns/{campaign.pk}/waves", {"name": "Second"})
    listed = owner_api.get(f"/campaigns/{campaign.pk}/waves").json()
    assert listed[0] == {
        "id": first.json()["id"],
        "campaign_id": campaign.pk,
        "number": 1,
        "name": "Launch",
        "starts_on": "2026-11-02",
        "ends_on": "2026-11-20",
        "budget": "3000.00",
    }
    assert [w["number"] for w in listed] == [1, 2]


def test_given_a_wave_before_the_campaign_when_creating_then_422_on_starts_on(owner_api, campaign):
    response = owner_api.post(f"/campaigns/{campaign.pk}/waves", {"starts_on": "2026-10-01"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "starts_on", "message": "The wave starts before the campaign (2026-11-01)."}
    ]


def test_when_starting_the_next_wave_then_kept_creators_get_new_prospect_deals(owner_api, campaign):
    wave = WaveFactory(campaign=campaign, number=1, budget=Decimal("800"))
    kept = DealFactory(campaign=campaign, wave=wave, stage="paid", fee_cash=Decimal("450"))
    DealFactory(campaign=campaign, wave=wave)
    response = owner_api.post(
        f"/waves/{wave.pk}/next",
        {"keep_creator_ids": [kept.creator_id], "starts_on": "2026-12-01"},
    )
    assert response.status_code == 201
    assert (response.json()["number"], response.json()["budget"]) == (2, "800.00")
    new = Deal.objects.get(wave_id=response.json()["id"])
    assert (new.creator_id, new.stage, new.fee_cash) == (
        kept.creator_id,
        "prospect",
        Decimal("450.00"),
    )


def test_given_a_creator_not_in_the_wave_when_starting_next_then_422(owner_api, campaign):
    wave = WaveFactory(campaign=campaign, number=1)
    response = owner_api.post(f"/waves/{wave.pk}/next", {"keep_creator_ids": [99999]})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "keep_creator_ids", "message": "Not in wave 1: creator id(s) [99999]."}
    ]
    assert Wave.objects.count() == 1


# --- bulk add and moves --------------------------------------------------------------------


def test_when_adding_creators_in_bulk_then_new_ones_added_and_existing_skipped(
    owner_api, campaign, deal, workspace
):
    fresh = CreatorFactory(workspace=workspace, name="Fresh Face")
    deal.creator.name = "Old Friend"
    deal.creator.save()
    shortlist = Shortlist.objects.create(workspace=workspace, name="Picks")
    ShortlistEntry.objects.create(workspace=workspace, shortlist=shortlist, creator=fresh)
    response = owner_api.post(
        f"/campaigns/{campaign.pk}/deals/bulk",
        {"creator_ids": [deal.creator_id], "shortlist_id": shortlist.pk},
    )
    assert response.status_code == 201
    added = Deal.objects.get(campaign=campaign, creator=fresh)
    assert response.json() == {
        "added": [added.pk],
        "skipped": [f"Old Friend is already in {campaign}."],
    }


def test_given_neither_ids_nor_shortlist_when_adding_in_bulk_then_422(owner_api, campaign):
    response = owner_api.post(f"/campaigns/{campaign.pk}/deals/bulk", {})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["creator_ids"]


def test_given_another_workspaces_creator_when_adding_in_bulk_then_422(
    owner_api, campaign, other_workspace
):
    stranger = CreatorFactory(workspace=other_workspace)
    response = owner_api.post(
        f"/campaigns/{campaign.pk}/deals/bulk", {"creator_ids": [stranger.pk]}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["creator_ids"]


def test_given_a_wave_of_another_campaign_when_adding_in_bulk_then_422_on_wave_id(
    owner_api, campaign, workspace
):
    creator = CreatorFactory(workspace=workspace)
    elsewhere = WaveFactory(campaign__workspace=workspace, number=1)
    response = owner_api.post(
        f"/campaigns/{campaign.pk}/deals/bulk",
        {"creator_ids": [creator.pk], "wave_id": elsewhere.pk},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "wave_id", "message": f"No wave with id {elsewhere.pk} here."}
    ]
    assert Deal.objects.count() == 0


def test_given_an_unknown_stage_when_moving_then_422_on_to_stage(owner_api, deal):
    response = owner_api.post(f"/deals/{deal.pk}/move", {"to_stage": "famous"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["to_stage"]


def test_when_moving_a_deal_forward_then_200_with_the_new_stage(owner_api, deal):
    response = owner_api.post(f"/deals/{deal.pk}/move", {"to_stage": "contacted"})
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["stage"]) == (deal.pk, "contacted")
    deal.refresh_from_db()
    assert deal.stage == "contacted"


def test_given_no_evidence_when_moving_to_paid_then_422_with_the_pipelines_reasons(owner_api, deal):
    response = owner_api.post(f"/deals/{deal.pk}/move", {"to_stage": "paid"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "stage", "message": "A deliverable must be approved first."},
        {"field": "stage", "message": "Record a paid payment before marking the deal paid."},
    ]
    deal.refresh_from_db()
    assert deal.stage == "prospect"


# --- deliverables, shipments, payments -----------------------------------------------------


def test_when_creating_a_deliverable_then_201_and_listed(owner_api, deal):
    response = owner_api.post(
        f"/deals/{deal.pk}/deliverables",
        {"platform": "instagram", "format": "reel", "count": 2, "due_on": "2026-11-15"},
    )
    assert response.status_code == 201
    assert owner_api.get(f"/deals/{deal.pk}/deliverables").json() == [
        {
            "id": response.json()["id"],
            "deal_id": deal.pk,
            "platform": "instagram",
            "format": "reel",
            "count": 2,
            "due_on": "2026-11-15",
            "usage_rights": "",
            "status": "planned",
        }
    ]


def test_given_a_due_date_before_the_campaign_when_creating_a_deliverable_then_422(owner_api, deal):
    response = owner_api.post(
        f"/deals/{deal.pk}/deliverables",
        {"platform": "tiktok", "format": "video", "due_on": "2026-10-30"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "due_on", "message": "Due before the campaign starts (2026-11-01)."}
    ]


def test_when_creating_a_shipment_then_201_and_listed(owner_api, deal):
    response = owner_api.post(
        f"/deals/{deal.pk}/shipments",
        {
            "product": "Trail shoe",
            "variant": "EU 42",
            "value": "129.90",
            "status": "shipped",
            "shipped_on": "2026-11-03",
            "carrier": "DHL",
        },
    )
    assert response.status_code == 201
    assert owner_api.get(f"/deals/{deal.pk}/shipments").json() == [
        {
            "id": response.json()["id"],
            "deal_id": deal.pk,
            "product": "Trail shoe",
            "variant": "EU 42",
            "value": "129.90",
            "address": "",
            "carrier": "DHL",
            "tracking_number": "",
            "status": "shipped",
            "shipped_on": "2026-11-03",
            "delivered_on": None,
        }
    ]


def test_given_shipped_without_a_date_when_creating_a_shipment_then_422_on_shipped_on(
    owner_api, deal
):
    response = owner_api.post(
        f"/deals/{deal.pk}/shipments", {"product": "Trail shoe", "status": "shipped"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "shipped_on", "message": "Give the date it was shipped."}
    ]


def test_when_creating_a_payment_then_201_in_the_deals_currency_and_listed(owner_api, deal):
    response = owner_api.post(
        f"/deals/{deal.pk}/payments", {"amount": "500", "due_on": "2026-12-10"}
    )
    assert response.status_code == 201
    assert owner_api.get(f"/deals/{deal.pk}/payments").json() == [
        {
            "id": response.json()["id"],
            "deal_id": deal.pk,
            "amount": "500.00",
            "currency": "EUR",
            "due_on": "2026-12-10",
            "paid_on": None,
            "method": "",
            "invoice_ref": "",
            "status": "due",
        }
    ]


def test_given_a_zero_amount_when_creating_a_payment_then_422_on_amount(owner_api, deal):
    response = owner_api.post(f"/deals/{deal.pk}/payments", {"amount": "0"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "amount", "message": "The amount must be more than 0."}
    ]


def test_when_marking_a_payment_paid_then_status_and_date_are_set(owner_api, deal):
    payment = Payment.objects.create(workspace=deal.workspace, deal=deal, amount=Decimal("80"))
    response = owner_api.post(f"/payments/{payment.pk}/paid", {"paid_on": "2026-12-12"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["paid_on"]) == ("paid", "2026-12-12")


# --- brief and drafts ----------------------------------------------------------------------


def test_given_no_brief_when_fetching_then_the_unsaved_default(owner_api, campaign):
    body = owner_api.get(f"/campaigns/{campaign.pk}/brief").json()
    assert (body["saved"], body["relationship"], body["hashtags"]) == (False, "paid", [])


def test_when_putting_the_brief_then_tags_get_their_signs_and_it_is_saved(owner_api, campaign):
    response = put(
        owner_api,
        f"/campaigns/{campaign.pk}/brief",
        {"key_messages": "Light and grippy", "hashtags": ["trail"], "mentions": ["acme"]},
    )
    assert response.status_code == 200
    body = owner_api.get(f"/campaigns/{campaign.pk}/brief").json()
    assert body == {
        "campaign_id": campaign.pk,
        "saved": True,
        "key_messages": "Light and grippy",
        "dos": "",
        "donts": "",
        "hashtags": ["#trail"],
        "mentions": ["@acme"],
        "links": "",
        "relationship": "paid",
        "disclosure_rules": "",
    }


def test_when_submitting_drafts_then_versions_with_the_disclosure_result(owner_api, deal):
    first = owner_api.post(f"/deals/{deal.pk}/drafts", {"caption": "New shoes! #ad"})
    assert first.status_code == 201
    owner_api.post(f"/deals/{deal.pk}/drafts", {"caption": "New shoes!"})
    listed = owner_api.get(f"/deals/{deal.pk}/drafts").json()
    assert [(d["version"], d["status"], d["disclosure"]["compliant"]) for d in listed] == [
        (1, "submitted", True),
        (2, "submitted", False),
    ]
    assert listed[0]["id"] == first.json()["id"]


def test_given_a_failing_draft_when_approving_without_a_note_then_422_on_override_note(
    owner_api, deal
):
    draft = owner_api.post(f"/deals/{deal.pk}/drafts", {"caption": "New shoes!"}).json()
    response = owner_api.post(f"/drafts/{draft['id']}/review", {"approve": True})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["override_note"]
    assert ContentDraft.objects.get(pk=draft["id"]).status == "submitted"


def test_given_a_failing_draft_when_approving_with_a_note_then_approved(owner_api, deal):
    draft = owner_api.post(f"/deals/{deal.pk}/drafts", {"caption": "New shoes!"}).json()
    response = owner_api.post(
        f"/drafts/{draft['id']}/review",
        {"approve": True, "override_note": "Label added by the platform tag"},
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["override_note"]) == (
        "approved",
        "Label added by the platform tag",
    )


# --- isolation, roles, query counts --------------------------------------------------------


@pytest.fixture
def rows(campaign, deal):
    """One of each child row in workspace A, as paths for the other workspace to try."""
    wave = WaveFactory(campaign=campaign, number=1)
    payment = Payment.objects.create(workspace=deal.workspace, deal=deal, amount=Decimal("10"))
    draft = ContentDraft.objects.create(
        workspace=deal.workspace, deal=deal, version=1, caption="x", disclosure={}
    )
    return {"c": campaign.pk, "d": deal.pk, "w": wave.pk, "p": payment.pk, "r": draft.pk}


READS = [
    "/campaigns/{c}/goals",
    "/campaigns/{c}/waves",
    "/campaigns/{c}/brief",
    "/deals/{d}/deliverables",
    "/deals/{d}/shipments",
    "/deals/{d}/payments",
    "/deals/{d}/drafts",
]
WRITES = [
    ("post", "/campaigns/{c}/goals", {"metric": "reach", "target": 1, "deadline": "2026-12-01"}),
    ("post", "/campaigns/{c}/waves", {}),
    ("post", "/waves/{w}/next", {}),
    ("post", "/campaigns/{c}/deals/bulk", {"creator_ids": [1]}),
    ("post", "/deals/{d}/move", {"to_stage": "contacted"}),
    ("post", "/deals/{d}/deliverables", {"platform": "instagram", "format": "post"}),
    ("post", "/deals/{d}/shipments", {"product": "Shoe"}),
    ("post", "/deals/{d}/payments", {"amount": "5"}),
    ("post", "/payments/{p}/paid", {"paid_on": "2026-12-01"}),
    ("put", "/campaigns/{c}/brief", {}),
    ("post", "/deals/{d}/drafts", {"caption": "Hi #ad"}),
    ("post", "/drafts/{r}/review", {"approve": False, "comment": "More light"}),
]


@pytest.mark.parametrize("path", READS)
def test_given_another_workspaces_rows_when_reading_then_404(other_api, rows, path):
    response = other_api.get(path.format(**rows))
    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_given_another_workspaces_rows_when_writing_then_404(other_api, rows, method, path, body):
    response = other_api.raw(method, path.format(**rows), json.dumps(body))
    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_given_a_viewer_when_writing_then_403_and_nothing_changes(
    viewer_api, rows, method, path, body
):
    response = viewer_api.raw(method, path.format(**rows), json.dumps(body))
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role in this workspace is read-only."
    assert (Goal.objects.count(), Wave.objects.count(), Deal.objects.count()) == (0, 1, 1)


def test_given_a_viewer_when_reading_then_200(viewer_api, rows):
    assert viewer_api.get(f"/deals/{rows['d']}/payments").status_code == 200


@pytest.fixture
def many_children(campaign, deal):
    """Ten of each child row, so a per-row query would show."""
    ws = deal.workspace
    for n in range(10):
        Goal.objects.create(
            workspace=ws, campaign=campaign, metric="reach", target=n, deadline=dt.date(2026, 12, 1)
        )
        Wave.objects.create(workspace=ws, campaign=campaign, number=n + 1)
        deal.deliverables.create(workspace=ws, platform="instagram", format="post")
        deal.shipments.create(workspace=ws, product=f"Shoe {n}")
        deal.payments.create(workspace=ws, amount=Decimal("10"))
        deal.drafts.create(workspace=ws, version=n + 1, caption="x", disclosure={})


@pytest.mark.parametrize("path", READS)
def test_given_10_rows_when_listing_then_3_queries(
    owner_api, many_children, rows_paths, path, django_assert_num_queries
):
    owner_api.get("/kpis")  # the first use of a token also stamps last_used_at
    with django_assert_num_queries(LIST_QUERIES):
        response = owner_api.get(path.format(**rows_paths))
    assert response.status_code == 200


@pytest.fixture
def rows_paths(campaign, deal):
    return {"c": campaign.pk, "d": deal.pk}
