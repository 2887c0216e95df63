"""Per-account metrics as pure functions: engagement rate, averages, posting frequency,
follower growth, tier and ER against the tier's benchmark.

No Django here (import-linter checks it): inputs are plain values, dataclasses or any object
with the attributes named by the protocols below (Django ``Post`` and ``AccountSnapshot`` rows
fit them, so callers can pass querysets' rows directly).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

DEFAULT_LAST_N = 12
"""Posts used for ER and averages: the last 12 is the common industry window."""

VIDEO_PLATFORMS = frozenset({"youtube", "tiktok"})
"""Platforms whose reach is measured by views: their ER is computed by views (see
``engagement_rate_by_views``), because a video is watched by far more people than follow it."""

TIERS = ("below_nano", "nano", "micro", "macro", "mega")

DEFAULT_BENCHMARKS_PATH = Path(__file__).with_name("benchmarks_er.json")


class PostLike(Protocol):
    """What the metrics need from a post (a ``PostStats`` or a ``creators.models.Post``)."""

    @property
    def likes(self) -> int: ...
    @property
    def comments(self) -> int: ...
    @property
    def views(self) -> int | None: ...
    @property
    def posted_at(self) -> datetime | None: ...


class SnapshotLike(Protocol):
    """What growth needs from a snapshot (a ``SnapshotPoint`` or an ``AccountSnapshot``)."""

    @property
    def taken_at(self) -> datetime: ...
    @property
    def followers(self) -> int: ...


@dataclass(frozen=True)
class PostStats:
    likes: int
    comments: int
    views: int | None = None
    posted_at: datetime | None = None


@dataclass(frozen=True)
class SnapshotPoint:
    taken_at: datetime
    followers: int


# --- posts ---------------------------------------------------------------------------------


def last_posts(posts: Iterable[PostLike], last_n: int = DEFAULT_LAST_N) -> list[PostLike]:
    """The ``last_n`` most recent posts. When every post has ``posted_at`` they are sorted
    newest first; otherwise the given order is taken as newest first."""
    if last_n < 1:
        raise ValueError("last_n must be at least 1")
    items = list(posts)
    if items and all(p.posted_at is not None for p in items):
        items.sort(key=lambda p: p.posted_at, reverse=True)  # type: ignore[arg-type,return-value]
    return items[:last_n]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def average_likes(posts: Iterable[PostLike], last_n: int = DEFAULT_LAST_N) -> float | None:
    """Mean likes over the last N posts; None without posts. Likes 100, 200, 600 give 300.0."""
    return _mean([p.likes for p in last_posts(posts, last_n)])


def average_comments(posts: Iterable[PostLike], last_n: int = DEFAULT_LAST_N) -> float | None:
    """Mean comments over the last N posts; None without posts."""
    return _mean([p.comments for p in last_posts(posts, last_n)])


def average_views(posts: Iterable[PostLike], last_n: int = DEFAULT_LAST_N) -> float | None:
    """Mean views over those of the last N posts that report views; None when none do."""
    return _mean([p.views for p in last_posts(posts, last_n) if p.views is not None])


def engagement_rate(
    posts: Iterable[PostLike], followers: int, last_n: int = DEFAULT_LAST_N
) -> float | None:
    """ER by followers, in percent: ER = mean(likes + comments) over the last N posts
    / followers x 100.

    10,000 followers and posts with (likes, comments) (300, 20) and (500, 30) give
    mean 425 -> 4.25. None when there are no posts or no followers.
    """
    recent = last_posts(posts, last_n)
    if not recent or followers <= 0:
        return None
    mean_interactions = sum(p.likes + p.comments for p in recent) / len(recent)
    return mean_interactions / followers * 100


def engagement_rate_by_views(
    posts: Iterable[PostLike], last_n: int = DEFAULT_LAST_N
) -> float | None:
    """ER by views, in percent, for video platforms: sum(likes + comments) / sum(views) x 100
    over those of the last N posts that report views (a views-weighted mean, so one viral
    video does not swamp the rate of the others less than its views justify).

    Posts (likes, comments, views) (900, 100, 20,000) and (250, 50, 10,000) give
    1,300 / 30,000 -> 4.333... None when no post reports views or all views are 0.
    """
    with_views = [p for p in last_posts(posts, last_n) if p.views is not None]
    total_views = sum(p.views or 0 for p in with_views)
    if total_views <= 0:
        return None
    return sum(p.likes + p.comments for p in with_views) / total_views * 100


def account_engagement_rate(
    *, platform: str, posts: Iterable[PostLike], followers: int, last_n: int = DEFAULT_LAST_N
) -> float | None:
    """The ER shown for an account: by views on video platforms (YouTube, TikTok) when the
    posts report views, else by followers."""
    recent = last_posts(posts, last_n)
    if platform in VIDEO_PLATFORMS:
        by_views = engagement_rate_by_views(recent, last_n)
        if by_views is not None:
            return by_views
    return engagement_rate(recent, followers, last_n)


def posting_frequency_per_week(posted_at: Iterable[datetime]) -> float | None:
    """Posts per week = (n - 1) / (span in days / 7), span = newest - oldest post time:
    the rate of the n - 1 gaps between n posts.

    13 posts one week apart span 84 days -> 12 / 12 = 1.0. None with fewer than 2 posts or a
    zero span.
    """
    times = sorted(posted_at)
    if len(times) < 2:
        return None
    span_days = (times[-1] - times[0]).total_seconds() / 86_400
    if span_days <= 0:
        return None
    return (len(times) - 1) / (span_days / 7)


# --- growth --------------------------------------------------------------------------------


def follower_growth_pct(
    snapshots: Iterable[SnapshotLike], days: int, as_of: datetime | None = None
) -> float | None:
    """Follower growth over ``days``, in percent: (F_end - F_start) / F_start x 100, where
    F_end is the latest snapshot at or before ``as_of`` (default: the latest snapshot) and
    F_start the latest snapshot at or before end time - ``days``.

    Snapshots on 1 Jan with 10,000 and on 31 Jan with 11,500 give 15.0 for days=30.
    None when no snapshot is old enough or F_start is 0. Use days=7 for weekly growth.
    """
    points = sorted(snapshots, key=lambda s: s.taken_at)
    if as_of is not None:
        points = [s for s in points if s.taken_at <= as_of]
    if not points:
        return None
    end = points[-1]
    cutoff = end.taken_at - timedelta(days=days)
    older = [s for s in points if s.taken_at <= cutoff]
    if not older or older[-1].followers <= 0:
        return None
    start = older[-1]
    return (end.followers - start.followers) / start.followers * 100


@dataclass(frozen=True)
class FollowerGrowth:
    """Growth in percent over the last 7, 30 and 90 days (None where history is too short)."""

    weekly_pct: float | None
    d30_pct: float | None
    d90_pct: float | None


def follower_growth(
    snapshots: Iterable[SnapshotLike], as_of: datetime | None = None
) -> FollowerGrowth:
    """Weekly, 30-day and 90-day growth with ``follower_growth_pct`` (same end snapshot)."""
    points = list(snapshots)
    return FollowerGrowth(
        weekly_pct=follower_growth_pct(points, 7, as_of),
        d30_pct=follower_growth_pct(points, 30, as_of),
        d90_pct=follower_growth_pct(points, 90, as_of),
    )


@dataclass(frozen=True)
class DailyDelta:
    day: datetime
    delta: float
    """Followers gained per day between the previous snapshot and this one."""


def daily_follower_deltas(snapshots: Iterable[SnapshotLike]) -> list[DailyDelta]:
    """Per-snapshot change in followers, normalised to a day: (F_i - F_{i-1}) / days between.

    Snapshots 1 Jan 1,000, 2 Jan 1,050, 4 Jan 1,150 give deltas 50 (2 Jan) and 50 (4 Jan).
    Snapshots closer than an hour apart are skipped (a per-day rate would be meaningless).
    """
    points = sorted(snapshots, key=lambda s: s.taken_at)
    deltas: list[DailyDelta] = []
    previous: SnapshotLike | None = None
    for point in points:
        if previous is not None:
            days = (point.taken_at - previous.taken_at).total_seconds() / 86_400
            if days < 1 / 24:
                continue
            deltas.append(DailyDelta(point.taken_at, (point.followers - previous.followers) / days))
        previous = point
    return deltas


# --- tiers and benchmarks ------------------------------------------------------------------


def tier(followers: int) -> str:
    """Size tier (lower bounds inclusive): below_nano < 1k <= nano < 10k <= micro < 100k
    <= macro < 1M <= mega. Same values as ``creators.models.Tier``."""
    if followers >= 1_000_000:
        return "mega"
    if followers >= 100_000:
        return "macro"
    if followers >= 10_000:
        return "micro"
    if followers >= 1_000:
        return "nano"
    return "below_nano"


@dataclass(frozen=True)
class ErBenchmarks:
    """Typical ER (percent) per platform and tier, with where the figures come from."""

    rates: Mapping[str, Mapping[str, float]]
    source: str
    basis: Mapping[str, str]
    """Per platform: "followers" or "views" (what the benchmark ER is divided by)."""

    def rate(self, platform: str, tier_name: str) -> float | None:
        """The benchmark ER for a platform and tier; None when the file has no figure
        (accounts below 1k and unknown platforms are not benchmarked)."""
        return self.rates.get(platform, {}).get(tier_name)


def load_er_benchmarks(path: Path | str | None = None) -> ErBenchmarks:
    """Read ER benchmarks from a JSON file (default: the one shipped next to this module).

    Format: {"source": str, "platforms": {platform: {"basis": "followers"|"views",
    "tiers": {tier: percent}}}}. Raises ValueError naming the bad entry.
    """
    file_path = Path(path) if path is not None else DEFAULT_BENCHMARKS_PATH
    data: Any = json.loads(file_path.read_text(encoding="utf-8"))
    rates: dict[str, dict[str, float]] = {}
    basis: dict[str, str] = {}
    for platform, entry in data["platforms"].items():
        basis[platform] = entry.get("basis", "followers")
        rates[platform] = {}
        for tier_name, value in entry["tiers"].items():
            if tier_name not in TIERS:
                raise ValueError(f"{file_path}: unknown tier {tier_name!r} for {platform}")
            rate = float(value)
            if not math.isfinite(rate) or rate <= 0:
                raise ValueError(f"{file_path}: {platform}/{tier_name} must be a positive number")
            rates[platform][tier_name] = rate
    return ErBenchmarks(rates=rates, source=str(data.get("source", "")), basis=basis)


def er_vs_benchmark(er: float | None, benchmark: float | None) -> float | None:
    """ER relative to the tier benchmark: ratio = ER / benchmark (1.0 = typical).

    ER 0.1 against a 1.0 benchmark gives 0.1 (ten times lower than typical). None when
    either is unknown or the benchmark is not positive.
    """
    if er is None or benchmark is None or benchmark <= 0:
        return None
    return er / benchmark
