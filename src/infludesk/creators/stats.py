"""Recompute the stored stats columns of social accounts from their posts and snapshots.

The columns (tier, engagement_rate, avg_likes, avg_comments, avg_views, growth_30d_pct) are
stored so search can filter and sort on indexes; this module keeps them true. The formulas are
the pure ones in ``creators.metrics``:

- ER over the last 12 posts. Instagram (and other platforms): mean(likes + comments) /
  followers x 100. YouTube and TikTok: by views, sum(likes + comments) / sum(views) x 100 over
  the last 12 posts that report views (equal to mean(likes + comments) / mean(views) over those
  posts), because a video reaches far more viewers than the channel has followers, so the share
  of viewers who interact is the comparable figure. Falls back to followers when no post has
  views. Stored rounded to 4 decimals.
- avg likes / comments / views: means over the same last 12 posts (views over those reporting it).
- tier from the account's followers (``tier_for``).
- growth_30d_pct: (F_end - F_start) / F_start x 100 between the latest snapshot and the latest
  one at least 30 days older; None when the history is shorter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from infludesk.core.models import Workspace
from infludesk.creators import metrics
from infludesk.creators.models import AccountSnapshot, Post, SocialAccount, tier_for

LAST_N_POSTS = metrics.DEFAULT_LAST_N
GROWTH_DAYS = 30
ER_QUANTUM = Decimal("0.0001")
BATCH = 500

STAT_FIELDS = [
    "tier",
    "engagement_rate",
    "avg_likes",
    "avg_comments",
    "avg_views",
    "growth_30d_pct",
    "updated_at",
]


@dataclass(frozen=True)
class AccountStats:
    tier: str
    engagement_rate: Decimal | None
    avg_likes: float | None
    avg_comments: float | None
    avg_views: float | None
    growth_30d_pct: float | None


def account_stats_from_rows(
    *,
    platform: str,
    followers: int,
    posts: Iterable[metrics.PostLike],
    snapshots: Iterable[metrics.SnapshotLike],
) -> AccountStats:
    """The stored stats of one account from its posts and snapshots (no database access).

    The demo generator calls this on the rows it is about to insert, so generated accounts hold
    exactly what ``account_stats_recompute`` would store.
    """
    recent = metrics.last_posts(posts, LAST_N_POSTS)
    er = metrics.account_engagement_rate(
        platform=platform, posts=recent, followers=followers, last_n=LAST_N_POSTS
    )
    return AccountStats(
        tier=str(tier_for(followers)),
        engagement_rate=None if er is None else Decimal(repr(er)).quantize(ER_QUANTUM),
        avg_likes=metrics.average_likes(recent, LAST_N_POSTS),
        avg_comments=metrics.average_comments(recent, LAST_N_POSTS),
        avg_views=metrics.average_views(recent, LAST_N_POSTS),
        growth_30d_pct=metrics.follower_growth_pct(snapshots, GROWTH_DAYS),
    )


def apply_stats(account: SocialAccount, stats: AccountStats) -> None:
    """Copy computed stats onto an account instance (not saved)."""
    account.tier = stats.tier
    account.engagement_rate = stats.engagement_rate
    account.avg_likes = stats.avg_likes
    account.avg_comments = stats.avg_comments
    account.avg_views = stats.avg_views
    account.growth_30d_pct = stats.growth_30d_pct


def _recent_posts(
    *, workspace: Workspace, account_ids: Sequence[int]
) -> dict[int, list[metrics.PostStats]]:
    """The last 12 posts of each account, in one query (a ROW_NUMBER window per account)."""
    rows = (
        Post.objects.filter(workspace=workspace, account_id__in=account_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("account_id")],
                order_by=[F("posted_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=LAST_N_POSTS)
        .values_list("account_id", "likes", "comments", "views", "posted_at")
    )
    by_account: dict[int, list[metrics.PostStats]] = defaultdict(list)
    for account_id, likes, comments, views, posted_at in rows:
        by_account[account_id].append(metrics.PostStats(likes, comments, views, posted_at))
    return by_account


def _snapshots(
    *, workspace: Workspace, account_ids: Sequence[int]
) -> dict[int, list[metrics.SnapshotPoint]]:
    rows = AccountSnapshot.objects.filter(
        workspace=workspace, account_id__in=account_ids
    ).values_list("account_id", "taken_at", "followers")
    by_account: dict[int, list[metrics.SnapshotPoint]] = defaultdict(list)
    for account_id, taken_at, followers in rows:
        by_account[account_id].append(metrics.SnapshotPoint(taken_at, followers))
    return by_account


@transaction.atomic
def account_stats_recompute(*, workspace: Workspace, account_ids: Iterable[int]) -> int:
    """Recompute and store the stats columns of the workspace's accounts with these ids.

    Ids of other workspaces' accounts are ignored. Idempotent: running it twice stores the same
    values. A few queries per 500 accounts (accounts, last posts, snapshots, one bulk update).
    Returns the number of accounts updated.
    """
    ids = sorted(set(account_ids))
    updated = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        accounts = list(
            SocialAccount.objects.filter(workspace=workspace, pk__in=chunk).only(
                "id", "platform", "followers", *STAT_FIELDS
            )
        )
        posts = _recent_posts(workspace=workspace, account_ids=chunk)
        snapshots = _snapshots(workspace=workspace, account_ids=chunk)
        now = timezone.now()
        for account in accounts:
            stats = account_stats_from_rows(
                platform=account.platform,
                followers=account.followers,
                posts=posts.get(account.pk, []),
                snapshots=snapshots.get(account.pk, []),
            )
            apply_stats(account, stats)
            account.updated_at = now
        SocialAccount.objects.bulk_update(accounts, STAT_FIELDS)
        updated += len(accounts)
    return updated
