"""REST endpoints for a deal's live posts and their metrics, and the caption disclosure check,
mounted by infludesk.api.api at /api/v1/.

Writes go through campaigns/posts.py, the same services (checks and audit entries) as the
deal page's "Live posts" section: a post is linked by its URL or by platform + platform post
id, and its caption is checked for disclosure against the campaign's brief. Metric snapshots
are keyed by post and moment, so the same moment again updates the snapshot (200) instead of
adding one (201), and a CSV imported twice changes nothing the second time. Unlinking is not
offered: the page does not offer it either. POST /disclosure/check stores nothing, so any
member (a viewer too) may call it; it applies campaigns/disclosure.py exactly like
`infludesk check-disclosure`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Count, Id, StrictIn
from infludesk.api.pagination import Page, PageParams, paginate
from infludesk.campaigns import posts
from infludesk.campaigns.disclosure import Policy, Relationship, check_caption
from infludesk.campaigns.models import Deal, DealPost, PostMetricSnapshot
from infludesk.core.models import Member
from infludesk.creators.models import Platform

router = Router(tags=["live posts"])

MAX_CSV_BYTES = 5 * 1024 * 1024
When = Annotated[dt.datetime, Field(description="ISO 8601 date-time (UTC if no zone)")]


class DisclosureOut(Schema):
    compliant: bool
    reasons: list[str] = Field(description="short codes, e.g. missing_disclosure")
    text: str = Field(description="the codes with words, as the page and the command show them")
    label: str = Field(description="the disclosure found up front, or empty")


class LivePostOut(Schema):
    id: int = Field(description="the deal-post link's id (used by /deal-posts/{id}/...)")
    deal_id: int
    post_id: int
    platform: str
    platform_post_id: str
    url: str
    caption: str
    posted_at: dt.datetime
    likes: int
    comments: int
    shares: int
    saves: int
    views: int | None
    reach: int | None
    impressions: int | None


class LivePostPage(Page):
    items: list[LivePostOut]


class LivePostLinkedOut(LivePostOut):
    disclosure: DisclosureOut


class LivePostIn(StrictIn):
    """The post's public URL, or its platform and platform post id. The creator must have an
    account on that platform in Infludesk. A caption, when given, replaces the stored one."""

    url: str = Field("", max_length=500)
    platform: Platform | None = None
    platform_post_id: str = Field("", max_length=100)
    caption: str = Field("", max_length=10_000)
    posted_at: When | None = None


class MetricsIn(StrictIn):
    """A snapshot at `taken_at`; counts left out are 0 (likes, comments, shares, saves) or
    unknown (views, reach, impressions) on a new snapshot and unchanged on an existing one."""

    taken_at: When
    likes: Count | None = None
    comments: Count | None = None
    shares: Count | None = None
    saves: Count | None = None
    views: Count | None = None
    reach: Count | None = None
    impressions: Count | None = None


class MetricsOut(Schema):
    id: int
    post_id: int
    taken_at: dt.datetime
    likes: int
    comments: int
    shares: int
    saves: int
    views: int | None
    reach: int | None
    impressions: int | None
    source: str


class MetricsPage(Page):
    items: list[MetricsOut]


class ImportErrorOut(Schema):
    line: int
    field: str
    message: str


class MetricsImportOut(Schema):
    created: int
    updated: int
    errors: list[ImportErrorOut]


class DisclosureCheckIn(StrictIn):
    caption: str = Field(max_length=10_000)
    relationship: Relationship = Field(description="the kind of material connection")
    platform: str = Field("", max_length=40, description="informational; not used by the rules")
    paid_partnership_label: bool = Field(
        False, description="true when the platform's own paid-partnership label is on"
    )
    policy: Policy = Policy.DEFAULT


def _deal(member: Member, deal_id: int) -> Deal:
    return get_object_or_404(
        Deal.objects.select_related("workspace", "campaign", "creator", "account"),
        workspace_id=member.workspace_id,
        pk=deal_id,
    )


def _deal_post(member: Member, deal_post_id: int) -> DealPost:
    return get_object_or_404(
        DealPost.objects.select_related("post__workspace"),
        workspace_id=member.workspace_id,
        pk=deal_post_id,
    )


def _live_post(link: DealPost) -> dict[str, Any]:
    post = link.post
    return {
        "id": link.pk,
        "deal_id": link.deal_id,
        "post_id": post.pk,
        "platform": post.account.platform,
        "platform_post_id": post.platform_post_id,
        "url": post.url,
        "caption": post.caption,
        "posted_at": post.posted_at,
        **{name: getattr(post, name) for name in posts.METRICS},
    }


@router.get("/deals/{deal_id}/posts", response={200: LivePostPage, **ERROR_RESPONSES})
def list_live_posts(request: HttpRequest, deal_id: Id, page: Query[PageParams]) -> dict[str, Any]:
    """The deal's live posts in the order they were linked, with their latest metrics."""
    deal = _deal(member_of(request), deal_id)
    rows = (
        DealPost.objects.filter(workspace_id=deal.workspace_id, deal=deal)
        .select_related("post__account")
        .order_by("pk")
    )
    result = paginate(request, rows, page)
    result["items"] = [_live_post(link) for link in result["items"]]
    return result


