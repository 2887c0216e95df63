"""Changing and removing rows on the deal page (deliverables, shipments, payments, per-creator
goals) and the campaign page (goals, waves): the same services and rules as the API, audited,
tenant-isolated and refused to viewers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from infludesk.campaigns.models import Deliverable, Goal, Payment, Shipment, Wave
from infludesk.core.models import AuditEntry
from tests.factories import CampaignFactory, DealFactory, GoalFactory, WaveFactory

D = Decimal


@pytest.fixture
def deal(workspace):
    return DealFactory(workspace=workspace, stage="contracted")


@pytest.fixture
def shipment(deal):
    return Shipment.objects.create(workspace=deal.workspace, deal=deal, product="Trail shoes")


@pytest.fixture
def payment(deal):
    return Payment.objects.create(
        workspace=deal.workspace, deal=deal, amount=D("500"), currency="USD"
    )


@pytest.fixture
def deliverable(deal):
    return Deliverable.objects.create(
        workspace=deal.workspace, deal=deal, platform="instagram", format="reel"
    )


def post(client, deal, **data):
    return client.post(f"/deals/{deal.pk}/", data)


# --- deal page -----------------------------------------------------------------------------


def test_given_a_writer_when_the_deal_page_opens_then_the_change_forms_show(
    deal, shipment, payment, manager_client
):
    page = manager_client.get(f"/deals/{deal.pk}/").content.decode()
    assert 'id="deal-changes"' in page
    assert f'aria-label="Shipment {shipment.pk}"' in page
    assert 'value="payment_delete"' in page


def test_given_a_viewer_when_the_deal_page_opens_then_no_change_forms(deal, viewer_client):
    assert b'id="deal-changes"' not in viewer_client.get(f"/deals/{deal.pk}/").content


def test_when_a_shipment_is_marked_shipped_then_saved_and_audited(deal, shipment, manager_client):
    response = post(
        manager_client,
        deal,
        action="shipment_update",
        shipment=shipment.pk,
        status="shipped",
        carrier="DHL",
        tracking_number="JD1",
        shipped_on="2026-11-20",
    )
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert (shipment.status, shipment.carrier, shipment.shipped_on) == (
        "shipped",
        "DHL",
        dt.date(2026, 11, 20),
    )
    assert AuditEntry.objects.get(action="shipment.update").changes["status"] == [
        "pending",
        "shipped",
    ]


def test_given_delivered_without_a_date_when_saved_then_400_with_the_rule(
    deal, shipment, manager_client
):
    response = post(
        manager_client,
        deal,
        action="shipment_update",
        shipment=shipment.pk,
        status="delivered",
        shipped_on="2026-11-20",
    )
    assert response.status_code == 400
    assert response.context["errors"] == ["delivered_on: Give the date it was delivered."]


def test_when_a_pending_shipment_is_removed_then_it_is_gone(deal, shipment, manager_client):
    assert (
        post(manager_client, deal, action="shipment_delete", shipment=shipment.pk).status_code
        == 302
    )
    assert Shipment.objects.count() == 0
    assert AuditEntry.objects.filter(action="shipment.delete").count() == 1


def test_when_a_payment_is_edited_then_saved(deal, payment, manager_client):
    post(
        manager_client,
        deal,
        action="payment_update",
        payment=payment.pk,
        amount="650",
        due_on="2026-12-01",
        method="bank",
        invoice_ref="INV-1",
    )
    payment.refresh_from_db()
    assert (payment.amount, payment.due_on, payment.method) == (
        D("650.00"),
        dt.date(2026, 12, 1),
        "bank",
    )


def test_given_a_negative_amount_when_a_payment_is_edited_then_400(deal, payment, manager_client):
    response = post(manager_client, deal, action="payment_update", payment=payment.pk, amount="-5")
    assert response.status_code == 400
    assert response.context["errors"] == ["amount: The amount must be more than 0."]


def test_when_a_paid_payment_is_unpaid_then_due_again_and_removable(deal, payment, manager_client):
    post(manager_client, deal, action="paid", payment=payment.pk)
    refused = post(manager_client, deal, action="payment_delete", payment=payment.pk)
    assert refused.context["errors"] == [
        "status: A paid payment cannot be deleted; mark it unpaid first."
    ]
    post(manager_client, deal, action="unpay", payment=payment.pk)
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == ("due", None)
    post(manager_client, deal, action="payment_delete", payment=payment.pk)
    assert Payment.objects.count() == 0


def test_when_a_deliverable_is_edited_and_removed_then_saved_then_gone(
    deal, deliverable, manager_client
):
    post(
        manager_client,
        deal,
        action="deliverable_update",
        deliverable=deliverable.pk,
        count="3",
        due_on="2026-12-02",
        usage_rights="6 months",
    )
    deliverable.refresh_from_db()
    assert (deliverable.count, deliverable.due_on) == (3, dt.date(2026, 12, 2))
    early = post(
        manager_client,
        deal,
        action="deliverable_update",
        deliverable=deliverable.pk,
        count="3",
        due_on="2026-10-01",
    )
    assert early.context["errors"] == ["due_on: Due before the campaign starts (2026-11-01)."]
    post(manager_client, deal, action="deliverable_delete", deliverable=deliverable.pk)
    assert Deliverable.objects.count() == 0


def test_when_a_creator_goal_is_removed_then_it_is_gone(deal, manager_client):
    goal = GoalFactory(campaign=deal.campaign, deal=deal)
    post(manager_client, deal, action="deal_goal_delete", goal=goal.pk)
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_given_another_deals_row_when_changed_then_404_and_unchanged(
    deal, manager_client, workspace
):
    other_deal = DealFactory(workspace=workspace)
    stranger = Payment.objects.create(
        workspace=workspace, deal=other_deal, amount=D("5"), currency="USD"
    )
    response = post(manager_client, deal, action="payment_delete", payment=stranger.pk)
    assert response.status_code == 404
    assert Payment.objects.filter(pk=stranger.pk).exists()


def test_given_another_workspace_when_changing_a_row_then_404(shipment, deal, other_owner):
    outsider = Client()
    outsider.force_login(other_owner.user, backend="django.contrib.auth.backends.ModelBackend")
    response = post(outsider, deal, action="shipment_delete", shipment=shipment.pk)
    assert response.status_code == 404
    assert Shipment.objects.count() == 1


def test_given_a_viewer_when_changing_a_row_then_403(deal, shipment, viewer_client):
    response = post(viewer_client, deal, action="shipment_delete", shipment=shipment.pk)
    assert response.status_code == 403
    assert Shipment.objects.count() == 1


# --- campaign page -------------------------------------------------------------------------


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace)


def act(client, campaign, **data):
    response = client.post(f"/campaigns/{campaign.pk}/actions/", data)
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def test_when_a_goal_is_edited_then_saved_and_audited(campaign, manager_client):
    goal = GoalFactory(campaign=campaign, target=D("100"))
    response, messages = act(
        manager_client,
        campaign,
        action="goal_update",
        goal=goal.pk,
        target="120",
        baseline="",
        deadline="2026-12-20",
    )
    assert (response.status_code, messages) == (302, ["Goal saved."])
    goal.refresh_from_db()
    assert (goal.target, goal.deadline) == (D("120.0000"), dt.date(2026, 12, 20))
    assert AuditEntry.objects.get(action="goal.update").changes == {
        "deadline": ["2026-12-31", "2026-12-20"],
        "target": ["100.0000", "120.0000"],
    }


def test_given_a_deadline_before_the_start_when_a_goal_is_edited_then_the_error_shows(
    campaign, manager_client
):
    goal = GoalFactory(campaign=campaign)
    _, messages = act(
        manager_client,
        campaign,
        action="goal_update",
        goal=goal.pk,
        target="100",
        deadline="2026-10-01",
    )
    assert messages == ["The deadline is before the campaign starts (2026-11-01)."]
    goal.refresh_from_db()
    assert goal.deadline == dt.date(2026, 12, 31)


def test_when_a_goal_is_removed_then_it_is_gone(campaign, manager_client):
    goal = GoalFactory(campaign=campaign)
    act(manager_client, campaign, action="goal_delete", goal=goal.pk)
    assert Goal.objects.count() == 0


def test_when_a_wave_is_edited_then_saved(campaign, manager_client):
    wave = WaveFactory(campaign=campaign, number=1)
    _, messages = act(
        manager_client,
        campaign,
        action="wave_update",
        wave=wave.pk,
        name="Launch",
        starts_on="2026-11-05",
        ends_on="2026-11-25",
        budget="1500",
    )
    assert messages == ["Launch saved."]
    wave.refresh_from_db()
    assert (wave.name, wave.ends_on, wave.budget) == ("Launch", dt.date(2026, 11, 25), D("1500"))


def test_given_a_wave_with_deals_when_removed_then_refused_else_gone(campaign, manager_client):
    busy = WaveFactory(campaign=campaign, number=1)
    DealFactory(campaign=campaign, wave=busy)
    idle = WaveFactory(campaign=campaign, number=2)
    _, messages = act(manager_client, campaign, action="wave_delete", wave=busy.pk)
    assert messages == ["Wave 1 has 1 deal(s); move or remove them before deleting it."]
    act(manager_client, campaign, action="wave_delete", wave=idle.pk)
    assert list(Wave.objects.values_list("number", flat=True)) == [1]


def test_given_another_campaigns_wave_when_removed_then_404(campaign, manager_client, workspace):
    stranger = WaveFactory(campaign=CampaignFactory(workspace=workspace), number=1)
    response, _ = act(manager_client, campaign, action="wave_delete", wave=stranger.pk)
    assert response.status_code == 404
    assert Wave.objects.filter(pk=stranger.pk).exists()


def test_given_a_viewer_when_removing_a_goal_then_403(campaign, viewer_client):
    goal = GoalFactory(campaign=campaign)
    response = viewer_client.post(
        f"/campaigns/{campaign.pk}/actions/", {"action": "goal_delete", "goal": goal.pk}
    )
    assert response.status_code == 403
    assert Goal.objects.count() == 1


def test_given_goals_and_waves_when_the_campaign_page_opens_then_their_forms_show(
    campaign, manager_client
):
    goal = GoalFactory(campaign=campaign)
    WaveFactory(campaign=campaign, number=1)
    page = manager_client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert f'aria-label="Goal {goal.pk}"' in page
    assert 'aria-label="Wave 1"' in page
