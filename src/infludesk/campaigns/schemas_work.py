"""API schemas for the work inside a campaign: goals, waves, bulk adds, stage moves,
deliverables, shipments, payments, the brief and content drafts.

Money and goal numbers travel as decimal strings; dates are ISO (``"2026-03-01"``). Bodies refuse
unknown fields. Business rules (SMART goals, wave dates, pipeline evidence, disclosure) live in
the services; a broken rule comes back as a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from infludesk.api.fields import CurrencyCode, DecimalStr, Id, Money, StrictIn
from infludesk.campaigns.models import (
    DeliverableFormat,
    DraftStatus,
    PaymentStatus,
    Relationship,
    ShipmentStatus,
    Stage,
)
from infludesk.creators.models import Platform

Text = Annotated[str, Field(max_length=10_000)]
Ids = Annotated[list[Id], Field(max_length=1000)]
# Goal numbers: the column holds 18 digits, 4 after the point; sentiment may be negative.
GoalNumber = Annotated[Decimal, Field(max_digits=18, decimal_places=4)]

# --- goals and KPIs ------------------------------------------------------------------------


class GoalIn(StrictIn):
    metric: Annotated[str, Field(max_length=40, description="a key of GET /kpis")]
    target: GoalNumber | None = None
    baseline: GoalNumber | None = None
    deadline: dt.date | None = Field(None, description="on or after the campaign starts")
    deal_id: Id | None = Field(None, description="a deal of this campaign: a per-creator goal")


class GoalOut(Schema):
    id: int
    campaign_id: int
    deal_id: int | None
    metric: str
    target: DecimalStr
    baseline: DecimalStr | None
    deadline: dt.date


class KpiOut(Schema):
    key: str
    label: str
    unit: str
    higher_is_better: bool


class KpiCatalogueOut(Schema):
    kpis: list[KpiOut]
    defaults: dict[str, list[str]] = Field(description="objective -> its default KPI keys")


# --- waves ---------------------------------------------------------------------------------


class WaveIn(StrictIn):
    name: Annotated[str, Field(max_length=120)] = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    budget: Money = Decimal("0")


class WaveNextIn(StrictIn):
    keep_creator_ids: Ids = []
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    budget: Money | None = Field(None, description="the previous wave's budget if omitted")


class WaveOut(Schema):
    id: int
    campaign_id: int
    number: int
    name: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    budget: DecimalStr


# --- deals: bulk add and stage moves -------------------------------------------------------


class BulkAddIn(StrictIn):
    creator_ids: Ids = []
    shortlist_id: Id | None = None
    wave_id: Id | None = None


class BulkAddOut(Schema):
    added: list[int] = Field(description="ids of the new deals")
    skipped: list[str] = Field(description="why each skipped creator was not added")


class MoveIn(StrictIn):
    to_stage: Stage


class MovedOut(Schema):
    id: int
    stage: Stage
    stage_changed_at: dt.datetime | None


# --- deliverables, shipments, payments -----------------------------------------------------


class DeliverableIn(StrictIn):
    platform: Platform
    format: DeliverableFormat
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    due_on: dt.date | None = None
    usage_rights: Annotated[str, Field(max_length=200)] = ""


class DeliverableOut(Schema):
    id: int
    deal_id: int
    platform: str
    format: str
    count: int
    due_on: dt.date | None
    usage_rights: str
    status: str


class ShipmentIn(StrictIn):
    product: Annotated[str, Field(min_length=1, max_length=200)]
    variant: Annotated[str, Field(max_length=120)] = ""
    value: Money = Decimal("0")
    address: Text = ""
    carrier: Annotated[str, Field(max_length=60)] = ""
    tracking_number: Annotated[str, Field(max_length=100)] = ""
    status: ShipmentStatus = ShipmentStatus.PENDING
    shipped_on: dt.date | None = None
    delivered_on: dt.date | None = None


class ShipmentOut(Schema):
    id: int
    deal_id: int
    product: str
    variant: str
    value: DecimalStr
    address: str
    carrier: str
    tracking_number: str
    status: ShipmentStatus
    shipped_on: dt.date | None
    delivered_on: dt.date | None


class PaymentIn(StrictIn):
    amount: Money
    currency: CurrencyCode | None = Field(None, description="defaults to the deal's")
    due_on: dt.date | None = None
    method: Annotated[str, Field(max_length=40)] = ""
    invoice_ref: Annotated[str, Field(max_length=80)] = ""


class PaidIn(StrictIn):
    paid_on: dt.date


class PaymentOut(Schema):
    id: int
    deal_id: int
    amount: DecimalStr
    currency: str
    due_on: dt.date | None
    paid_on: dt.date | None
    method: str
    invoice_ref: str
    status: PaymentStatus


# --- brief and drafts ----------------------------------------------------------------------

Tags = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=50)]


class BriefIn(StrictIn):
    key_messages: Text = ""
    dos: Text = ""
    donts: Text = ""
    hashtags: Tags = []
    mentions: Tags = []
    links: Text = ""
    relationship: Relationship = Relationship.PAID
    disclosure_rules: Text = ""


class BriefOut(Schema):
    campaign_id: int
    saved: bool = Field(description="false: the default brief, not saved yet")
    key_messages: str
    dos: str
    donts: str
    hashtags: list[str]
    mentions: list[str]
    links: str
    relationship: Relationship
    disclosure_rules: str

    @staticmethod
    def resolve_saved(obj: Any) -> bool:
        return obj.pk is not None


class DraftIn(StrictIn):
    caption: Annotated[str, Field(max_length=10_000)]
    media_url: Annotated[str, Field(max_length=1000)] = ""
    media_file_id: Id | None = Field(
        None, description="a file of this deal (POST /deals/{deal_id}/files) as the media"
    )


class DisclosureOut(Schema):
    """The disclosure check of a draft; empty (not compliant) when it was never checked."""

    compliant: bool = False
    reasons: list[str] = []
    text: str = ""
    label: str = ""


class ReviewIn(StrictIn):
    approve: bool
    comment: Text = ""
    override_note: Text = ""


class DraftOut(Schema):
    id: int
    deal_id: int
    version: int
    caption: str
    media_url: str
    media_file_id: int | None
    status: DraftStatus
    disclosure: DisclosureOut
    review_comment: str
    override_note: str
    reviewed_at: dt.datetime | None
