"""API schemas for a campaign's proposal and a deal's contract.

Money travels as decimal strings; dates and times are ISO. The proposal holds the same numbers
as the proposal page and its PDF (campaigns/documents.py builds all three).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from infludesk.api.fields import DecimalStr, StrictIn
from infludesk.campaigns.models import CampaignType, ContractStatus, Objective, Stage

# --- proposal ------------------------------------------------------------------------------


class ProposalCampaignOut(Schema):
    id: int
    name: str
    product: str
    objective: Objective
    type: CampaignType
    starts_on: dt.date | None
    ends_on: dt.date | None
    currency: str
    channels: list[str]


class ProposalGoalOut(Schema):
    id: int
    metric: str
    label: str
    target: DecimalStr
    baseline: DecimalStr | None
    deadline: dt.date


class ProposalCreatorOut(Schema):
    deal_id: int
    creator_id: int
    name: str
    stage: Stage
    wave: int | None = Field(description="the wave's number, or null")
    platform: str | None
    handle: str | None
    reach: int | None = Field(description="the account's followers")
    engagement_rate: DecimalStr | None = Field(description="percent")
    cost_low: DecimalStr
    cost_high: DecimalStr | None = Field(description="null: no upper bound (mega tier)")
    cost_basis: str = Field(description="'agreed', or the tier range used as an estimate")


class BudgetLineOut(Schema):
    wave: int | None = Field(description="the wave's number; null for the whole campaign")
    name: str
    budget: DecimalStr
    committed: DecimalStr
    spent: DecimalStr
    remaining: DecimalStr


class ProposalBudgetOut(Schema):
    currency: str
    budget: DecimalStr
    committed: DecimalStr
    spent: DecimalStr
    remaining: DecimalStr
    estimate_low: DecimalStr = Field(description="the creators' estimated cost, at least")
    split: list[BudgetLineOut] = Field(description="one line per wave")


class TimelineOut(Schema):
    wave: int | None
    name: str
    starts_on: dt.date | None
    ends_on: dt.date | None


class ProposalOut(Schema):
    campaign: ProposalCampaignOut
    objective: Objective
    goals: list[ProposalGoalOut]
    audience: str
    creators: list[ProposalCreatorOut]
    reach: int = Field(description="the shortlisted creators' combined followers")
    budget: ProposalBudgetOut
    timeline: list[TimelineOut] = Field(description="the waves, or the campaign as one")


# --- contract ------------------------------------------------------------------------------

Term = Annotated[str, Field(max_length=300)]
ExtraTerms = Annotated[str, Field(max_length=10_000)]


class ContractIn(StrictIn):
    usage_rights: Term = ""
    exclusivity: Term = ""
    extra_terms: ExtraTerms = ""


class ContractPatch(StrictIn):
    usage_rights: Term = None  # type: ignore[assignment]
    exclusivity: Term = None  # type: ignore[assignment]
    extra_terms: ExtraTerms = None  # type: ignore[assignment]


class SignIn(StrictIn):
    signed_by_name: Annotated[str, Field(max_length=200, description="who signed it")]


class ContractOut(Schema):
    id: int
    deal_id: int
    status: ContractStatus
    usage_rights: str
    exclusivity: str
    extra_terms: str
    text: str = Field(description="from the deal's current terms; frozen once sent")
    sent_at: dt.datetime | None
    signed_at: dt.datetime | None
    signed_by_name: str
