"""An account's history over the REST API (mounted by infludesk.api.api): its snapshots
(followers over time, with the insights of connected accounts), its posts (newest first) and a
post's comments. Read-only; every member reads; another workspace's account or post is a 404.
Each list is one page (``?page=&page_size=``) in three queries: the parent, a COUNT, the rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from infludesk.api.auth import member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.api.pagination import Page, PageParams, paginate
from infludesk.creators.models import AccountSnapshot, Post, PostComment, SocialAccount

router = Router(tags=["social accounts"])


class SnapshotOut(Schema):
    taken_at: dt.datetime
    followers: int
    following: int
    posts_count: int
    avg_likes: float | None
    avg_comments: float | None
    avg_views: float | None
    engagement_rate: Decimal | None
    source: str
    insights: dict[str, Any]


class SnapshotPage(Page):
    items: list[SnapshotOut]


class PostOut(Schema):
    id: int
    platform_post_id: str
    url: str
    media_type: str
    posted_at: dt.datetime
    caption: str
    hashtags: list[Any]
    mentions: list[Any]
    likes: int
    comments: int
    shares: int
    saves: int
    views: int | None
    reach: int | None
    impressions: int | None
    is_sponsored: bool


class PostPage(Page):
    items: list[PostOut]


class CommentOut(Schema):
    id: int
    external_id: str
    author_handle: str
    text: str
    posted_at: dt.datetime | None
    likes: int


class CommentPage(Page):
    items: list[CommentOut]


def _account(request: HttpRequest, account_id: int) -> SocialAccount:
    member = member_of(request)
    return get_object_or_404(
        SocialAccount.objects.only("pk", "workspace_id"),
        workspace_id=member.workspace_id,
        pk=account_id,
    )


@router.get(
    "/social-accounts/{account_id}/snapshots",
    response={200: SnapshotPage, **ERROR_RESPONSES},
    summary="The account's snapshots, newest first (growth is history, not a guess)",
)
def account_snapshots(
    request: HttpRequest, account_id: Id, page: Query[PageParams]
) -> dict[str, Any]:
    account = _account(request, account_id)
    rows = AccountSnapshot.objects.filter(workspace_id=account.workspace_id, account=account)
    return paginate(request, rows.order_by("-taken_at", "-id"), page)


@router.get(
    "/social-accounts/{account_id}/posts",
    response={200: PostPage, **ERROR_RESPONSES},
    summary="The account's posts with their latest metrics, newest first",
)
def account_posts(request: HttpRequest, account_id: Id, page: Query[PageParams]) -> dict[str, Any]:
    account = _account(request, account_id)
    rows = Post.objects.filter(workspace_id=account.workspace_id, account=account)
    return paginate(request, rows.order_by("-posted_at", "-id"), page)


@router.get(
    "/posts/{post_id}/comments",
    response={200: CommentPage, **ERROR_RESPONSES},
    summary="A post's comments, oldest first",
)
def post_comments(request: HttpRequest, post_id: Id, page: Query[PageParams]) -> dict[str, Any]:
    member = member_of(request)
    post = get_object_or_404(Post.objects.only("pk"), workspace_id=member.workspace_id, pk=post_id)
    rows = PostComment.objects.filter(workspace_id=member.workspace_id, post=post)
    return paginate(request, rows.order_by("posted_at", "id"), page)