@router.post(
    "/deals/{deal_id}/posts",
    response={200: LivePostLinkedOut, 201: LivePostLinkedOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def link_live_post(
    request: HttpRequest, deal_id: Id, payload: LivePostIn
) -> Status[dict[str, Any]]:
    """Link a live post (201), or the already linked one again (200, caption updated when
    given); the answer carries the caption's disclosure check against the campaign's brief."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    before = set(DealPost.objects.filter(deal=deal).values_list("pk", flat=True))
    linked = posts.live_post_link(
        deal=deal,
        by=member,
        url=payload.url.strip(),
        platform=payload.platform or "",
        platform_post_id=payload.platform_post_id.strip(),
        posted_at=payload.posted_at,
        caption=payload.caption,
    )
    link = DealPost.objects.select_related("post__account").get(deal=deal, post=linked.post)
    body = {**_live_post(link), "disclosure": linked.disclosure}
    return Status(200 if link.pk in before else 201, body)


@router.get("/deal-posts/{deal_post_id}/metrics", response={200: MetricsPage, **ERROR_RESPONSES})
def list_post_metrics(
    request: HttpRequest, deal_post_id: Id, page: Query[PageParams]
) -> dict[str, Any]:
    """The live post's metric snapshots, oldest first."""
    link = _deal_post(member_of(request), deal_post_id)
    rows = PostMetricSnapshot.objects.filter(
        workspace_id=link.workspace_id, post_id=link.post_id
    ).order_by("taken_at", "pk")
    return paginate(request, rows, page)


@router.post(
    "/deal-posts/{deal_post_id}/metrics",
    response={200: MetricsOut, 201: MetricsOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def record_post_metrics(
    request: HttpRequest, deal_post_id: Id, payload: MetricsIn
) -> Status[PostMetricSnapshot]:
    """Record a snapshot (201); the same taken_at again updates it (200). The post's shown
    metrics follow its latest snapshot."""
    member = member_of(request)
    link = _deal_post(member, deal_post_id)
    counts = payload.model_dump(exclude_none=True, exclude={"taken_at"})
    snapshot, created = posts.post_metrics_record(
        post=link.post, taken_at=payload.taken_at, by=member, **counts
    )
    snapshot.refresh_from_db()
    return Status(201 if created else 200, snapshot)


@router.post(
    "/deal-posts/metrics/import",
    response={200: MetricsImportOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def import_post_metrics(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Import a UTF-8 CSV (multipart field `file`, up to 5 MB) with taken_at, post_url or
    platform_post_id, and any of likes, comments, shares, saves, views, reach, impressions:
    the same file as the deal page's import. Rows with errors are listed by line and field and
    skipped; the others land; importing the same file again adds nothing. A file the import
    cannot read at all (too large, not UTF-8, missing columns) is a 422 on `file`."""
    member = member_of(request)
    name = file.name or ""
    if (file.size or 0) > MAX_CSV_BYTES:
        raise ValidationError({"file": [f"{name} is larger than 5 MB; split it."]})
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": [f"{name} is not UTF-8 text."]}) from None
    result = posts.post_metrics_import_csv(workspace=member.workspace, text=text, by=member)
    if [field for _, field, _ in result.errors] == ["header"]:
        raise ValidationError({"file": [f"The header {result.errors[0][2]}."]})
    return {
        "created": result.created,
        "updated": result.updated,
        "errors": [{"line": ln, "field": f, "message": m} for ln, f, m in result.errors],
    }


@router.post("/disclosure/check", response={200: DisclosureOut, **ERROR_RESPONSES})
def check_disclosure(request: HttpRequest, payload: DisclosureCheckIn) -> dict[str, Any]:
    """Check one caption with the disclosure rules (the same as content review and
    `infludesk check-disclosure`). Stores nothing; any member may call it."""
    member_of(request)
    result = check_caption(
        payload.caption,
        relationship=payload.relationship,
        paid_partnership_label=payload.paid_partnership_label,
        policy=payload.policy,
    )
    return {
        "compliant": result.compliant,
        "reasons": result.reasons,
        "text": result.reasons_text(),
        "label": result.label,
    }
