"""Writes for the exchange rate table a workspace maintains (no network; see tracking/currency.py).

A row says: from `valid_from` on, 1 unit of `currency` = `rate` units of the workspace currency.
One row per currency and day; the workspace's own currency needs no rate. Every write runs in one
transaction and records an audit entry.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from infludesk.core.audit import audit_record, audit_update, snapshot_fields
from infludesk.core.models import ExchangeRate, Member, Workspace
from infludesk.core.services import validate_currency
from infludesk.core.writes import save_unique

_UNSET = object()
RATE_PLACES = Decimal("0.00000001")


def _clean(*, workspace: Workspace, row: ExchangeRate) -> None:
    try:
        row.currency = validate_currency(row.currency)
    except ValidationError as exc:
        raise ValidationError({"currency": exc.messages}) from exc
    if row.currency == workspace.currency.upper():
        raise ValidationError(
            {"currency": f"{row.currency} is the workspace currency; it needs no rate."}
        )
    if row.rate is None or Decimal(row.rate) <= 0:
        raise ValidationError({"rate": "The rate must be more than 0."})
    row.full_clean(exclude=["workspace"], validate_unique=False, validate_constraints=False)
    row.rate = Decimal(row.rate).quantize(RATE_PLACES)  # as stored, also in the audit entry


def _save(row: ExchangeRate) -> None:
    save_unique(
        row,
        clash_field="valid_from",
        clash_message=(
            f"There is already a {row.currency} rate from {row.valid_from}; change that one."
        ),
    )


@transaction.atomic
def exchange_rate_create(
    *, workspace: Workspace, currency: str, rate: Decimal, valid_from: dt.date, by: Member | None
) -> ExchangeRate:
    """A new rate: 1 `currency` = `rate` workspace currency from `valid_from` on."""
    row = ExchangeRate(workspace=workspace, currency=currency, rate=rate, valid_from=valid_from)
    _clean(workspace=workspace, row=row)
    _save(row)
    audit_record(workspace=workspace, actor=by, action="exchange_rate.create", target=row)
    return row


@transaction.atomic
def exchange_rate_update(
    *,
    row: ExchangeRate,
    by: Member | None,
    currency: str | object = _UNSET,
    rate: Decimal | object = _UNSET,
    valid_from: dt.date | object = _UNSET,
) -> ExchangeRate:
    """Change the fields given; the others stay. An unchanged row writes no audit entry."""
    before = snapshot_fields(row)
    for name, value in (("currency", currency), ("rate", rate), ("valid_from", valid_from)):
        if value is not _UNSET:
            setattr(row, name, value)
    _clean(workspace=row.workspace, row=row)
    _save(row)
    audit_update(target=row, before=before, actor=by, action="exchange_rate.update")
    return row


@transaction.atomic
def exchange_rate_delete(*, row: ExchangeRate, by: Member | None) -> None:
    audit_record(
        workspace=row.workspace,
        actor=by,
        action="exchange_rate.delete",
        target=row,
        changes={k: [v, None] for k, v in snapshot_fields(row).items() if k != "workspace_id"},
    )
    row.delete()
