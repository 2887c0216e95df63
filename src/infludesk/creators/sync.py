"""Sync social accounts through the platform connectors (see ``infludesk.connectors.social``).

``account_sync`` fetches an account's profile, recent posts (and, with the creator's own token,
comments and insights) and then, in one transaction:

- stores a new ``AccountSnapshot`` at ``now`` (source "sync"), so growth is history: a re-sync
  later adds a second snapshot, a retry at the same ``now`` updates the same one;
- upserts posts by (account, platform_post_id) and comments by (post, external_id), so a re-sync
  never duplicates them, only refreshes their counts;
- copies the latest counts onto the account (followers, following, posts, tier, bio ...) and
  stamps ``last_synced_at``.

After commit it enqueues ``recompute_account_stats`` for the account (ER, averages, growth).

Comments are fetched for the latest posts that have any: with the creator's own token
(Instagram), and always where the platform offers them to the workspace's key (YouTube
``commentThreads``, TikTok's Research API when its client key is configured).

Credentials: only the account's own workspace's ``SocialCredential`` rows are ever read
(tenancy); one tied to the account (a creator's connected token) wins over the workspace's
general one. A credential whose API URL is the Instagram Login host (``INSTAGRAM_GRAPH_URL``)
came from a creator's own sign-in (``creators.social_connect``) and syncs through
``graph.instagram.com`` instead of business discovery. An expired / invalid token marks the
credential expired and raises ``TokenExpiredError``; ``accounts_sync`` catches per account so one
failure never stops the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from infludesk.connectors.instagram_login import DEFAULT_GRAPH_URL, InstagramLoginConnector
from infludesk.connectors.social import (
    AccountData,
    CommentData,
    PostData,
    SocialConnector,
    SocialConnectorError,
    TokenExpiredError,
    social_connector_for,
)
from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators.models import (
    AccountSnapshot,
    CredentialStatus,
    Post,
    PostComment,
    SocialAccount,
    SocialCredential,
    tier_for,
)
from infludesk.creators.tasks import recompute_account_stats

log = logging.getLogger(__name__)

SYNC_PLATFORMS = ("instagram", "youtube", "tiktok")
SNAPSHOT_LAST_N = 12
COMMENTS_PER_POST = 50
ACCOUNT_SYNCED_FIELDS = (
    "followers",
    "following",
    "posts_count",
    "tier",
    "external_id",
    "display_name",
    "bio",
    "url",
    "verified",
    "has_profile_pic",
    "last_synced_at",
)
POST_FIELDS = ("url", "media_type", "posted_at", "caption", "likes", "comments", "shares")
ConnectorFactory = Callable[[SocialCredential], SocialConnector]


@dataclass(frozen=True)
class SyncResult:
    """What one account's sync did, or why it failed (``error`` empty on success)."""

    account_id: int
    label: str
    ok: bool
    error: str = ""
    followers: int = 0
    posts_created: int = 0
    posts_updated: int = 0
    comments: int = 0
    snapshot_id: int | None = None
    retries: int = 0
    warning: str = ""


class NoCredentialError(SocialConnectorError):
    """The workspace has no active token for this platform."""


@transaction.atomic
def social_credential_create(
    *,
    workspace: Workspace,
    platform: str,
    token: str,
    by: Member | None,
    external_user_id: str = "",
    account: SocialAccount | None = None,
    expires_at: dt.datetime | None = None,
    api_url: str = "",
) -> SocialCredential:
    """Store a token: pasted by a manager, or from a creator's Instagram sign-in.

    Instagram needs ``external_user_id``: the professional account the token belongs to.
    ``account`` ties the token to a creator's own connected account (insights, comments).
    Older active tokens for the same (platform, account) are retired as expired.
    """
    errors: dict[str, str] = {}
    if platform not in SYNC_PLATFORMS:
        errors["platform"] = f"Choose one of: {', '.join(SYNC_PLATFORMS)}."
    if not token.strip():
        errors["token"] = "Paste the access token (or API key for YouTube)."  # noqa: S105
    if platform == "instagram" and not external_user_id.strip():
        errors["external_user_id"] = "Instagram needs the id of the account the token belongs to."
    if account is not None and (
        account.workspace_id != workspace.pk or account.platform != platform
    ):
        errors["account"] = f"No {platform} account with that id in this workspace."
    if errors:
        raise ValidationError(errors)
    SocialCredential.objects.filter(
        workspace=workspace, platform=platform, account=account, status=CredentialStatus.ACTIVE
    ).update(status=CredentialStatus.EXPIRED, last_error="replaced by a newer token")
    credential = SocialCredential.objects.create(
        workspace=workspace,
        platform=platform,
        token=token.strip(),
        external_user_id=external_user_id.strip(),
        account=account,
        expires_at=expires_at,
        api_url=api_url,
    )
    audit_record(
        workspace=workspace,
        actor=by,
        action="social_credential.create",
        target=credential,
        changes={"platform": ["", platform], "account": [None, account.pk if account else None]},
    )
    return credential


