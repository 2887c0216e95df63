"""Shortlists, the compare table and cost estimates over the REST API (mounted by
infludesk.api.api before the creators router, so /creators/compare is not a creator id).

Every member reads; owners and managers write. Another workspace's shortlist, entry or
creator is a 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.api.pagination import Page, PageParams, paginate
from infludesk.core.models import Member
from infludesk.creators import costs
from infludesk.creators import shortlists as svc
from infludesk.creators.compare import compare_columns, parse_ids
from infludesk.creators.models import Shortlist, ShortlistEntry

router = Router(tags=["shortlists"])


class EstimateOut(Schema):
    format: str
    cost_low: Decimal
    cost_high: Decimal
    reach: int
    engagements: int | None
    cpm_low: Decimal | None
    cpm_high: Decimal | None
    cpe_low: Decimal | None
    cpe_high: Decimal | None


def _estimate(estimate: costs.CostEstimate | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {
        "format": estimate.format,
        "cost_low": estimate.cost.low,
        "cost_high": estimate.cost.high,
        "reach": estimate.reach,
        "engagements": estimate.engagements,
        "cpm_low": estimate.cpm_low,
        "cpm_high": estimate.cpm_high,
        "cpe_low": estimate.cpe_low,
        "cpe_high": estimate.cpe_high,
    }


class ShortlistIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=svc.NAME_MAX)]
    description: str = ""


class ShortlistPatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=svc.NAME_MAX)]


class ShortlistOut(Schema):
    id: int
    name: str
    description: str
    entry_count: int = 0


class ShortlistPage(Page):
    items: list[ShortlistOut]


class EntryOut(Schema):
    id: int
    creator_id: int
    creator_name: str
    note: str
    main_account_id: int | None
    total_followers: int
    estimate: EstimateOut | None
    """A feed post by the main (most followed) account, in the workspace currency."""


class ShortlistDetailOut(ShortlistOut):
    currency: str
    entries: list[EntryOut]


class EntriesIn(Schema):
    creator_ids: Annotated[list[int], Field(min_length=1, max_length=500)]
    note: Annotated[str, Field(max_length=svc.NOTE_MAX)] = ""


class EntriesAddedOut(Schema):
    added: list[int]
    already: list[int]


class FollowerSeriesOut(Schema):
    account_id: int
    handle: str
    platform: str
    taken_at: list[str]
    followers: list[int]


class CompareOut(Schema):
    creator_id: int
    creator_name: str
    main_account_id: int | None
    total_followers: int
    tier: str | None
    engagement_rate: Decimal | None
    er_benchmark: float | None
    er_ratio: float | None
    growth_30d_pct: float | None
    authenticity_score: int | None
    estimate: EstimateOut | None
    follower_series: list[FollowerSeriesOut]
    """Each account's follower snapshots: the compare page's chart as data."""


def _shortlist(member: Member, shortlist_id: int) -> Shortlist:
    return svc.shortlist_get(workspace=member.workspace, shortlist_id=shortlist_id)


def _detail(member: Member, shortlist: Shortlist) -> dict[str, Any]:
    rows = svc.shortlist_rows(workspace=member.workspace, shortlist=shortlist)
    return {
        "id": shortlist.pk,
        "name": shortlist.name,
        "description": shortlist.description,
        "entry_count": len(rows),
        "currency": member.workspace.currency,
        "entries": [
            {
                "id": r.entry.pk,
                "creator_id": r.creator.pk,
                "creator_name": r.creator.name,
                "note": r.entry.note,
                "main_account_id": r.account.pk if r.account else None,
                "total_followers": r.total_followers,
                "estimate": _estimate(r.estimate),
            }
            for r in rows
        ],
    }


@router.get("/shortlists", response={200: ShortlistPage, **ERROR_RESPONSES})
def list_shortlists(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    member = member_of(request)
    return paginate(request, svc.shortlist_list(workspace=member.workspace), page)


@router.post("/shortlists", response={201: ShortlistOut, **ERROR_RESPONSES}, auth=WRITE_AUTH)
def create_shortlist(request: HttpRequest, payload: ShortlistIn) -> Status[Shortlist]:
    member = member_of(request)
    shortlist = svc.shortlist_create(
        workspace=member.workspace, name=payload.name, description=payload.description, by=member
    )
    return Status(201, shortlist)


@router.get("/shortlists/{shortlist_id}", response={200: ShortlistDetailOut, **ERROR_RESPONSES})
def get_shortlist(request: HttpRequest, shortlist_id: Id) -> dict[str, Any]:
    member = member_of(request)
    return _detail(member, _shortlist(member, shortlist_id))


@router.patch(
    "/shortlists/{shortlist_id}",
    response={200: ShortlistDetailOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def rename_shortlist(request: HttpRequest, shortlist_id: Id, payload: ShortlistPatch) -> Any:
    member = member_of(request)
    shortlist = svc.shortlist_rename(
        shortlist=_shortlist(member, shortlist_id), name=payload.name, by=member
    )
    return _detail(member, shortlist)


@router.delete(
    "/shortlists/{shortlist_id}", response={204: None, **ERROR_RESPONSES}, auth=WRITE_AUTH
)
def delete_shortlist(request: HttpRequest, shortlist_id: Id) -> Status[None]:
    member = member_of(request)
    svc.shortlist_delete(shortlist=_shortlist(member, shortlist_id), by=member)
    return Status(204, None)


@router.post(
    "/shortlists/{shortlist_id}/entries",
    response={200: EntriesAddedOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def add_entries(request: HttpRequest, shortlist_id: Id, payload: EntriesIn) -> dict[str, Any]:
    member = member_of(request)
    result = svc.shortlist_entries_add(
        shortlist=_shortlist(member, shortlist_id),
        creator_ids=payload.creator_ids,
        note=payload.note,
        by=member,
    )
    return {"added": [c.pk for c in result.added], "already": [c.pk for c in result.already]}


@router.delete(
    "/shortlists/{shortlist_id}/entries/{entry_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def remove_entry(request: HttpRequest, shortlist_id: Id, entry_id: Id) -> Status[None]:
    member = member_of(request)
    shortlist = _shortlist(member, shortlist_id)
    entry = get_object_or_404(
        ShortlistEntry, workspace=member.workspace, shortlist=shortlist, pk=entry_id
    )
    svc.shortlist_entry_remove(entry=entry, by=member)
    return Status(204, None)


@router.get("/creators/compare", response={200: list[CompareOut], **ERROR_RESPONSES})
def compare(
    request: HttpRequest, ids: Annotated[str, Field(description="2-5 creator ids, e.g. 3,8")]
) -> Any:
    member = member_of(request)
    parsed = parse_ids([ids])
    if isinstance(parsed, str):
        raise ValidationError({"ids": [parsed]})
    columns, _ = compare_columns(workspace=member.workspace, creator_ids=parsed)
    return [
        {
            "creator_id": c.creator.pk,
            "creator_name": c.creator.name,
            "main_account_id": c.account.pk if c.account else None,
            "total_followers": c.total_followers,
            "tier": c.account.tier if c.account else None,
            "engagement_rate": c.account.engagement_rate if c.account else None,
            "er_benchmark": c.er_benchmark,
            "er_ratio": c.er_ratio,
            "growth_30d_pct": c.growth_30d_pct,
            "authenticity_score": c.account.authenticity_score if c.account else None,
            "estimate": _estimate(c.estimate),
            "follower_series": list(c.series),
        }
        for c in columns
    ]
