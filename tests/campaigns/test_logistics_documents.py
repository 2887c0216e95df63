"""Shipments, payments, contracts and the proposal, with their PDFs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from infludesk.campaigns import documents, logistics
from infludesk.campaigns.models import Deliverable
from infludesk.core.models import AuditEntry
from tests.factories import (
    CampaignFactory,
    CreatorFactory,
    DealFactory,
    GoalFactory,
    SocialAccountFactory,
)

D = Decimal


@pytest.fixture
def deal(workspace):
    campaign = CampaignFactory(workspace=workspace, name="Spring Trails", product="Trail shoes")
    creator = CreatorFactory(workspace=workspace, name="Anna Berg")
    return DealFactory(
        workspace=workspace,
        campaign=campaign,
        creator=creator,
        fee_cash=D("1200.00"),
        currency="USD",
        stage="contracted",
    )


def test_given_a_delivered_shipment_without_dates_then_both_dates_are_asked_for(deal, owner):
    with pytest.raises(ValidationError) as err:
        logistics.shipment_save(deal=deal, by=owner, product="Shoes", status="delivered")
    assert err.value.message_dict == {
        "shipped_on": ["Give the date it was shipped."],
        "delivered_on": ["Give the date it was delivered."],
    }


def test_given_shipments_when_exported_then_the_warehouse_csv_has_one_row_each(
    workspace, deal, owner
):
    logistics.shipment_save(
        deal=deal,
        by=owner,
        product="Trail shoes",
        variant="EU 39",
        value=D("120"),
        address="1 Main St",
        status="pending",
    )
    returned = logistics.shipment_save(
        deal=deal, by=owner, product="Socks", status="returned", shipped_on=dt.date(2026, 11, 2)
    )
    rows = list(csv.reader(io.StringIO(logistics.shipments_csv(workspace=workspace))))
    assert rows[0] == logistics.WAREHOUSE_COLUMNS
    assert [r[2:7] for r in rows[1:]] == [
        ["Anna Berg", "Trail shoes", "EU 39", "120.00", "1 Main St"]
    ]
    assert str(returned.pk) not in [r[0] for r in rows[1:]]
    assert AuditEntry.objects.filter(action="shipment.create").count() == 2


def test_given_payments_then_paid_needs_a_date_and_overdue_are_listed(workspace, deal, owner):
    with pytest.raises(ValidationError) as err:
        logistics.payment_save(deal=deal, by=owner, amount=D("500"), status="paid")
    assert err.value.message_dict == {"paid_on": ["Give the date it was paid."]}
    with pytest.raises(ValidationError) as err:
        logistics.payment_save(deal=deal, by=owner, amount=D("-5"))
    assert err.value.message_dict == {"amount": ["The amount must be more than 0."]}
    late = logistics.payment_save(deal=deal, by=owner, amount=D("600"), due_on=dt.date(2026, 11, 1))
    logistics.payment_save(deal=deal, by=owner, amount=D("600"), due_on=dt.date(2026, 12, 1))
    overdue = logistics.overdue_payments(workspace=workspace, today=dt.date(2026, 11, 25))
    assert list(overdue) == [late]


def test_given_a_deal_when_the_contract_is_sent_then_its_text_is_frozen(deal, owner):
    Deliverable.objects.create(
        workspace=deal.workspace,
        deal=deal,
        platform="instagram",
        format="reel",
        count=2,
        due_on=dt.date(2026, 12, 1),
    )
    documents.contract_save(
        deal=deal, by=owner, exclusivity="No other running shoe brand for 60 days"
    )
    sent = documents.contract_mark(deal=deal, to="sent", by=owner)
    assert "A cash fee of 1200.00 USD." in sent.body
    assert "2 x Reel on Instagram, due 2026-12-01" in sent.body
    assert "No other running shoe brand for 60 days" in sent.body
    deal.fee_cash = D("9999")
    deal.save()
    assert documents.contract_text(deal, sent) == sent.body
    with pytest.raises(ValidationError, match="frozen"):
        documents.contract_save(deal=deal, by=owner, exclusivity="x")
    with pytest.raises(ValidationError) as err:
        documents.contract_mark(deal=deal, to="signed", by=owner)
    assert err.value.message_dict == {"signed_by_name": ["Who signed it?"]}
    signed = documents.contract_mark(deal=deal, to="signed", by=owner, signed_by_name="Anna Berg")
    assert (signed.status, signed.signed_by_name) == ("signed", "Anna Berg")


def test_given_the_contract_page_when_pdf_is_asked_then_a_pdf_comes_back(deal, manager_client):
    response = manager_client.get(f"/content/deals/{deal.pk}/contract/?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_given_a_campaign_then_the_proposal_lists_creators_goals_and_costs(
    workspace, manager_client
):
    campaign = CampaignFactory(workspace=workspace, name="Autumn", budget=D("5000"))
    GoalFactory(workspace=workspace, campaign=campaign, metric="conversions", target=D("250"))
    account = SocialAccountFactory(workspace=workspace, followers=50_000, handle="anna.runs")
    DealFactory(
        workspace=workspace,
        campaign=campaign,
        creator=account.creator,
        account=account,
        fee_cash=D("0"),
        product_value=D("0"),
    )
    context = documents.proposal_context(campaign)
    assert (context["reach"], context["rows"][0]["low"], context["rows"][0]["high"]) == (
        50_000,
        D("100"),
        D("500"),
    )
    page = manager_client.get(f"/content/campaigns/{campaign.pk}/proposal/")
    assert b"@anna.runs" in page.content and b"Conversions: 250 by" in page.content
    pdf = manager_client.get(f"/content/campaigns/{campaign.pk}/proposal/?format=pdf")
    assert pdf.content.startswith(b"%PDF-")


def test_given_another_workspace_then_documents_are_404(other_workspace, owner_client):
    foreign = DealFactory(workspace=other_workspace)
    assert owner_client.get(f"/content/deals/{foreign.pk}/contract/").status_code == 404
    assert (
        owner_client.get(f"/content/campaigns/{foreign.campaign_id}/proposal/").status_code == 404
    )


def test_given_the_campaign_when_the_warehouse_csv_is_downloaded_then_its_parcels(
    workspace, deal, owner, manager_client, other_workspace
):
    logistics.shipment_save(deal=deal, by=owner, product="Trail shoes", address="1 Main St")
    response = manager_client.get(f"/content/campaigns/{deal.campaign_id}/shipments.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [r[3] for r in rows] == ["product", "Trail shoes"]
    foreign = DealFactory(workspace=other_workspace)
    assert (
        manager_client.get(f"/content/campaigns/{foreign.campaign_id}/shipments.csv").status_code
        == 404
    )
