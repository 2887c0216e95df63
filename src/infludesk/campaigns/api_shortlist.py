"""Add a whole shortlist to a campaign over the REST API (mounted by infludesk.api.api).

It lives in campaigns because creators may not import campaigns (import-linter layers)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.campaigns.models import Wave
from infludesk.campaigns.selectors import campaign_get
from infludesk.campaigns.waves import deals_add
from infludesk.creators.shortlists import shortlist_get

router = Router(tags=["shortlists"])


class ToCampaignIn(Schema):
    campaign_id: int
    wave_id: int | None = None


class ToCampaignOut(Schema):
    added_deal_ids: list[int]
    skipped: list[str]


@router.post(
    "/shortlists/{shortlist_id}/to-campaign",
    response={200: ToCampaignOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def shortlist_to_campaign(
    request: HttpRequest, shortlist_id: Id, payload: ToCampaignIn
) -> dict[str, Any]:
    """Every creator of the shortlist becomes a prospect deal; those already in the campaign
    (or wave) are skipped and named."""
    member = member_of(request)
    shortlist = shortlist_get(workspace=member.workspace, shortlist_id=shortlist_id)
    campaign = campaign_get(workspace=member.workspace, campaign_id=payload.campaign_id)
    wave = None
    if payload.wave_id is not None:
        wave = get_object_or_404(Wave, workspace=member.workspace, pk=payload.wave_id)
        if wave.campaign_id != campaign.pk:
            raise ValidationError({"wave_id": [f"{wave} belongs to another campaign."]})
    result = deals_add(campaign=campaign, shortlist=shortlist, wave=wave, by=member)
    return {"added_deal_ids": [d.pk for d in result.added], "skipped": result.skipped}
