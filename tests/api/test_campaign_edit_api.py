"""Changing and removing campaign work through the API: PATCH and DELETE for goals, waves,
deliverables, shipments and payments, and taking back a payment marked paid. Each rule of the
services is a 422 naming its field (nothing saved); another workspace's row is a 404 (nothing
changed); viewers get 403; every change writes an audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from infludesk.campaigns.models import Deliverable, Goal, Payment, Shipment, Wave
from infludesk.core.models import AuditEntry
from tests.factories import CampaignFactory, DealFactory, GoalFactory, WaveFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, currency="EUR")


@pytest.fixture
def deal(campaign):
    return DealFactory(campaign=campaign, currency="EUR", stage="contracted")


@pytest.fixture
def goal(campaign):
    return GoalFactory(campaign=campaign, metric="conversions", target=D("250"))


@pytest.fixture
def wave(campaign):
    return WaveFactory(
        campaign=campaign,
        number=1,
        name="Launch",
        starts_on=dt.date(2026, 11, 2),
        ends_on=dt.date(2026, 11, 20),
        budget=D("3000"),
    )


@pytest.fixture
def deliverable(deal):
    return Deliverable.objects.create(
        workspace=deal.workspace,
        deal=deal,
        platform="instagram",
        format="reel",
        due_on=dt.date(2026, 12, 1),
    )


@pytest.fixture
def shipment(deal):
    return Shipment.objects.create(
        workspace=deal.workspace, deal=deal, product="Trail shoes", value=D("120")
    )


@pytest.fixture
def payment(deal):
    return Payment.objects.create(
        workspace=deal.workspace,
        deal=deal,
        amount=D("500"),
        currency="EUR",
        due_on=dt.date(2026, 12, 15),
    )


def audits(action):
    rows = AuditEntry.objects.filter(action=action).order_by("pk")
    return list(rows.values_list("target_id", "changes"))


def errors(response):
    return response.json()["errors"]


# --- goals ---------------------------------------------------------------------------------


def test_when_patching_a_goal_then_only_the_fields_sent_change_and_it_is_audited(
    owner_api, goal, campaign
):
    response = owner_api.patch(f"/goals/{goal.pk}", {"target": "300", "deadline": "2026-12-20"})
    assert response.status_code == 200
    assert response.json() == {
        "id": goal.pk,
        "campaign_id": campaign.pk,
        "deal_id": None,
        "metric": "conversions",
        "target": "300.0000",
        "baseline": None,
        "deadline": "2026-12-20",
    }
    assert audits("goal.update") == [
        (
            str(goal.pk),
            {"target": ["250.0000", "300.0000"], "deadline": ["2026-12-31", "2026-12-20"]},
        )
    ]


def test_given_the_same_values_when_patching_a_goal_then_no_audit_entry(owner_api, goal):
    response = owner_api.patch(f"/goals/{goal.pk}", {"target": "250", "metric": "conversions"})
    assert response.status_code == 200
    assert audits("goal.update") == []


def test_given_a_deadline_before_the_campaign_when_patching_a_goal_then_422_and_unchanged(
    owner_api, goal
):
    response = owner_api.patch(f"/goals/{goal.pk}", {"deadline": "2026-10-01"})
    assert response.status_code == 422
    assert errors(response) == [
        {"field": "deadline", "message": "The deadline is before the campaign starts (2026-11-01)."}
    ]
    goal.refresh_from_db()
    assert goal.deadline == dt.date(2026, 12, 31)


def test_given_an_unknown_metric_when_patching_a_goal_then_422_on_metric(owner_api, goal):
    response = owner_api.patch(f"/goals/{goal.pk}", {"metric": "vibes"})
    assert response.status_code == 422
    assert errors(response)[0]["field"] == "metric"
    assert errors(response)[0]["message"].startswith("'vibes' is not a measurable KPI; use one of")


def test_given_a_negative_target_when_patching_a_count_goal_then_422(owner_api, goal):
    response = owner_api.patch(f"/goals/{goal.pk}", {"target": "-5"})
    assert response.status_code == 422
    assert errors(response) == [{"field": "target", "message": "Must not be negative."}]


def test_given_null_or_an_unknown_field_when_patching_a_goal_then_422(owner_api, goal):
    response = owner_api.patch(f"/goals/{goal.pk}", {"target": None, "colour": "red"})
    assert response.status_code == 422
    assert sorted(e["field"] for e in errors(response)) == ["colour", "target"]


def test_when_deleting_a_goal_then_204_and_the_deletion_is_audited(owner_api, goal):
    response = owner_api.delete(f"/goals/{goal.pk}")
    assert response.status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()
    [(target_id, changes)] = audits("goal.delete")
    assert (target_id, changes["metric"]) == (str(goal.pk), ["conversions", None])


# --- waves ---------------------------------------------------------------------------------


def test_when_patching_a_wave_then_200_and_audited(owner_api, wave, campaign):
    response = owner_api.patch(f"/waves/{wave.pk}", {"name": "Black Friday", "budget": "3500"})
    assert response.status_code == 200
    assert response.json() == {
        "id": wave.pk,
        "campaign_id": campaign.pk,
        "number": 1,
        "name": "Black Friday",
        "starts_on": "2026-11-02",
        "ends_on": "2026-11-20",
        "budget": "3500.00",
    }
    assert audits("wave.update") == [
        (str(wave.pk), {"budget": ["3000.00", "3500.00"], "name": ["Launch", "Black Friday"]})
    ]


def test_given_an_end_after_the_campaign_when_patching_a_wave_then_422_and_unchanged(
    owner_api, wave
):
    response = owner_api.patch(f"/waves/{wave.pk}", {"ends_on": "2027-01-15"})
    assert response.status_code == 422
    assert errors(response) == [
        {"field": "ends_on", "message": "The wave ends after the campaign (2026-12-31)."}
    ]
    wave.refresh_from_db()
    assert wave.ends_on == dt.date(2026, 11, 20)


def test_given_an_end_before_its_start_when_patching_a_wave_then_422(owner_api, wave):
    response = owner_api.patch(f"/waves/{wave.pk}", {"starts_on": "2026-11-25"})
    assert response.status_code == 422
    assert errors(response) == [{"field": "ends_on", "message": "The wave ends before it starts."}]


def test_given_a_negative_budget_when_patching_a_wave_then_422(owner_api, wave):
    response = owner_api.patch(f"/waves/{wave.pk}", {"budget": "-1"})
    assert response.status_code == 422
    assert errors(response) == [
        {"field": "budget", "message": "Input should be greater than or equal to 0"}
    ]


def test_given_a_wave_with_deals_when_deleting_then_422_and_it_stays(owner_api, wave, campaign):
    DealFactory(campaign=campaign, wave=wave)
    response = owner_api.delete(f"/waves/{wave.pk}")
    assert response.status_code == 422
    assert errors(response) == [
        {
            "field": None,
            "message": "Launch has 1 deal(s); move or remove them before deleting it.",
        }
    ]
    assert Wave.objects.filter(pk=wave.pk).exists()


def test_given_a_wave_without_deals_when_deleting_then_204_and_audited(owner_api, wave):
    response = owner_api.delete(f"/waves/{wave.pk}")
    assert response.status_code == 204
    assert not Wave.objects.filter(pk=wave.pk).exists()
    assert [t for t, _ in audits("wave.delete")] == [str(wave.pk)]


# --- deliverables --------------------------------------------------------------------------


def test_when_patching_a_deliverable_then_200_and_audited(owner_api, deliverable, deal):
    response = owner_api.patch(
        f"/deliverables/{deliverable.pk}",
        {"count": 2, "due_on": "2026-12-05", "usage_rights": "organic, 6 months"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": deliverable.pk,
        "deal_id": deal.pk,
        "platform": "instagram",
        "format": "reel",
        "count": 2,
        "due_on": "2026-12-05",
        "usage_rights": "organic, 6 months",
        "status": "planned",
    }
    assert audits("deliverable.update") == [
        (
            str(deliverable.pk),
            {
                "count": [1, 2],
                "due_on": ["2026-12-01", "2026-12-05"],
                "usage_rights": ["", "organic, 6 months"],
            },
        )
    ]


def test_given_a_due_date_before_the_campaign_when_patching_a_deliverable_then_422(
    owner_api, deliverable
):
    response = owner_api.patch(f"/deliverables/{deliverable.pk}", {"due_on": "2026-10-30"})
    assert response.status_code == 422
    assert errors(response) == [
        {"field": "due_on", "message": "Due before the campaign starts (2026-11-01)."}
    ]
    deliverable.refresh_from_db()
    assert deliverable.due_on == dt.date(2026, 12, 1)


def test_given_an_unknown_format_or_zero_count_when_patching_a_deliverable_then_422(
    owner_api, deliverable
):
    response = owner_api.patch(f"/deliverables/{deliverable.pk}", {"format": "blog", "count": 0})
    assert response.status_code == 422
    assert sorted(e["field"] for e in errors(response)) == ["count", "format"]


def test_when_deleting_a_planned_deliverable_then_204_and_audited(owner_api, deliverable):
    assert owner_api.delete(f"/deliverables/{deliverable.pk}").status_code == 204
    assert not Deliverable.objects.filter(pk=deliverable.pk).exists()
    assert [t for t, _ in audits("deliverable.delete")] == [str(deliverable.pk)]


def test_given_an_approved_deliverable_when_deleting_then_422_and_it_stays(owner_api, deliverable):
    Deliverable.objects.filter(pk=deliverable.pk).update(status="approved")
    response = owner_api.delete(f"/deliverables/{deliverable.pk}")
    assert response.status_code == 422
    assert errors(response) == [
        {"field": "status", "message": "An approved deliverable cannot be deleted."}
    ]
    assert Deliverable.objects.filter(pk=deliverable.pk).exists()


# --- shipments -----------------------------------------------------------------------------


def test_when_a_shipment_goes_shipped_delivered_returned_then_each_step_is_saved_and_audited(
    owner_api, shipment
):
    path = f"/shipments/{shipment.pk}"
    shipped = owner_api.patch(
        path,
        {
            "status": "shipped",
            "shipped_on": "2026-11-10",
            "carrier": "DHL",
            "tracking_number": "JD0002",
        },
    )
    assert shipped.status_code == 200
    assert (shipped.json()["status"], shipped.json()["tracking_number"]) == ("shipped", "JD0002")
    delivered = owner_api.patch(path, {"status": "delivered", "delivered_on": "2026-11-12"})
    assert (delivered.status_code, delivered.json()["delivered_on"]) == (200, "2026-11-12")
    returned = owner_api.patch(path, {"status": "returned"})
    assert (returned.status_code, returned.json()["status"]) == (200, "returned")
    assert [c["status"] for _, c in audits("shipment.update")] == [
        ["pending", "shipped"],
        ["shipped", "delivered"],
        ["delivered", "returned"],
    ]


def test_given_shipped_without_a_date_when_patching_then_422_on_shipped_on(owner_api, shipment):
    response = owner_api.patch(f"/shipments/{shipment.pk}", {"status": "shipped"})
    assert response.status_code == 422
    assert errors(response) == [{"field": "shipped_on", "message": "Give the date it was shipped."}]
    shipment.refresh_from_db()
    assert shipment.status == "pending"


def test_given_delivered_before_shipped_when_patching_then_422_on_delivered_on(owner_api, shipment):
    response = owner_api.patch(
        f"/shipments/{shipment.pk}",
        {"status": "delivered", "shipped_on": "2026-11-10", "delivered_on": "2026-11-09"},
    )
    assert response.status_code == 422
    assert errors(response) == [
        {"field": "delivered_on", "message": "Delivered before it was shipped?"}
    ]


def test_given_a_negative_value_or_unknown_status_when_patching_a_shipment_then_422(
    owner_api, shipment
):
    response = owner_api.patch(f"/shipments/{shipment.pk}", {"value": "-3", "status": "lost"})
    assert response.status_code == 422
    assert sorted(e["field"] for e in errors(response)) == ["status", "value"]
    shipment.refresh_from_db()
    assert shipment.value == D("120.00")


def test_given_a_shipped_parcel_when_deleting_then_422_mark_it_returned(owner_api, shipment):
    Shipment.objects.filter(pk=shipment.pk).update(
        status="shipped", shipped_on=dt.date(2026, 11, 9)
    )
    response = owner_api.delete(f"/shipments/{shipment.pk}")
    assert response.status_code == 422
    assert errors(response) == [
        {
            "field": "status",
            "message": "A shipped parcel cannot be deleted; mark it returned instead.",
        }
    ]


def test_given_the_only_shipment_of_a_shipped_deal_when_deleting_then_422(
    owner_api, shipment, deal
):
    deal.stage = "shipped"
    deal.save()
    response = owner_api.delete(f"/shipments/{shipment.pk}")
    assert response.status_code == 422
    assert errors(response) == [
        {
            "field": None,
            "message": "The deal is at Product shipped; its only shipment cannot be deleted.",
        }
    ]


def test_when_deleting_a_pending_shipment_then_204_and_audited(owner_api, shipment):
    assert owner_api.delete(f"/shipments/{shipment.pk}").status_code == 204
    assert not Shipment.objects.filter(pk=shipment.pk).exists()
    [(target_id, changes)] = audits("shipment.delete")
    assert (target_id, changes["product"]) == (str(shipment.pk), ["Trail shoes", None])


# --- payments ------------------------------------------------------------------------------


def test_when_patching_a_payment_then_200_and_audited(owner_api, payment, deal):
    response = owner_api.patch(
        f"/payments/{payment.pk}", {"amount": "650", "method": "bank", "invoice_ref": "INV-7"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": payment.pk,
        "deal_id": deal.pk,
        "amount": "650.00",
        "currency": "EUR",
        "due_on": "2026-12-15",
        "paid_on": None,
        "method": "bank",
        "invoice_ref": "INV-7",
        "status": "due",
    }
    assert audits("payment.update") == [
        (
            str(payment.pk),
            {
                "amount": ["500.00", "650.00"],
                "invoice_ref": ["", "INV-7"],
                "method": ["", "bank"],
            },
        )
    ]


def test_given_a_zero_amount_when_patching_a_payment_then_422_and_unchanged(owner_api, payment):
    response = owner_api.patch(f"/payments/{payment.pk}", {"amount": "0"})
    assert response.status_code == 422
    assert errors(response) == [{"field": "amount", "message": "The amount must be more than 0."}]
    payment.refresh_from_db()
    assert payment.amount == D("500.00")


def test_given_a_negative_amount_or_a_status_when_patching_a_payment_then_422(owner_api, payment):
    response = owner_api.patch(f"/payments/{payment.pk}", {"amount": "-10", "status": "paid"})
    assert response.status_code == 422
    assert errors(response) == [
        {"field": "amount", "message": "Input should be greater than or equal to 0"},
        {"field": "status", "message": "Extra inputs are not permitted"},
    ]


def test_given_a_paid_payment_when_unpaying_then_it_is_due_again_and_audited(owner_api, payment):
    owner_api.post(f"/payments/{payment.pk}/paid", {"paid_on": "2026-12-10"})
    response = owner_api.post(f"/payments/{payment.pk}/unpay", {})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["paid_on"]) == ("due", None)
    assert audits("payment.update")[-1] == (
        str(payment.pk),
        {"paid_on": ["2026-12-10", None], "status": ["paid", "due"]},
    )


def test_given_a_due_payment_when_unpaying_then_422(owner_api, payment):
    response = owner_api.post(f"/payments/{payment.pk}/unpay", {})
    assert response.status_code == 422
    assert errors(response) == [{"field": "status", "message": "This payment is not marked paid."}]


def test_given_the_only_paid_payment_of_a_paid_deal_when_unpaying_then_422(
    owner_api, payment, deal
):
    Payment.objects.filter(pk=payment.pk).update(status="paid", paid_on=dt.date(2026, 12, 10))
    deal.stage = "paid"
    deal.save()
    response = owner_api.post(f"/payments/{payment.pk}/unpay", {})
    assert response.status_code == 422
    assert errors(response) == [
        {
            "field": "status",
            "message": "The deal is paid and this is its only paid payment; move the deal back "
            "first.",
        }
    ]
    payment.refresh_from_db()
    assert payment.status == "paid"


def test_given_a_paid_payment_when_deleting_then_422_and_it_stays(owner_api, payment):
    Payment.objects.filter(pk=payment.pk).update(status="paid", paid_on=dt.date(2026, 12, 10))
    response = owner_api.delete(f"/payments/{payment.pk}")
    assert response.status_code == 422
    assert errors(response) == [
        {"field": "status", "message": "A paid payment cannot be deleted; mark it unpaid first."}
    ]
    assert Payment.objects.filter(pk=payment.pk).exists()


def test_when_deleting_a_due_payment_then_204_and_audited(owner_api, payment):
    assert owner_api.delete(f"/payments/{payment.pk}").status_code == 204
    assert not Payment.objects.filter(pk=payment.pk).exists()
    [(target_id, changes)] = audits("payment.delete")
    assert (target_id, changes["amount"]) == (str(payment.pk), ["500.00", None])


# --- isolation, roles, bad input -----------------------------------------------------------

CHANGES = [
    ("patch", "goals", "goal", {"target": "1"}),
    ("delete", "goals", "goal", None),
    ("patch", "waves", "wave", {"name": "x"}),
    ("delete", "waves", "wave", None),
    ("patch", "deliverables", "deliverable", {"count": 3}),
    ("delete", "deliverables", "deliverable", None),
    ("patch", "shipments", "shipment", {"carrier": "UPS"}),
    ("delete", "shipments", "shipment", None),
    ("patch", "payments", "payment", {"amount": "1"}),
    ("delete", "payments", "payment", None),
]


def _send(api, method, path, body):
    return api.patch(path, body) if method == "patch" else api.delete(path)


def _state(model, pk):
    return model.objects.filter(pk=pk).values().first()


@pytest.mark.parametrize(("method", "collection", "fixture", "body"), CHANGES)
def test_given_another_workspace_when_changing_a_row_then_404_and_nothing_changes(
    other_api, request, method, collection, fixture, body
):
    row = request.getfixturevalue(fixture)
    before = _state(type(row), row.pk)
    response = _send(other_api, method, f"/{collection}/{row.pk}", body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}
    assert _state(type(row), row.pk) == before
    assert AuditEntry.objects.exclude(action="api_token.create").count() == 0


def test_given_another_workspace_when_unpaying_then_404_and_it_stays_paid(other_api, payment):
    Payment.objects.filter(pk=payment.pk).update(status="paid", paid_on=dt.date(2026, 12, 10))
    assert other_api.post(f"/payments/{payment.pk}/unpay", {}).status_code == 404
    payment.refresh_from_db()
    assert payment.status == "paid"


@pytest.mark.parametrize(("method", "collection", "fixture", "body"), CHANGES)
def test_given_a_viewer_when_changing_a_row_then_403_and_nothing_changes(
    viewer_api, request, method, collection, fixture, body
):
    row = request.getfixturevalue(fixture)
    before = _state(type(row), row.pk)
    response = _send(viewer_api, method, f"/{collection}/{row.pk}", body)
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role in this workspace is read-only."
    assert _state(type(row), row.pk) == before


def test_given_a_viewer_when_unpaying_then_403(viewer_api, payment):
    assert viewer_api.post(f"/payments/{payment.pk}/unpay", {}).status_code == 403


@pytest.mark.parametrize("collection", ["goals", "waves", "deliverables", "shipments", "payments"])
def test_given_a_body_that_is_not_an_object_when_patching_then_422_not_500(
    owner_api, collection, goal, wave, deliverable, shipment, payment
):
    row = {
        "goals": goal,
        "waves": wave,
        "deliverables": deliverable,
        "shipments": shipment,
        "payments": payment,
    }[collection]
    response = owner_api.raw("patch", f"/{collection}/{row.pk}", "[1, 2]")
    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input."


def test_given_a_manager_when_patching_then_the_audit_names_them(manager_api, manager, payment):
    manager_api.patch(f"/payments/{payment.pk}", {"method": "PayPal"})
    assert AuditEntry.objects.get(action="payment.update").actor == manager
