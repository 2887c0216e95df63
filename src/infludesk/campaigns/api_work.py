"""REST endpoints for the work inside a campaign, mounted by infludesk.api.api at /api/v1/:
goals and the KPI catalogue, waves, adding creators in bulk, pipeline moves, deliverables,
shipments, payments, the brief and content drafts with their review.

Every row is looked up from the caller's workspace, so another workspace's campaign, deal,
wave, payment or draft is a 404 exactly like a missing one. Handlers parse, call the existing
service, and answer; a service ``ValidationError`` becomes a 422 naming its field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.campaigns import content, goals, logistics, pipeline, waves
from infludesk.campaigns.models import (
    Brief,
    Campaign,
    ContentDraft,
    Deal,
    DealFile,
    Deliverable,
    Goal,
    Payment,
    PaymentStatus,
    Shipment,
    Wave,
)
from infludesk.campaigns.schemas_work import (
    BriefIn,
    BriefOut,
    BulkAddIn,
    BulkAddOut,
    DeliverableIn,
    DeliverableOut,
    DraftIn,
    DraftOut,
    GoalIn,
    GoalOut,
    KpiCatalogueOut,
    MovedOut,
    MoveIn,
    PaidIn,
    PaymentIn,
    PaymentOut,
    ReviewIn,
    ShipmentIn,
    ShipmentOut,
    WaveIn,
    WaveNextIn,
    WaveOut,
)
from infludesk.core.models import Member
from infludesk.creators.models import Shortlist

router = Router()


def _campaign(member: Member, campaign_id: int) -> Campaign:
    return get_object_or_404(Campaign, workspace_id=member.workspace_id, pk=campaign_id)


def _deal(member: Member, deal_id: int) -> Deal:
    return get_object_or_404(
        Deal.objects.select_related("campaign"), workspace_id=member.workspace_id, pk=deal_id
    )


def _in_workspace(model: Any, member: Member, pk: int, field: str, noun: str, **extra: Any) -> Any:
    """A row named by id in a body: one of another workspace is invalid input, not a 404."""
    row = model.objects.filter(workspace_id=member.workspace_id, pk=pk, **extra).first()
    if row is None:
        raise ValidationError({field: f"No {noun} with id {pk} here."})
    return row


# --- goals and KPIs ------------------------------------------------------------------------


@router.get("/kpis", response={200: KpiCatalogueOut, **ERROR_RESPONSES}, tags=["goals"])
def kpi_catalogue(request: HttpRequest) -> dict[str, Any]:
    """Every measurable KPI, and the KPI keys each campaign objective proposes by default."""
    return {
        "kpis": list(goals.CATALOGUE.values()),
        "defaults": {str(k): list(v) for k, v in goals.DEFAULT_KPIS.items()},
    }


@router.get(
    "/campaigns/{campaign_id}/goals",
    response={200: list[GoalOut], **ERROR_RESPONSES},
    tags=["goals"],
)
def list_goals(request: HttpRequest, campaign_id: Id) -> list[Goal]:
    """The campaign's goals (campaign-wide and per creator), by deadline."""
    campaign = _campaign(member_of(request), campaign_id)
    return list(campaign.goals.order_by("deadline", "id"))


