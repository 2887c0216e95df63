"""Shipments (product seeding) and payments: writes, the warehouse CSV, overdue payments."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet

from infludesk.campaigns.models import (
    PIPELINE,
    Campaign,
    Deal,
    Deliverable,
    Payment,
    PaymentStatus,
    Shipment,
    ShipmentStatus,
    Stage,
)
from infludesk.core.audit import audit_record, audit_update, changed_fields, snapshot_fields
from infludesk.core.models import Member, Workspace

SHIPMENT_FIELDS = {
    "product",
    "variant",
    "value",
    "address",
    "carrier",
    "tracking_number",
    "status",
    "shipped_on",
    "delivered_on",
}
PAYMENT_FIELDS = {"amount", "currency", "due_on", "paid_on", "method", "invoice_ref", "status"}
Row = TypeVar("Row", Shipment, Payment, Deliverable)
WAREHOUSE_COLUMNS = [
    "shipment_id",
    "campaign",
    "creator",
    "product",
    "variant",
    "value",
    "address",
    "carrier",
    "tracking_number",
    "status",
]


def _check(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError({u: ["Unknown field."] for u in unknown})


def _shipment_errors(s: Shipment) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if s.value is not None and Decimal(s.value) < 0:
        errors["value"] = ["The product value cannot be negative."]
    if s.status in (ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED) and not s.shipped_on:
        errors["shipped_on"] = ["Give the date it was shipped."]
    if s.status == ShipmentStatus.DELIVERED and not s.delivered_on:
        errors["delivered_on"] = ["Give the date it was delivered."]
    if s.shipped_on and s.delivered_on and s.delivered_on < s.shipped_on:
        errors["delivered_on"] = ["Delivered before it was shipped?"]
    return errors


def _at_column_scale(row: models.Model) -> None:
    """Money at its column's scale (500 -> 500.00), so the answer and the audit show what is
    stored and an unchanged amount is not recorded as a change."""
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
            scale = Decimal(1).scaleb(-field.decimal_places)
            with contextlib.suppress(InvalidOperation):  # too many digits: full_clean says so
                setattr(row, field.attname, value.quantize(scale))


def _save_deal_row(
    *,
    deal: Deal,
    by: Member | None,
    row: Row,
    fields: dict[str, Any],
    allowed: set[str],
    errors_of: Callable[[Row], dict[str, list[str]]],
    kind: str,
    exclude: tuple[str, ...] = ("workspace", "deal"),
) -> Row:
    """The one write path of a deal's shipments, payments and deliverables: known fields only,
    the row's own rules, model validation, save, and an audit entry with before/after."""
    _check(fields, allowed)
    before = snapshot_fields(row) if row.pk else {}
    for name, value in fields.items():
        setattr(row, name, value)
    _at_column_scale(row)
    errors = errors_of(row)
    if errors:
        raise ValidationError(errors)
    row.full_clean(exclude=list(exclude))
    row.save()
    if before:  # an update is recorded only when a field really changed
        audit_update(target=row, before=before, actor=by, action=f"{kind}.update")
        return row
    audit_record(
        workspace=deal.workspace,
        actor=by,
        action=f"{kind}.create",
        target=row,
        changes=changed_fields(before, snapshot_fields(row)),
    )
    return row


@transaction.atomic
def shipment_save(
    *, deal: Deal, by: Member | None, shipment: Shipment | None = None, **fields: Any
) -> Shipment:
    """Create or update a shipment of product to a deal's creator (value counts in the deal's
    cost)."""
    return _save_deal_row(
        deal=deal,
        by=by,
        row=shipment or Shipment(workspace=deal.workspace, deal=deal),
        fields=fields,
        allowed=SHIPMENT_FIELDS,
        errors_of=_shipment_errors,
        kind="shipment",
    )


def shipments_csv(*, workspace: Workspace, campaign: Campaign | None = None) -> str:
    """Pending and shipped parcels for the warehouse, one row each."""
    rows = (
        Shipment.objects.filter(workspace=workspace)
        .exclude(status=ShipmentStatus.RETURNED)
        .select_related("deal__campaign", "deal__creator")
        .order_by("pk")
    )
    if campaign is not None:
        rows = rows.filter(deal__campaign=campaign)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(WAREHOUSE_COLUMNS)
    for s in rows:
        writer.writerow(
            [
                s.pk,
                s.deal.campaign.name,
                s.deal.creator.name,
                s.product,
                s.variant,
                s.value,
                s.address,
                s.carrier,
                s.tracking_number,
                s.status,
            ]
        )
    return out.getvalue()


def _payment_errors(payment: Payment) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if payment.amount is None or Decimal(payment.amount) <= 0:
        errors["amount"] = ["The amount must be more than 0."]
    if payment.status == PaymentStatus.PAID and not payment.paid_on:
        errors["paid_on"] = ["Give the date it was paid."]
    return errors


