"""API schemas for campaigns and deals (``<Entity>In/Patch/Out/Filter``).

Money travels as decimal strings (``"1500.00"``); numbers are accepted on input too. In and
Patch refuse unknown fields. Patch fields default to "not sent"; null clears only the fields that
may be empty (dates, wave, account).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, FilterLookup, Schema

from infludesk.api.fields import (
    CurrencyCode,
    DecimalStr,
    Id,
    Money,
    Percent,
    QueryFilter,
    StrictIn,
)
from infludesk.api.pagination import Page
from infludesk.campaigns.models import CampaignStatus, CampaignType, Objective, Stage

Slug = Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]*$")]
Channel = Annotated[str, Field(min_length=1, max_length=40)]
Channels = Annotated[list[Channel], Field(max_length=20)]
# The model allows 200; a name also becomes the slug, which is cut to fit.
CampaignName = Annotated[str, Field(min_length=1, max_length=200)]
Notes = Annotated[str, Field(max_length=10_000)]


# --- campaigns -----------------------------------------------------------------------------


class CampaignIn(StrictIn):
    name: CampaignName
    slug: Slug = Field("", description="made from the name, unique in the workspace, if empty")
    product: Annotated[str, Field(max_length=200)] = ""
    objective: Objective
    type: CampaignType
    status: CampaignStatus = CampaignStatus.DRAFT
    starts_on: dt.date | None = None
    ends_on: dt.date | None = Field(None, description="on or after starts_on")
    budget: Money = Field(default=Decimal("0"), description='decimal string, e.g. "2500.00"')
    currency: CurrencyCode | None = Field(None, description="defaults to the workspace's")
    audience_notes: Notes = ""
    channels: Channels = []


class CampaignPatch(StrictIn):
    name: CampaignName = None  # type: ignore[assignment]
    slug: Slug = None  # type: ignore[assignment]
    product: Annotated[str, Field(max_length=200)] = None  # type: ignore[assignment]
    objective: Objective = None  # type: ignore[assignment]
    type: CampaignType = None  # type: ignore[assignment]
    status: CampaignStatus = None  # type: ignore[assignment]
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    budget: Money = None  # type: ignore[assignment]
    currency: CurrencyCode = None  # type: ignore[assignment]
    audience_notes: Notes = None  # type: ignore[assignment]
    channels: Channels = None  # type: ignore[assignment]


class CampaignOut(Schema):
    id: int
    name: str
    slug: str
    product: str
    objective: Objective
    type: CampaignType
    status: CampaignStatus
    starts_on: dt.date | None
    ends_on: dt.date | None
    budget: DecimalStr
    currency: str
    audience_notes: str
    channels: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime


class CampaignFilter(QueryFilter):
    status: Annotated[CampaignStatus | None, FilterLookup("status")] = None
    objective: Annotated[Objective | None, FilterLookup("objective")] = None
    q: Annotated[
        str | None,
        Field(max_length=200, description="part of the name or product"),
        FilterLookup(["name__icontains", "product__icontains"]),
    ] = None


class CampaignPage(Page):
    items: list[CampaignOut]


# --- deals ---------------------------------------------------------------------------------


class DealIn(StrictIn):
    campaign_id: Id
    creator_id: Id
    wave_id: Id | None = None
    account_id: Id | None = Field(None, description="one of the creator's social accounts")
    stage: Stage = Stage.PROSPECT
    fee_cash: Money = Decimal("0")
    product_value: Money = Decimal("0")
    commission_pct: Percent = Decimal("0")
    currency: CurrencyCode | None = Field(None, description="defaults to the campaign's")
    notes: Notes = ""


class DealPatch(StrictIn):
    wave_id: Id | None = None
    account_id: Id | None = None
    stage: Stage = None  # type: ignore[assignment]
    fee_cash: Money = None  # type: ignore[assignment]
    product_value: Money = None  # type: ignore[assignment]
    commission_pct: Percent = None  # type: ignore[assignment]
    currency: CurrencyCode = None  # type: ignore[assignment]
    notes: Notes = None  # type: ignore[assignment]


class DealOut(Schema):
    id: int
    campaign_id: int
    creator_id: int
    wave_id: int | None
    account_id: int | None
    stage: Stage
    fee_cash: DecimalStr
    product_value: DecimalStr
    commission_pct: DecimalStr
    currency: str
    notes: str
    stage_changed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class DealFilter(QueryFilter):
    campaign_id: Annotated[Id | None, FilterLookup("campaign_id")] = None
    stage: Annotated[Stage | None, FilterLookup("stage")] = None


class DealPage(Page):
    items: list[DealOut]