def credential_for(*, account: SocialAccount) -> SocialCredential:
    """The active credential of the account's workspace: the account's own first."""
    active = SocialCredential.objects.filter(
        workspace_id=account.workspace_id,
        platform=account.platform,
        status=CredentialStatus.ACTIVE,
    ).order_by("-pk")
    found = active.filter(account=account).first() or active.filter(account__isnull=True).first()
    if found is None:
        raise NoCredentialError(
            f"no active {account.platform} credential in this workspace; "
            "paste a token under the workspace's connectors"
        )
    return found


def is_instagram_login(credential: SocialCredential) -> bool:
    """Whether the token came from Instagram Login (its API URL is graph.instagram.com or the
    configured INSTAGRAM_GRAPH_URL), rather than a Facebook-Login token for business discovery."""
    if credential.platform != "instagram" or not credential.api_url:
        return False
    url = credential.api_url.rstrip("/")
    return url in {settings.INSTAGRAM_GRAPH_URL.rstrip("/"), DEFAULT_GRAPH_URL}


def connector_from_credential(
    credential: SocialCredential,
    *,
    sleep: Callable[[float], None] = time.sleep,
    client: Any = None,
) -> SocialConnector:
    """Build the platform's connector for a credential (base URL: credential, then settings)."""
    cls = social_connector_for(credential.platform)
    if is_instagram_login(credential):
        cls = InstagramLoginConnector
    return cls(
        token=credential.token,
        base_url=credential.api_url or settings.SOCIAL_API_URLS.get(credential.platform, ""),
        sleep=sleep,
        client=client,
        max_posts=settings.SOCIAL_SYNC_MAX_POSTS,
        ig_user_id=credential.external_user_id,
        research_client_key=settings.TIKTOK_RESEARCH_CLIENT_KEY,
        research_client_secret=settings.TIKTOK_RESEARCH_CLIENT_SECRET,
    )


def _mark_expired(credential: SocialCredential, message: str) -> None:
    # outside the sync's transaction: the mark must survive the failed sync
    SocialCredential.objects.filter(pk=credential.pk).update(
        status=CredentialStatus.EXPIRED, last_error=message[:2000]
    )


@transaction.atomic
def credential_expire(*, credential: SocialCredential, message: str) -> None:
    """Mark a credential expired with the reason the account's connection panel shows."""
    _mark_expired(credential, message)
    credential.status = CredentialStatus.EXPIRED
    credential.last_error = message[:2000]
    audit_record(
        workspace=credential.workspace,
        actor=None,
        action="social_credential.expire",
        target=credential,
        changes={"status": [CredentialStatus.ACTIVE, CredentialStatus.EXPIRED]},
    )


@dataclass
class _Fetched:
    profile: AccountData
    posts: list[PostData]
    comments: dict[str, list[CommentData]]
    insights: dict[str, Any]
    warning: str = ""


def _fetch_comments(
    connector: SocialConnector, posts: list[PostData]
) -> tuple[dict[str, list[CommentData]], str]:
    """Comments of the latest posts that have any. A failure other than an expired token
    stops the comment fetch and is reported, but keeps the profile and posts already read."""
    comments: dict[str, list[CommentData]] = {}
    for post in posts[:SNAPSHOT_LAST_N]:
        if post.comments <= 0:
            continue  # nothing to read: save the call (and the quota)
        rows: list[CommentData] = []
        try:
            for comment in connector.fetch_comments(post):
                rows.append(comment)
                if len(rows) >= COMMENTS_PER_POST:
                    break
        except TokenExpiredError:
            raise
        except SocialConnectorError as exc:
            return comments, f"comments not fetched for every post: {exc}"
        comments[post.platform_post_id] = rows
    return comments, ""


def _fetch(connector: SocialConnector, account: SocialAccount, *, own_token: bool) -> _Fetched:
    """All network calls, before any database write (no transaction held open on I/O)."""
    profile = connector.fetch_account(account.handle)
    since = None  # the last N posts are refreshed every time: their counts keep changing
    posts = list(connector.fetch_posts(profile, since))
    comments: dict[str, list[CommentData]] = {}
    warning = ""
    insights: dict[str, Any] = {}
    if own_token or not connector.comments_need_own_token:
        comments, warning = _fetch_comments(connector, posts)
    if own_token:
        insights = connector.fetch_insights(profile)
    return _Fetched(profile, posts, comments, insights, warning)


def _mean(values: list[int]) -> float | None:
    return float(statistics.fmean(values)) if values else None


