"""The deal page: move stages under the pipeline's rules, add shipments and payments, link posts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from infludesk.campaigns.models import Payment, Shipment
from tests.factories import DealFactory, SocialAccountFactory


@pytest.fixture
def deal(workspace):
    account = SocialAccountFactory(workspace=workspace, platform="instagram")
    return DealFactory(
        workspace=workspace, creator=account.creator, account=account, stage="contracted"
    )


def test_given_a_deal_when_opened_then_stage_and_sections_show(deal, viewer_client):
    response = viewer_client.get(f"/deals/{deal.pk}/")
    assert response.status_code == 200
    assert b'id="deal-stage">Contracted<' in response.content


def test_given_no_shipment_when_moved_to_shipped_then_400_with_the_rule(deal, manager_client):
    response = manager_client.post(f"/deals/{deal.pk}/", {"action": "move", "stage": "shipped"})
    assert response.status_code == 400
    assert response.context["errors"] == [
        "stage: Record the shipment before marking the product shipped."
    ]


def test_given_a_shipment_then_the_deal_moves_to_shipped(deal, manager_client):
    response = manager_client.post(
        f"/deals/{deal.pk}/",
        {
            "action": "shipment",
            "product": "Trail shoes",
            "value": "120",
            "status": "shipped",
            "shipped_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    assert list(Shipment.objects.values_list("product", "value")) == [
        ("Trail shoes", Decimal("120.00"))
    ]
    moved = manager_client.post(f"/deals/{deal.pk}/", {"action": "move", "stage": "shipped"})
    deal.refresh_from_db()
    assert (moved.status_code, deal.stage) == (302, "shipped")


def test_given_a_payment_when_added_and_marked_paid_then_status_and_date(deal, manager_client):
    manager_client.post(
        f"/deals/{deal.pk}/", {"action": "payment", "amount": "500", "due_on": "2026-12-01"}
    )
    payment = Payment.objects.get()
    manager_client.post(f"/deals/{deal.pk}/", {"action": "paid", "payment": payment.pk})
    payment.refresh_from_db()
    assert (payment.amount, payment.status, payment.paid_on is not None) == (
        Decimal("500.00"),
        "paid",
        True,
    )


def test_given_bad_input_then_the_field_is_named(deal, manager_client):
    response = manager_client.post(f"/deals/{deal.pk}/", {"action": "payment", "amount": "lots"})
    assert response.status_code == 400
    assert response.context["errors"] == ["amount: 'lots' is not an amount."]


def test_given_a_live_post_url_when_linked_then_the_disclosure_verdict_is_told(
    deal, manager_client
):
    response = manager_client.post(
        f"/deals/{deal.pk}/",
        {"action": "post", "url": "https://instagram.com/p/ABC123/", "caption": "#ad new shoes"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Post linked. Disclosure check passes."
    ]


def test_given_a_viewer_or_another_workspace_then_no_changes(
    deal, viewer_client, other_workspace, owner_client
):
    response = viewer_client.post(f"/deals/{deal.pk}/", {"action": "move", "stage": "declined"})
    assert response.status_code == 403
    foreign = DealFactory(workspace=other_workspace)
    assert owner_client.get(f"/deals/{foreign.pk}/").status_code == 404
    assert (
        owner_client.post(
            f"/deals/{foreign.pk}/", {"action": "move", "stage": "declined"}
        ).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.stage == "prospect"


def test_given_a_deliverable_due_before_the_campaign_then_refused_else_added(deal, manager_client):
    deal.campaign.starts_on = dt.date(2026, 11, 1)
    deal.campaign.save()
    early = manager_client.post(
        f"/deals/{deal.pk}/",
        {
            "action": "deliverable",
            "platform": "instagram",
            "format": "reel",
            "count": "2",
            "due_on": "2026-10-01",
        },
    )
    assert early.context["errors"] == ["due_on: Due before the campaign starts (2026-11-01)."]
    manager_client.post(
        f"/deals/{deal.pk}/",
        {
            "action": "deliverable",
            "platform": "instagram",
            "format": "reel",
            "count": "2",
            "due_on": "2026-12-01",
            "usage_rights": "12 months organic",
        },
    )
    assert list(deal.deliverables.values_list("format", "count", "usage_rights")) == [
        ("reel", 2, "12 months organic")
    ]


def test_given_a_creator_goal_and_notes_then_both_are_saved(deal, manager_client):
    manager_client.post(
        f"/deals/{deal.pk}/",
        {"action": "goal", "metric": "clicks", "target": "300", "deadline": "2026-12-20"},
    )
    manager_client.post(f"/deals/{deal.pk}/", {"action": "notes", "notes": "Prefers reels"})
    deal.refresh_from_db()
    assert list(deal.goals.values_list("metric", "target")) == [("clicks", Decimal("300"))]
    assert deal.notes == "Prefers reels"