@transaction.atomic
def payment_save(
    *, deal: Deal, by: Member | None, payment: Payment | None = None, **fields: Any
) -> Payment:
    """Create or update a payment to a creator. A paid payment needs its paid date."""
    return _save_deal_row(
        deal=deal,
        by=by,
        row=payment or Payment(workspace=deal.workspace, deal=deal, currency=deal.currency),
        fields=fields,
        allowed=PAYMENT_FIELDS,
        errors_of=_payment_errors,
        kind="payment",
    )


def overdue_payments(*, workspace: Workspace, today: dt.date) -> QuerySet[Payment]:
    """Payments still due whose due date has passed, oldest first."""
    return (
        Payment.objects.filter(workspace=workspace, status=PaymentStatus.DUE, due_on__lt=today)
        .select_related("deal__creator", "deal__campaign")
        .order_by("due_on", "pk")
    )


DELIVERABLE_FIELDS = {"platform", "format", "count", "due_on", "usage_rights", "status"}


def _deliverable_errors(deliverable: Deliverable) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    starts = deliverable.deal.campaign.starts_on
    if deliverable.due_on and starts and deliverable.due_on < starts:
        errors["due_on"] = [f"Due before the campaign starts ({starts})."]
    if not deliverable.count or deliverable.count < 1:
        errors["count"] = ["At least 1."]
    return errors


@transaction.atomic
def deliverable_save(
    *, deal: Deal, by: Member | None, deliverable: Deliverable | None = None, **fields: Any
) -> Deliverable:
    """Create or update what a creator owes: platform, format, count, due date, usage rights.
    A due date before the campaign starts is refused."""
    return _save_deal_row(
        deal=deal,
        by=by,
        row=deliverable or Deliverable(workspace=deal.workspace, deal=deal),
        fields=fields,
        allowed=DELIVERABLE_FIELDS,
        errors_of=_deliverable_errors,
        kind="deliverable",
        exclude=("workspace", "deal", "post"),
    )


# --- deleting, and taking back a payment --------------------------------------------------

LEFT_WAREHOUSE = (ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED)


def _delete_audited(row: Shipment | Payment | Deliverable, *, by: Member | None, kind: str) -> None:
    audit_record(
        workspace=row.workspace,
        actor=by,
        action=f"{kind}.delete",
        target=row,
        changes=changed_fields(snapshot_fields(row), {}),
    )
    row.delete()


def _stage_at_least(deal: Deal, stage: Stage) -> bool:
    return deal.stage in PIPELINE and PIPELINE.index(Stage(deal.stage)) >= PIPELINE.index(stage)


@transaction.atomic
def shipment_delete(*, shipment: Shipment, by: Member | None) -> None:
    """Delete a shipment entered by mistake. A parcel that left the warehouse (shipped or
    delivered) counts as spent and is kept: mark it returned instead. The last shipment of a
    deal at "product shipped" or later is its evidence and is kept too."""
    if shipment.status in LEFT_WAREHOUSE:
        raise ValidationError(
            {
                "status": [
                    f"A {shipment.get_status_display().lower()} parcel cannot be deleted; "
                    "mark it returned instead."
                ]
            }
        )
    deal = shipment.deal
    if _stage_at_least(deal, Stage.SHIPPED) and not deal.shipments.exclude(pk=shipment.pk).exists():
        raise ValidationError(
            f"The deal is at {deal.get_stage_display()}; its only shipment cannot be deleted."
        )
    _delete_audited(shipment, by=by, kind="shipment")


@transaction.atomic
def payment_delete(*, payment: Payment, by: Member | None) -> None:
    """Delete a payment that is still due (or cancelled); a paid one is kept for the books:
    take it back with payment_unpay first if it was marked paid by mistake."""
    if payment.status == PaymentStatus.PAID:
        raise ValidationError(
            {"status": ["A paid payment cannot be deleted; mark it unpaid first."]}
        )
    _delete_audited(payment, by=by, kind="payment")


@transaction.atomic
def payment_unpay(*, payment: Payment, by: Member | None) -> Payment:
    """Take back "paid" (marked by mistake): the payment is due again without a paid date. A
    deal at "paid" keeps at least one paid payment, as the pipeline requires."""
    if payment.status != PaymentStatus.PAID:
        raise ValidationError({"status": ["This payment is not marked paid."]})
    deal = payment.deal
    others_paid = deal.payments.filter(status=PaymentStatus.PAID).exclude(pk=payment.pk).exists()
    if deal.stage == Stage.PAID and not others_paid:
        raise ValidationError(
            {
                "status": [
                    "The deal is paid and this is its only paid payment; move the deal back first."
                ]
            }
        )
    return payment_save(deal=deal, by=by, payment=payment, status=PaymentStatus.DUE, paid_on=None)


@transaction.atomic
def deliverable_delete(*, deliverable: Deliverable, by: Member | None) -> None:
    """Delete a deliverable that is not approved or live yet (those are the deal's evidence
    for the pipeline and the contract); drafts submitted for it stay on the deal."""
    if deliverable.status in ("approved", "live"):
        raise ValidationError(
            {"status": [f"An {deliverable.status} deliverable cannot be deleted."]}
        )
    _delete_audited(deliverable, by=by, kind="deliverable")
