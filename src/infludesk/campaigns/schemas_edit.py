"""API schemas for changing the work inside a campaign: goals, waves, deliverables, shipments
and payments (``<Entity>Patch``).

Patch fields default to "not sent" and only the fields sent change; null clears only the fields
that may be empty (dates, a goal's baseline). Bodies refuse unknown fields. A payment's status
changes only through POST /payments/{id}/paid and /unpay, and a deliverable's through content
review and live posts, so neither is a Patch field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field

from infludesk.api.fields import CurrencyCode, Money, StrictIn
from infludesk.campaigns.models import DeliverableFormat, ShipmentStatus
from infludesk.campaigns.schemas_work import GoalNumber, Text
from infludesk.creators.models import Platform


class GoalPatch(StrictIn):
    metric: Annotated[str, Field(max_length=40, description="a key of GET /kpis")] = None  # type: ignore[assignment]
    target: GoalNumber = None  # type: ignore[assignment]
    baseline: GoalNumber | None = None
    deadline: dt.date = Field(None, description="on or after the campaign starts")  # type: ignore[assignment]


class WavePatch(StrictIn):
    name: Annotated[str, Field(max_length=120)] = None  # type: ignore[assignment]
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    budget: Money = None  # type: ignore[assignment]


class DeliverablePatch(StrictIn):
    platform: Platform = None  # type: ignore[assignment]
    format: DeliverableFormat = None  # type: ignore[assignment]
    count: Annotated[int, Field(ge=1, le=1000)] = None  # type: ignore[assignment]
    due_on: dt.date | None = None
    usage_rights: Annotated[str, Field(max_length=200)] = None  # type: ignore[assignment]


class ShipmentPatch(StrictIn):
    product: Annotated[str, Field(min_length=1, max_length=200)] = None  # type: ignore[assignment]
    variant: Annotated[str, Field(max_length=120)] = None  # type: ignore[assignment]
    value: Money = None  # type: ignore[assignment]
    address: Text = None  # type: ignore[assignment]
    carrier: Annotated[str, Field(max_length=60)] = None  # type: ignore[assignment]
    tracking_number: Annotated[str, Field(max_length=100)] = None  # type: ignore[assignment]
    status: ShipmentStatus = Field(  # type: ignore[assignment]
        None, description="shipped needs shipped_on; delivered needs delivered_on too"
    )
    shipped_on: dt.date | None = None
    delivered_on: dt.date | None = None


class PaymentPatch(StrictIn):
    amount: Money = None  # type: ignore[assignment]
    currency: CurrencyCode = None  # type: ignore[assignment]
    due_on: dt.date | None = None
    method: Annotated[str, Field(max_length=40)] = None  # type: ignore[assignment]
    invoice_ref: Annotated[str, Field(max_length=80)] = None  # type: ignore[assignment]
