"""REST endpoints that change or remove the work inside a campaign, mounted by
infludesk.api.api at /api/v1/: PATCH and DELETE for goals, waves, deliverables, shipments and
payments, and taking back a payment marked paid by mistake.

Rows are looked up from the caller's workspace, so another workspace's row is a 404 exactly
like a missing one (and nothing changes). The services hold the rules the pages follow too
(goals.py, waves.py, logistics.py); a broken rule is a 422 naming its field.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.campaigns import goals, logistics, waves
from infludesk.campaigns.models import Deliverable, Goal, Payment, Shipment, Wave
from infludesk.campaigns.schemas_edit import (
    DeliverablePatch,
    GoalPatch,
    PaymentPatch,
    ShipmentPatch,
    WavePatch,
)
from infludesk.campaigns.schemas_work import (
    DeliverableOut,
    GoalOut,
    PaymentOut,
    ShipmentOut,
    WaveOut,
)
from infludesk.core.models import Member

router = Router()


def _row(model: type[Model], member: Member, pk: int, *related: str) -> Any:
    rows = model._default_manager.select_related(*related)
    return get_object_or_404(rows, workspace_id=member.workspace_id, pk=pk)


def _sent(payload: Any) -> dict[str, Any]:
    return dict(payload.model_dump(exclude_unset=True))


# --- goals ---------------------------------------------------------------------------------


@router.patch(
    "/goals/{goal_id}", response={200: GoalOut, **ERROR_RESPONSES}, auth=WRITE_AUTH, tags=["goals"]
)
def update_goal(request: HttpRequest, goal_id: Id, payload: GoalPatch) -> Goal:
    """Change the fields sent; the goal must stay SMART (catalogue metric, target, deadline on
    or after the campaign starts)."""
    member = member_of(request)
    goal = _row(Goal, member, goal_id, "campaign")
    return goals.goal_update(goal=goal, by=member, **_sent(payload))


@router.delete(
    "/goals/{goal_id}", response={204: None, **ERROR_RESPONSES}, auth=WRITE_AUTH, tags=["goals"]
)
def delete_goal(request: HttpRequest, goal_id: Id) -> Status[None]:
    member = member_of(request)
    goals.goal_delete(goal=_row(Goal, member, goal_id), by=member)
    return Status(204, None)


# --- waves ---------------------------------------------------------------------------------


@router.patch(
    "/waves/{wave_id}", response={200: WaveOut, **ERROR_RESPONSES}, auth=WRITE_AUTH, tags=["waves"]
)
def update_wave(request: HttpRequest, wave_id: Id, payload: WavePatch) -> Wave:
    """Change the fields sent; the wave stays inside the campaign's dates."""
    member = member_of(request)
    wave = _row(Wave, member, wave_id, "campaign")
    return waves.wave_update(wave=wave, by=member, **_sent(payload))


@router.delete(
    "/waves/{wave_id}", response={204: None, **ERROR_RESPONSES}, auth=WRITE_AUTH, tags=["waves"]
)
def delete_wave(request: HttpRequest, wave_id: Id) -> Status[None]:
    """Only a wave without deals can be deleted."""
    member = member_of(request)
    waves.wave_delete(wave=_row(Wave, member, wave_id), by=member)
    return Status(204, None)


# --- deliverables --------------------------------------------------------------------------


@router.patch(
    "/deliverables/{deliverable_id}",
    response={200: DeliverableOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["deliverables"],
)
def update_deliverable(
    request: HttpRequest, deliverable_id: Id, payload: DeliverablePatch
) -> Deliverable:
    """Change the fields sent; a due date before the campaign starts is refused."""
    member = member_of(request)
    row = _row(Deliverable, member, deliverable_id, "deal__campaign", "deal__workspace")
    return logistics.deliverable_save(deal=row.deal, deliverable=row, by=member, **_sent(payload))


@router.delete(
    "/deliverables/{deliverable_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["deliverables"],
)
def delete_deliverable(request: HttpRequest, deliverable_id: Id) -> Status[None]:
    """An approved or live deliverable is kept (the deal's evidence)."""
    member = member_of(request)
    logistics.deliverable_delete(deliverable=_row(Deliverable, member, deliverable_id), by=member)
    return Status(204, None)


# --- shipments -----------------------------------------------------------------------------


@router.patch(
    "/shipments/{shipment_id}",
    response={200: ShipmentOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["shipments"],
)
def update_shipment(request: HttpRequest, shipment_id: Id, payload: ShipmentPatch) -> Shipment:
    """Change the fields sent, e.g. {"status": "shipped", "shipped_on": ..., "carrier": ...,
    "tracking_number": ...}, then delivered (with delivered_on) or returned."""
    member = member_of(request)
    row = _row(Shipment, member, shipment_id, "deal__workspace")
    return logistics.shipment_save(deal=row.deal, shipment=row, by=member, **_sent(payload))


@router.delete(
    "/shipments/{shipment_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["shipments"],
)
def delete_shipment(request: HttpRequest, shipment_id: Id) -> Status[None]:
    """A parcel that left the warehouse is kept (mark it returned instead)."""
    member = member_of(request)
    logistics.shipment_delete(shipment=_row(Shipment, member, shipment_id, "deal"), by=member)
    return Status(204, None)


# --- payments ------------------------------------------------------------------------------


@router.patch(
    "/payments/{payment_id}",
    response={200: PaymentOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["payments"],
)
def update_payment(request: HttpRequest, payment_id: Id, payload: PaymentPatch) -> Payment:
    """Change the amount, currency, due date, method or invoice reference; mark paid and
    unpaid with POST /payments/{id}/paid and /unpay."""
    member = member_of(request)
    row = _row(Payment, member, payment_id, "deal__workspace")
    return logistics.payment_save(deal=row.deal, payment=row, by=member, **_sent(payload))


@router.delete(
    "/payments/{payment_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["payments"],
)
def delete_payment(request: HttpRequest, payment_id: Id) -> Status[None]:
    """A paid payment is kept for the books (unpay it first if it was a mistake)."""
    member = member_of(request)
    logistics.payment_delete(payment=_row(Payment, member, payment_id), by=member)
    return Status(204, None)


@router.post(
    "/payments/{payment_id}/unpay",
    response={200: PaymentOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["payments"],
)
def unpay_payment(request: HttpRequest, payment_id: Id) -> Payment:
    """Due again, without its paid date; refused when it is a paid deal's only paid payment."""
    member = member_of(request)
    return logistics.payment_unpay(payment=_row(Payment, member, payment_id, "deal"), by=member)
