"""Documents through the API: a campaign's proposal (JSON with the page's numbers, and PDF) and a
deal's contract (create from the deal's terms, read, change while a draft, mark sent which
freezes the text, sign by name, PDF), with isolation, viewer 403s and audit entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from infludesk.campaigns.models import Contract, Deliverable, Shipment
from infludesk.core.models import AuditEntry
from tests.factories import (
    CampaignFactory,
    CreatorFactory,
    DealFactory,
    GoalFactory,
    SocialAccountFactory,
    WaveFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(
        workspace=workspace,
        name="Autumn",
        slug="autumn",
        budget=D("5000"),
        currency="USD",
        audience_notes="Trail runners 25-40",
        channels=["instagram"],
    )


@pytest.fixture
def deal(campaign):
    return DealFactory(
        campaign=campaign,
        creator=CreatorFactory(workspace=campaign.workspace, name="Anna Berg"),
        fee_cash=D("1200"),
        currency="USD",
        stage="negotiating",
    )


# --- proposal ------------------------------------------------------------------------------


def test_when_fetching_the_proposal_then_it_has_goals_creators_budget_split_and_timeline(
    owner_api, campaign, workspace
):
    # given a goal, a wave with an agreed deal and a prospect priced from its tier
    goal = GoalFactory(campaign=campaign, metric="conversions", target=D("250"))
    wave = WaveFactory(
        campaign=campaign,
        number=1,
        name="Launch",
        starts_on=dt.date(2026, 11, 2),
        ends_on=dt.date(2026, 11, 30),
        budget=D("2000"),
    )
    agreed_account = SocialAccountFactory(
        workspace=workspace, followers=50_000, handle="anna.runs", engagement_rate=D("3.2500")
    )
    agreed = DealFactory(
        campaign=campaign,
        creator=agreed_account.creator,
        account=agreed_account,
        wave=wave,
        fee_cash=D("800"),
        stage="contracted",
    )
    Shipment.objects.create(
        workspace=workspace, deal=agreed, product="Shoes", value=D("100"), status="pending"
    )
    micro = SocialAccountFactory(workspace=workspace, followers=20_000, handle="ben.trails")
    prospect = DealFactory(
        campaign=campaign, creator=micro.creator, account=micro, fee_cash=D("0"), stage="prospect"
    )
    DealFactory(campaign=campaign, stage="declined")  # not shortlisted any more

    # when
    response = owner_api.get(f"/campaigns/{campaign.pk}/proposal")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["campaign"]["name"] == "Autumn"
    assert (body["objective"], body["audience"]) == ("conversions", "Trail runners 25-40")
    assert body["goals"] == [
        {
            "id": goal.pk,
            "metric": "conversions",
            "label": "Conversions",
            "target": "250.0000",
            "baseline": None,
            "deadline": "2026-12-31",
        }
    ]
    by_deal = {c["deal_id"]: c for c in body["creators"]}
    assert by_deal[agreed.pk] == {
        "deal_id": agreed.pk,
        "creator_id": agreed.creator_id,
        "name": agreed.creator.name,
        "stage": "contracted",
        "wave": 1,
        "platform": "instagram",
        "handle": "anna.runs",
        "reach": 50_000,
        "engagement_rate": "3.2500",
        "cost_low": "800.00",
        "cost_high": "800.00",
        "cost_basis": "agreed",
    }
    assert (by_deal[prospect.pk]["cost_low"], by_deal[prospect.pk]["cost_high"]) == ("100", "500")
    assert by_deal[prospect.pk]["cost_basis"] == "micro tier range per post"
    assert len(body["creators"]) == 2
    assert body["reach"] == 70_000
    assert body["budget"] == {
        "currency": "USD",
        "budget": "5000.00",
        "committed": "900.00",
        "spent": "0.00",
        "remaining": "4100.00",
        "estimate_low": "900.00",
        "split": [
            {
                "wave": 1,
                "name": "Launch",
                "budget": "2000.00",
                "committed": "900.00",
                "spent": "0.00",
                "remaining": "1100.00",
            }
        ],
    }
    assert body["timeline"] == [
        {"wave": 1, "name": "Launch", "starts_on": "2026-11-02", "ends_on": "2026-11-30"}
    ]


def test_given_no_waves_when_fetching_the_proposal_then_the_timeline_is_the_campaign(
    owner_api, campaign
):
    body = owner_api.get(f"/campaigns/{campaign.pk}/proposal").json()
    assert body["timeline"] == [
        {"wave": None, "name": "Whole campaign", "starts_on": "2026-11-01", "ends_on": "2026-12-31"}
    ]
    assert (body["creators"], body["budget"]["split"]) == ([], [])


def test_when_downloading_the_proposal_pdf_then_a_pdf_named_after_the_campaign(
    viewer_api, campaign
):
    response = viewer_api.get(f"/campaigns/{campaign.pk}/proposal.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="proposal-autumn.pdf"'
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("suffix", ["proposal", "proposal.pdf"])
def test_given_another_workspace_when_fetching_the_proposal_then_404(other_api, campaign, suffix):
    response = other_api.get(f"/campaigns/{campaign.pk}/{suffix}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


# --- contract ------------------------------------------------------------------------------


def test_when_creating_a_contract_then_201_a_draft_from_the_deals_terms_and_audited(
    owner_api, deal
):
    Deliverable.objects.create(
        workspace=deal.workspace,
        deal=deal,
        platform="instagram",
        format="reel",
        count=2,
        due_on=dt.date(2026, 12, 1),
    )
    response = owner_api.post(
        f"/deals/{deal.pk}/contract",
        {"usage_rights": "Organic, 6 months", "exclusivity": "No other shoe brand for 60 days"},
    )
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("deal_id", "status", "usage_rights", "sent_at")} == {
        "deal_id": deal.pk,
        "status": "draft",
        "usage_rights": "Organic, 6 months",
        "sent_at": None,
    }
    assert "A cash fee of 1200.00 USD." in body["text"]
    assert "2 x Reel on Instagram, due 2026-12-01" in body["text"]
    assert "No other shoe brand for 60 days" in body["text"]
    entry = AuditEntry.objects.get(action="contract.save")
    assert entry.changes["usage_rights"] == [None, "Organic, 6 months"]


def test_given_a_contract_when_creating_another_then_409(owner_api, deal):
    owner_api.post(f"/deals/{deal.pk}/contract", {})
    response = owner_api.post(f"/deals/{deal.pk}/contract", {})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This deal already has a contract; change it with PATCH.",
        "errors": [],
    }
    assert Contract.objects.count() == 1


def test_given_no_contract_when_reading_it_then_404_saying_so(owner_api, deal):
    response = owner_api.get(f"/deals/{deal.pk}/contract")
    assert response.status_code == 404
    assert response.json()["detail"] == "This deal has no contract yet; create it with POST."


def test_when_patching_a_draft_then_only_the_terms_sent_change(owner_api, deal):
    owner_api.post(f"/deals/{deal.pk}/contract", {"usage_rights": "Organic"})
    response = owner_api.patch(f"/deals/{deal.pk}/contract", {"extra_terms": "Net 30."})
    assert response.status_code == 200
    assert (response.json()["usage_rights"], response.json()["extra_terms"]) == (
        "Organic",
        "Net 30.",
    )
    assert owner_api.get(f"/deals/{deal.pk}/contract").json()["extra_terms"] == "Net 30."


def test_when_marking_sent_then_the_text_is_frozen_and_patching_is_refused(owner_api, deal):
    owner_api.post(f"/deals/{deal.pk}/contract", {})
    sent = owner_api.post(f"/deals/{deal.pk}/contract/mark-sent", {})
    assert sent.status_code == 200
    assert sent.json()["status"] == "sent"
    assert sent.json()["sent_at"] is not None
    # the deal's terms change afterwards; the sent text does not
    deal.fee_cash = D("9999")
    deal.save()
    assert owner_api.get(f"/deals/{deal.pk}/contract").json()["text"] == sent.json()["text"]
    refused = owner_api.patch(f"/deals/{deal.pk}/contract", {"exclusivity": "x"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": None, "message": "A sent contract cannot be edited; its text is frozen."}
    ]
    assert AuditEntry.objects.get(action="contract.sent").changes == {"status": ["draft", "sent"]}


def test_given_no_agreed_terms_when_marking_sent_then_422(owner_api, deal):
    deal.fee_cash = D("0")
    deal.save()
    owner_api.post(f"/deals/{deal.pk}/contract", {})
    response = owner_api.post(f"/deals/{deal.pk}/contract/mark-sent", {})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": None, "message": "Agree a fee, product value or commission before sending."}
    ]


def test_when_signing_a_sent_contract_then_signed_by_that_name(owner_api, deal):
    owner_api.post(f"/deals/{deal.pk}/contract", {})
    owner_api.post(f"/deals/{deal.pk}/contract/mark-sent", {})
    blank = owner_api.post(f"/deals/{deal.pk}/contract/sign", {"signed_by_name": "  "})
    assert blank.status_code == 422
    assert blank.json()["errors"] == [{"field": "signed_by_name", "message": "Who signed it?"}]
    signed = owner_api.post(f"/deals/{deal.pk}/contract/sign", {"signed_by_name": "Anna Berg"})
    assert signed.status_code == 200
    assert (signed.json()["status"], signed.json()["signed_by_name"]) == ("signed", "Anna Berg")
    assert AuditEntry.objects.get(action="contract.signed").changes == {
        "status": ["sent", "signed"]
    }


def test_given_a_draft_when_signing_then_422(owner_api, deal):
    owner_api.post(f"/deals/{deal.pk}/contract", {})
    response = owner_api.post(f"/deals/{deal.pk}/contract/sign", {"signed_by_name": "Anna"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": None, "message": "A draft contract cannot be marked signed."}
    ]


def test_given_too_long_terms_when_creating_then_422_naming_the_field(owner_api, deal):
    response = owner_api.post(f"/deals/{deal.pk}/contract", {"exclusivity": "x" * 301})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "exclusivity", "message": "String should have at most 300 characters"}
    ]
    assert Contract.objects.count() == 0


def test_when_downloading_the_contract_pdf_then_a_pdf(viewer_api, owner_api, deal):
    owner_api.post(f"/deals/{deal.pk}/contract", {})
    response = viewer_api.get(f"/deals/{deal.pk}/contract.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="contract-{deal.pk}.pdf"'
    assert response.content.startswith(b"%PDF-")


WRITES = [
    ("post", "/deals/{d}/contract", {"usage_rights": "x"}),
    ("patch", "/deals/{d}/contract", {"usage_rights": "x"}),
    ("post", "/deals/{d}/contract/mark-sent", {}),
    ("post", "/deals/{d}/contract/sign", {"signed_by_name": "x"}),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_given_another_workspace_when_writing_the_contract_then_404_and_nothing_changes(
    other_api, owner_api, deal, method, path, body
):
    owner_api.post(f"/deals/{deal.pk}/contract", {"usage_rights": "Organic"})
    response = getattr(other_api, method)(path.format(d=deal.pk), body)
    assert response.status_code == 404
    contract = Contract.objects.get()
    assert (contract.status, contract.usage_rights) == ("draft", "Organic")


@pytest.mark.parametrize("suffix", ["contract", "contract.pdf"])
def test_given_another_workspace_when_reading_the_contract_then_404(
    other_api, owner_api, deal, suffix
):
    owner_api.post(f"/deals/{deal.pk}/contract", {})
    assert other_api.get(f"/deals/{deal.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_given_a_viewer_when_writing_the_contract_then_403(viewer_api, deal, method, path, body):
    response = getattr(viewer_api, method)(path.format(d=deal.pk), body)
    assert response.status_code == 403
    assert Contract.objects.count() == 0


def test_given_a_viewer_when_reading_the_contract_then_200(viewer_api, owner_api, deal):
    owner_api.post(f"/deals/{deal.pk}/contract", {})
    assert viewer_api.get(f"/deals/{deal.pk}/contract").json()["status"] == "draft"