@router.post(
    "/campaigns/{campaign_id}/goals",
    response={201: GoalOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["goals"],
)
def create_goal(request: HttpRequest, campaign_id: Id, payload: GoalIn) -> Status[Goal]:
    """A SMART goal: a catalogue metric, a target and a deadline (optionally for one deal)."""
    member = member_of(request)
    campaign = _campaign(member, campaign_id)
    fields = payload.model_dump()
    deal_id = fields.pop("deal_id")
    deal = None if deal_id is None else _in_workspace(Deal, member, deal_id, "deal_id", "deal")
    try:
        goal = goals.goal_create(campaign=campaign, deal=deal, by=member, **fields)
    except ValidationError as exc:
        raise _renamed(exc, {"deal": "deal_id"}) from exc
    return Status(201, goal)


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The same errors with model field names swapped for the API's."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


# --- waves ---------------------------------------------------------------------------------


@router.get(
    "/campaigns/{campaign_id}/waves",
    response={200: list[WaveOut], **ERROR_RESPONSES},
    tags=["waves"],
)
def list_waves(request: HttpRequest, campaign_id: Id) -> list[Wave]:
    campaign = _campaign(member_of(request), campaign_id)
    return list(campaign.waves.order_by("number"))


@router.post(
    "/campaigns/{campaign_id}/waves",
    response={201: WaveOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["waves"],
)
def create_wave(request: HttpRequest, campaign_id: Id, payload: WaveIn) -> Status[Wave]:
    """The campaign's next wave (numbered 1, 2, ...), inside the campaign's dates."""
    member = member_of(request)
    campaign = _campaign(member, campaign_id)
    return Status(201, waves.wave_create(campaign=campaign, by=member, **payload.model_dump()))


@router.post(
    "/waves/{wave_id}/next",
    response={201: WaveOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["waves"],
)
def next_wave(request: HttpRequest, wave_id: Id, payload: WaveNextIn) -> Status[Wave]:
    """Start the next wave, keeping the chosen creators with their terms (back at prospect)."""
    member = member_of(request)
    wave = get_object_or_404(
        Wave.objects.select_related("campaign"), workspace_id=member.workspace_id, pk=wave_id
    )
    return Status(201, waves.wave_next(wave=wave, by=member, **payload.model_dump()))


# --- deals: bulk add and stage moves -------------------------------------------------------


@router.post(
    "/campaigns/{campaign_id}/deals/bulk",
    response={201: BulkAddOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["deals"],
)
def bulk_add_deals(
    request: HttpRequest, campaign_id: Id, payload: BulkAddIn
) -> Status[dict[str, Any]]:
    """Add creators (by id, or a whole shortlist) as prospects; those already in are skipped."""
    member = member_of(request)
    campaign = _campaign(member, campaign_id)
    if not payload.creator_ids and payload.shortlist_id is None:
        raise ValidationError({"creator_ids": "Give creator_ids or a shortlist_id."})
    shortlist = None
    if payload.shortlist_id is not None:
        shortlist = _in_workspace(
            Shortlist, member, payload.shortlist_id, "shortlist_id", "shortlist"
        )
    wave = None
    if payload.wave_id is not None:
        wave = _in_workspace(Wave, member, payload.wave_id, "wave_id", "wave", campaign=campaign)
    result = waves.deals_add(
        campaign=campaign,
        by=member,
        creator_ids=payload.creator_ids,
        shortlist=shortlist,
        wave=wave,
    )
    return Status(201, {"added": [d.pk for d in result.added], "skipped": result.skipped})


@router.post(
    "/deals/{deal_id}/move",
    response={200: MovedOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["deals"],
)
def move_deal(request: HttpRequest, deal_id: Id, payload: MoveIn) -> Deal:
    """Move along the pipeline; a missing piece of evidence is a 422 on `stage` saying which."""
    member = member_of(request)
    return pipeline.deal_move(deal=_deal(member, deal_id), to_stage=payload.to_stage, by=member)


# --- deliverables, shipments, payments -----------------------------------------------------


@router.get(
    "/deals/{deal_id}/deliverables",
    response={200: list[DeliverableOut], **ERROR_RESPONSES},
    tags=["deliverables"],
)
def list_deliverables(request: HttpRequest, deal_id: Id) -> list[Deliverable]:
    deal = _deal(member_of(request), deal_id)
    return list(deal.deliverables.order_by("id"))


@router.post(
    "/deals/{deal_id}/deliverables",
    response={201: DeliverableOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["deliverables"],
)
def create_deliverable(
    request: HttpRequest, deal_id: Id, payload: DeliverableIn
) -> Status[Deliverable]:
    """What the creator owes; a due date before the campaign starts is refused."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    row = logistics.deliverable_save(deal=deal, by=member, **payload.model_dump())
    return Status(201, row)


@router.get(
    "/deals/{deal_id}/shipments",
    response={200: list[ShipmentOut], **ERROR_RESPONSES},
    tags=["shipments"],
)
def list_shipments(request: HttpRequest, deal_id: Id) -> list[Shipment]:
    deal = _deal(member_of(request), deal_id)
    return list(deal.shipments.order_by("id"))


@router.post(
    "/deals/{deal_id}/shipments",
    response={201: ShipmentOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["shipments"],
)
def create_shipment(request: HttpRequest, deal_id: Id, payload: ShipmentIn) -> Status[Shipment]:
    member = member_of(request)
    deal = _deal(member, deal_id)
    return Status(201, logistics.shipment_save(deal=deal, by=member, **payload.model_dump()))


@router.get(
    "/deals/{deal_id}/payments",
    response={200: list[PaymentOut], **ERROR_RESPONSES},
    tags=["payments"],
)
def list_payments(request: HttpRequest, deal_id: Id) -> list[Payment]:
    deal = _deal(member_of(request), deal_id)
    return list(deal.payments.order_by("id"))


@router.post(
    "/deals/{deal_id}/payments",
    response={201: PaymentOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["payments"],
)
def create_payment(request: HttpRequest, deal_id: Id, payload: PaymentIn) -> Status[Payment]:
    """A payment due to the creator, in the deal's currency unless another is given."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    fields = payload.model_dump()
    if fields["currency"] is None:
        fields.pop("currency")
    return Status(201, logistics.payment_save(deal=deal, by=member, **fields))


@router.post(
    "/payments/{payment_id}/paid",
    response={200: PaymentOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["payments"],
)
def mark_paid(request: HttpRequest, payment_id: Id, payload: PaidIn) -> Payment:
    member = member_of(request)
    payment = get_object_or_404(
        Payment.objects.select_related("deal"), workspace_id=member.workspace_id, pk=payment_id
    )
    return logistics.payment_save(
        deal=payment.deal,
        payment=payment,
        by=member,
        status=PaymentStatus.PAID,
        paid_on=payload.paid_on,
    )


# --- brief and drafts ----------------------------------------------------------------------


@router.get(
    "/campaigns/{campaign_id}/brief",
    response={200: BriefOut, **ERROR_RESPONSES},
    tags=["content"],
)
def get_brief(request: HttpRequest, campaign_id: Id) -> Brief:
    """The brief, or the unsaved default (`saved` false) with the campaign type's relationship."""
    member = member_of(request)
    campaign = get_object_or_404(
        Campaign.objects.select_related("workspace"),
        workspace_id=member.workspace_id,
        pk=campaign_id,
    )
    return content.brief_for(campaign)  # the default brief reads the workspace


@router.put(
    "/campaigns/{campaign_id}/brief",
    response={200: BriefOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["content"],
)
def put_brief(request: HttpRequest, campaign_id: Id, payload: BriefIn) -> Brief:
    """Replace the brief; hashtags and mentions get their # and @ added when missing."""
    member = member_of(request)
    campaign = _campaign(member, campaign_id)
    return content.brief_save(campaign=campaign, by=member, **payload.model_dump())


@router.get(
    "/deals/{deal_id}/drafts",
    response={200: list[DraftOut], **ERROR_RESPONSES},
    tags=["content"],
)
def list_drafts(request: HttpRequest, deal_id: Id) -> list[ContentDraft]:
    deal = _deal(member_of(request), deal_id)
    return list(deal.drafts.order_by("version"))


@router.post(
    "/deals/{deal_id}/drafts",
    response={201: DraftOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["content"],
)
def submit_draft(request: HttpRequest, deal_id: Id, payload: DraftIn) -> Status[ContentDraft]:
    """The next version of the creator's draft, checked at once against the brief's disclosure
    rules (the result is in `disclosure`)."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    media = None
    if payload.media_file_id is not None:
        media = _in_workspace(
            DealFile, member, payload.media_file_id, "media_file_id", "file on this deal", deal=deal
        )
    draft = content.draft_submit(
        deal=deal,
        caption=payload.caption,
        media_url=payload.media_url,
        existing_media=media,
        by=member,
    )
    return Status(201, draft)


@router.post(
    "/drafts/{draft_id}/review",
    response={200: DraftOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["content"],
)
def review_draft(request: HttpRequest, draft_id: Id, payload: ReviewIn) -> ContentDraft:
    """Approve, or request changes with a comment; approving a draft whose disclosure check
    fails needs an `override_note`."""
    member = member_of(request)
    draft = get_object_or_404(ContentDraft, workspace_id=member.workspace_id, pk=draft_id)
    return content.draft_review(draft=draft, by=member, **payload.model_dump())