@transaction.atomic
def _store(*, account: SocialAccount, data: _Fetched, now: dt.datetime) -> SyncResult:
    profile = data.profile
    created = updated = comment_rows = 0
    post_ids: dict[str, int] = {}
    for item in data.posts:
        values = {name: getattr(item, name) for name in POST_FIELDS}
        values.update(
            views=item.views,
            reach=item.reach,
            impressions=item.impressions,
            workspace_id=account.workspace_id,
        )
        post, was_created = Post.objects.update_or_create(
            account=account, platform_post_id=item.platform_post_id, defaults=values
        )
        post_ids[item.platform_post_id] = post.pk
        created += was_created
        updated += not was_created
    for platform_post_id, rows in data.comments.items():
        for comment in rows:
            PostComment.objects.update_or_create(
                post_id=post_ids[platform_post_id],
                external_id=comment.external_id,
                defaults={
                    "workspace_id": account.workspace_id,
                    "author_handle": comment.author_handle[:100],
                    "text": comment.text,
                    "posted_at": comment.posted_at,
                    "likes": comment.likes,
                },
            )
            comment_rows += 1
    recent = sorted(data.posts, key=lambda p: p.posted_at, reverse=True)[:SNAPSHOT_LAST_N]
    viewed = [p.views for p in recent if p.views is not None]
    snapshot, _ = AccountSnapshot.objects.update_or_create(
        account=account,
        taken_at=now,
        defaults={
            "workspace_id": account.workspace_id,
            "followers": profile.followers,
            "following": profile.following,
            "posts_count": profile.posts_count,
            "avg_likes": _mean([p.likes for p in recent]),
            "avg_comments": _mean([p.comments for p in recent]),
            "avg_views": _mean(viewed),
            "source": "sync",
            "insights": data.insights,
        },
    )
    account.followers = profile.followers
    account.following = profile.following
    account.posts_count = profile.posts_count
    account.tier = tier_for(profile.followers)
    account.external_id = profile.external_id[:100] or account.external_id
    account.display_name = profile.display_name[:200] or account.display_name
    account.bio = profile.bio or account.bio
    account.url = profile.url or account.url
    account.verified = profile.verified or account.verified
    account.has_profile_pic = bool(profile.profile_picture_url) or account.has_profile_pic
    account.last_synced_at = now
    # only the synced columns: the stats job may have written ER / averages meanwhile
    account.save(update_fields=[*ACCOUNT_SYNCED_FIELDS, "updated_at"])
    return SyncResult(
        account_id=account.pk,
        label=str(account),
        ok=True,
        followers=profile.followers,
        posts_created=created,
        posts_updated=updated,
        comments=comment_rows,
        snapshot_id=snapshot.pk,
        warning=data.warning,
    )


def account_sync(
    *,
    account: SocialAccount,
    now: dt.datetime,
    connector_factory: ConnectorFactory = connector_from_credential,
) -> SyncResult:
    """Sync one account now; raises ``SocialConnectorError`` (with a clear message) on failure.

    Idempotent: the same ``now`` twice leaves one snapshot; posts and comments are upserts.
    """
    credential = credential_for(account=account)
    if credential.expires_at is not None and credential.expires_at <= now:
        message = f"the token expired on {credential.expires_at:%Y-%m-%d %H:%M} UTC"
        _mark_expired(credential, message)
        raise TokenExpiredError(
            f"{account}: {message} (credential #{credential.pk}); it is now marked expired, "
            "paste a new one."
        )
    connector = connector_factory(credential)
    own_token = credential.account_id == account.pk
    try:
        data = _fetch(connector, account, own_token=own_token)
    except TokenExpiredError as exc:
        _mark_expired(credential, str(exc))
        raise TokenExpiredError(
            f"{account}: the {account.platform} token (credential #{credential.pk}) has expired "
            f"or was revoked; it is now marked expired, paste a new one. {exc}"
        ) from exc
    result = _store(account=account, data=data, now=now)
    workspace_id, account_id = account.workspace_id, account.pk
    transaction.on_commit(
        lambda: recompute_account_stats.enqueue(workspace_id=workspace_id, account_ids=[account_id])
    )
    return SyncResult(**{**result.__dict__, "retries": connector.retries})


def accounts_sync(
    *,
    accounts: Iterable[SocialAccount],
    now: dt.datetime,
    connector_factory: ConnectorFactory = connector_from_credential,
) -> list[SyncResult]:
    """Sync each account; a failure is reported for that account and the rest go on."""
    results = []
    for account in accounts:
        try:
            results.append(
                account_sync(account=account, now=now, connector_factory=connector_factory)
            )
        except SocialConnectorError as exc:
            log.warning("sync of %s failed: %s", account, exc)
            results.append(SyncResult(account_id=account.pk, label=str(account), ok=False,
                                      error=str(exc)))  # fmt: skip
    return results


def accounts_sync_due(
    *,
    now: dt.datetime,
    workspace: Workspace | None = None,
    platform: str | None = None,
) -> QuerySet[SocialAccount]:
    """Accounts on a synced platform never synced or last synced over
    ``SOCIAL_SYNC_INTERVAL_HOURS`` (24 by default) before ``now``, oldest first."""
    cutoff = now - dt.timedelta(hours=settings.SOCIAL_SYNC_INTERVAL_HOURS)
    due = SocialAccount.objects.filter(platform__in=SYNC_PLATFORMS).filter(
        Q(last_synced_at__isnull=True) | Q(last_synced_at__lte=cutoff)
    )
    if workspace is not None:
        due = due.filter(workspace=workspace)
    if platform:
        due = due.filter(platform=platform)
    return due.select_related("workspace").order_by("last_synced_at", "pk")
