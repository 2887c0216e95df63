"""REST endpoints for campaigns and deals, mounted by infludesk.api.api at /api/v1/.

Every query starts from the caller's workspace, so another workspace's row is a 404 exactly like
a missing one; a body naming another workspace's creator, campaign, wave or account is a 422 on
that field. Handlers parse, call one service, and answer; services do the validating.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.api.pagination import PageParams, paginate
from infludesk.campaigns import services
from infludesk.campaigns.models import Campaign, Deal, Wave
from infludesk.campaigns.schemas import (
    CampaignFilter,
    CampaignIn,
    CampaignOut,
    CampaignPage,
    CampaignPatch,
    DealFilter,
    DealIn,
    DealOut,
    DealPage,
    DealPatch,
)
from infludesk.core.models import Member
from infludesk.creators.models import Creator, SocialAccount

router = Router()
M = TypeVar("M", bound=Model)


def _campaign(member: Member, campaign_id: int) -> Campaign:
    return get_object_or_404(Campaign, workspace_id=member.workspace_id, pk=campaign_id)


def _deal(member: Member, deal_id: int) -> Deal:
    return get_object_or_404(Deal, workspace_id=member.workspace_id, pk=deal_id)


def _referenced(model: type[M], member: Member, pk: int, field: str, noun: str) -> M:
    """A row named by id in a body: one of another workspace is invalid input, not a 404."""
    row = model._default_manager.filter(workspace_id=member.workspace_id, pk=pk).first()
    if row is None:
        raise ValidationError({field: f"No {noun} with id {pk} in this workspace."})
    return row


def _deal_relations(member: Member, fields: dict[str, Any]) -> dict[str, Any]:
    """Swap wave_id / account_id for rows of the workspace (None clears them)."""
    if "wave_id" in fields:
        wave_id = fields.pop("wave_id")
        fields["wave"] = (
            None if wave_id is None else _referenced(Wave, member, wave_id, "wave", "wave")
        )
    if "account_id" in fields:
        account_id = fields.pop("account_id")
        fields["account"] = (
            None
            if account_id is None
            else _referenced(SocialAccount, member, account_id, "account", "social account")
        )
    return fields


# --- campaigns -----------------------------------------------------------------------------


@router.get("/campaigns", response={200: CampaignPage, **ERROR_RESPONSES}, tags=["campaigns"])
def list_campaigns(
    request: HttpRequest, filters: Query[CampaignFilter], page: Query[PageParams]
) -> dict[str, Any]:
    """Campaigns of the workspace, newest first; `q` matches part of the name or product."""
    member = member_of(request)
    rows = filters.filter(Campaign.objects.filter(workspace_id=member.workspace_id))
    return paginate(request, rows.order_by("-created_at", "-id"), page)


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, **ERROR_RESPONSES},
    tags=["campaigns"],
)
def get_campaign(request: HttpRequest, campaign_id: Id) -> Campaign:
    return _campaign(member_of(request), campaign_id)


@router.post(
    "/campaigns",
    response={201: CampaignOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["campaigns"],
)
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Status[Campaign]:
    """Without a slug one is made from the name; without a currency the workspace's applies."""
    member = member_of(request)
    campaign = services.campaign_create(
        workspace=member.workspace, by=member, **payload.model_dump()
    )
    return Status(201, campaign)


@router.patch(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["campaigns"],
)
def update_campaign(request: HttpRequest, campaign_id: Id, payload: CampaignPatch) -> Campaign:
    """Change only the fields sent."""
    member = member_of(request)
    campaign = _campaign(member, campaign_id)
    return services.campaign_update(
        campaign=campaign, by=member, **payload.model_dump(exclude_unset=True)
    )


@router.delete(
    "/campaigns/{campaign_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["campaigns"],
)
def delete_campaign(request: HttpRequest, campaign_id: Id) -> Status[None]:
    """Delete a campaign with its waves, goals and deals."""
    member = member_of(request)
    services.campaign_delete(campaign=_campaign(member, campaign_id), by=member)
    return Status(204, None)


# --- deals ---------------------------------------------------------------------------------


@router.get("/deals", response={200: DealPage, **ERROR_RESPONSES}, tags=["deals"])
def list_deals(
    request: HttpRequest, filters: Query[DealFilter], page: Query[PageParams]
) -> dict[str, Any]:
    """Deals of the workspace, oldest first; filter by campaign and pipeline stage."""
    member = member_of(request)
    rows = filters.filter(Deal.objects.filter(workspace_id=member.workspace_id))
    return paginate(request, rows.order_by("id"), page)


@router.get("/deals/{deal_id}", response={200: DealOut, **ERROR_RESPONSES}, tags=["deals"])
def get_deal(request: HttpRequest, deal_id: Id) -> Deal:
    return _deal(member_of(request), deal_id)


@router.post("/deals", response={201: DealOut, **ERROR_RESPONSES}, auth=WRITE_AUTH, tags=["deals"])
def create_deal(request: HttpRequest, payload: DealIn) -> Status[Deal]:
    """Add a creator to a campaign (both of this workspace; one deal per pair)."""
    member = member_of(request)
    fields = payload.model_dump()
    campaign = _referenced(Campaign, member, fields.pop("campaign_id"), "campaign", "campaign")
    creator = _referenced(Creator, member, fields.pop("creator_id"), "creator", "creator")
    deal = services.deal_create(
        workspace=member.workspace,
        campaign=campaign,
        creator=creator,
        by=member,
        **_deal_relations(member, fields),
    )
    return Status(201, deal)


@router.patch(
    "/deals/{deal_id}",
    response={200: DealOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["deals"],
)
def update_deal(request: HttpRequest, deal_id: Id, payload: DealPatch) -> Deal:
    """Change only the fields sent; moving `stage` stamps `stage_changed_at`."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    fields = _deal_relations(member, payload.model_dump(exclude_unset=True))
    return services.deal_update(deal=deal, by=member, **fields)


@router.delete(
    "/deals/{deal_id}", response={204: None, **ERROR_RESPONSES}, auth=WRITE_AUTH, tags=["deals"]
)
def delete_deal(request: HttpRequest, deal_id: Id) -> Status[None]:
    member = member_of(request)
    services.deal_delete(deal=_deal(member, deal_id), by=member)
    return Status(204, None)
