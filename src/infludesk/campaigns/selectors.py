"""Reads for campaigns: the campaign list with its filters, a campaign's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from infludesk.campaigns.models import PIPELINE, Campaign, Deal, Goal, Stage
from infludesk.core.models import Workspace

ENDED_STAGES = (Stage.DECLINED, Stage.CANCELLED)


@dataclass(frozen=True)
class CampaignFilters:
    """What the campaign list can be narrowed by; empty values mean 'any'. q matches the
    campaign's name or product."""

    q: str = ""
    status: str = ""
    objective: str = ""
    type: str = ""

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> CampaignFilters:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in known.items() if v not in (None, "")})


def campaign_list(*, workspace: Workspace, filters: CampaignFilters) -> QuerySet[Campaign]:
    """The workspace's campaigns matching the filters, each with ``deal_count``."""
    campaigns = Campaign.objects.filter(workspace=workspace)
    if filters.status:
        campaigns = campaigns.filter(status=filters.status)
    if filters.objective:
        campaigns = campaigns.filter(objective=filters.objective)
    if filters.type:
        campaigns = campaigns.filter(type=filters.type)
    if filters.q:
        text = filters.q.strip()
        campaigns = campaigns.filter(Q(name__icontains=text) | Q(product__icontains=text))
    return campaigns.annotate(deal_count=Count("deals"))


def campaign_get(*, workspace: Workspace, campaign_id: int) -> Campaign:
    """One campaign of the workspace; 404 for any other id (another workspace's included)."""
    return get_object_or_404(Campaign.objects.filter(workspace=workspace), pk=campaign_id)


def campaign_goals(*, workspace: Workspace, campaign: Campaign) -> list[Goal]:
    """The campaign's own goals (not the per-creator ones), soonest deadline first."""
    return list(
        Goal.objects.filter(workspace=workspace, campaign=campaign, deal__isnull=True).order_by(
            "deadline", "metric", "pk"
        )
    )


@dataclass
class StageColumn:
    stage: str
    label: str
    ended: bool
    deals: list[Deal] = field(default_factory=list)


def campaign_deals_by_stage(*, workspace: Workspace, campaign: Campaign) -> list[StageColumn]:
    """The campaign's deals in one column per stage: the pipeline in order, then declined and
    cancelled. Every column is present, empty or not, so the board keeps its shape."""
    columns = {
        s.value: StageColumn(stage=s.value, label=s.label, ended=s in ENDED_STAGES)
        for s in [*PIPELINE, *ENDED_STAGES]
    }
    deals = (
        Deal.objects.filter(workspace=workspace, campaign=campaign)
        .select_related("creator", "account")
        .order_by("creator__name", "pk")
    )
    for deal in deals:
        columns[deal.stage].deals.append(deal)
    return list(columns.values())
