"""Hand-worked tests of the pure per-account metrics (creators.metrics)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from infludesk.creators import metrics
from infludesk.creators.metrics import PostStats, SnapshotPoint

JAN1 = datetime(2026, 1, 1, 12, tzinfo=UTC)


def day(n: int) -> datetime:
    return JAN1 + timedelta(days=n)


def test_engagement_rate_is_mean_interactions_over_followers_times_100():
    # given 10,000 followers and posts with (300 + 20) and (500 + 30) interactions
    posts = [PostStats(300, 20), PostStats(500, 30)]
    # then mean 425 / 10,000 x 100
    assert metrics.engagement_rate(posts, 10_000) == pytest.approx(4.25)


def test_engagement_rate_without_posts_or_followers_is_none():
    assert metrics.engagement_rate([], 10_000) is None
    assert metrics.engagement_rate([PostStats(10, 1)], 0) is None


def test_engagement_rate_uses_only_the_newest_n_posts_by_date():
    # given an old viral post and two recent ordinary ones, in scrambled order
    posts = [
        PostStats(100, 0, posted_at=day(10)),
        PostStats(9_000, 0, posted_at=day(1)),
        PostStats(300, 0, posted_at=day(9)),
    ]
    # when only the last 2 count, the old viral post is left out: (100 + 300) / 2 / 1,000
    assert metrics.engagement_rate(posts, 1_000, last_n=2) == pytest.approx(20.0)


def test_engagement_rate_by_views_is_views_weighted():
    posts = [PostStats(900, 100, views=20_000), PostStats(250, 50, views=10_000)]
    # 1,300 interactions / 30,000 views x 100
    assert metrics.engagement_rate_by_views(posts) == pytest.approx(4.333333333)


def test_engagement_rate_by_views_is_none_without_views():
    assert metrics.engagement_rate_by_views([PostStats(10, 1)]) is None
    assert metrics.engagement_rate_by_views([PostStats(10, 1, views=0)]) is None


def test_account_engagement_rate_uses_views_on_video_platforms_and_followers_elsewhere():
    posts = [PostStats(900, 100, views=20_000)]
    assert metrics.account_engagement_rate(
        platform="youtube", posts=posts, followers=100_000
    ) == pytest.approx(5.0)
    assert metrics.account_engagement_rate(
        platform="instagram", posts=posts, followers=100_000
    ) == pytest.approx(1.0)


def test_account_engagement_rate_on_video_platform_without_views_falls_back_to_followers():
    posts = [PostStats(900, 100)]
    assert metrics.account_engagement_rate(
        platform="tiktok", posts=posts, followers=10_000
    ) == pytest.approx(10.0)


def test_averages_of_likes_comments_and_views():
    posts = [PostStats(100, 4, views=1_000), PostStats(200, 6), PostStats(600, 2, views=3_000)]
    assert metrics.average_likes(posts) == pytest.approx(300.0)
    assert metrics.average_comments(posts) == pytest.approx(4.0)
    # views only over the posts that report them
    assert metrics.average_views(posts) == pytest.approx(2_000.0)
    assert metrics.average_views([PostStats(1, 1)]) is None


def test_last_n_must_be_positive():
    with pytest.raises(ValueError, match="last_n"):
        metrics.last_posts([PostStats(1, 1)], 0)


def test_posting_frequency_counts_gaps_per_week():
    # 13 posts one week apart: 12 gaps over 12 weeks
    assert metrics.posting_frequency_per_week([day(7 * i) for i in range(13)]) == pytest.approx(1.0)
    # 3 posts over 7 days: 2 per week
    assert metrics.posting_frequency_per_week([day(0), day(3), day(7)]) == pytest.approx(2.0)


def test_posting_frequency_needs_two_posts_at_different_times():
    assert metrics.posting_frequency_per_week([day(0)]) is None
    assert metrics.posting_frequency_per_week([day(0), day(0)]) is None


def test_follower_growth_over_30_days():
    snapshots = [SnapshotPoint(day(0), 10_000), SnapshotPoint(day(30), 11_500)]
    assert metrics.follower_growth_pct(snapshots, 30) == pytest.approx(15.0)


def test_follower_growth_takes_latest_snapshot_old_enough_as_start():
    # given snapshots on days 0, 20, 83, 90: 7-day growth compares day 90 with day 83
    snapshots = [
        SnapshotPoint(day(0), 8_000),
        SnapshotPoint(day(20), 9_000),
        SnapshotPoint(day(83), 10_000),
        SnapshotPoint(day(90), 10_100),
    ]
    assert metrics.follower_growth_pct(snapshots, 7) == pytest.approx(1.0)
    # and 90-day growth compares with day 0: (10,100 - 8,000) / 8,000
    assert metrics.follower_growth_pct(snapshots, 90) == pytest.approx(26.25)
    # 30 days back from day 90 is day 60: the latest snapshot by then is day 20
    assert metrics.follower_growth_pct(snapshots, 30) == pytest.approx(12.2222222)


def test_follower_growth_summary_gives_weekly_30_and_90_days():
    snapshots = [
        SnapshotPoint(day(0), 8_000),
        SnapshotPoint(day(20), 9_000),
        SnapshotPoint(day(83), 10_000),
        SnapshotPoint(day(90), 10_100),
    ]
    growth = metrics.follower_growth(snapshots)
    assert growth.weekly_pct == pytest.approx(1.0)
    assert growth.d30_pct == pytest.approx(12.2222222)
    assert growth.d90_pct == pytest.approx(26.25)
    assert metrics.follower_growth(snapshots[2:]).d30_pct is None


def test_follower_growth_as_of_ignores_later_snapshots():
    snapshots = [
        SnapshotPoint(day(0), 1_000),
        SnapshotPoint(day(7), 1_100),
        SnapshotPoint(day(14), 5_000),
    ]
    assert metrics.follower_growth_pct(snapshots, 7, as_of=day(7)) == pytest.approx(10.0)


def test_follower_growth_is_none_when_history_is_too_short():
    snapshots = [SnapshotPoint(day(0), 1_000), SnapshotPoint(day(10), 1_100)]
    assert metrics.follower_growth_pct(snapshots, 30) is None
    assert metrics.follower_growth_pct([], 7) is None


def test_daily_deltas_are_normalised_to_a_day():
    snapshots = [
        SnapshotPoint(day(0), 1_000),
        SnapshotPoint(day(1), 1_050),
        SnapshotPoint(day(3), 1_150),
    ]
    deltas = metrics.daily_follower_deltas(snapshots)
    assert [(d.day, d.delta) for d in deltas] == [(day(1), 50.0), (day(3), 50.0)]


@pytest.mark.parametrize(
    ("followers", "expected"),
    [
        (0, "below_nano"),
        (999, "below_nano"),
        (1_000, "nano"),
        (9_999, "nano"),
        (10_000, "micro"),
        (99_999, "micro"),
        (100_000, "macro"),
        (999_999, "macro"),
        (1_000_000, "mega"),
    ],
)
def test_tier_boundaries_are_lower_inclusive(followers, expected):
    assert metrics.tier(followers) == expected


def test_tier_agrees_with_the_model_helper():
    from infludesk.creators.models import tier_for

    for followers in (0, 999, 1_000, 10_000, 100_000, 1_000_000):
        assert metrics.tier(followers) == tier_for(followers)


def test_shipped_benchmarks_have_a_source_and_a_rate_per_tier():
    benchmarks = metrics.load_er_benchmarks()
    assert "HypeAuditor" in benchmarks.source
    assert benchmarks.rate("instagram", "macro") == 1.5
    assert benchmarks.basis["tiktok"] == "views"
    assert benchmarks.rate("instagram", "below_nano") is None
    assert benchmarks.rate("myspace", "nano") is None


def test_benchmarks_load_from_an_edited_file(tmp_path):
    path = tmp_path / "er.json"
    path.write_text(
        json.dumps(
            {"source": "our agency, 2026", "platforms": {"instagram": {"tiers": {"nano": 3}}}}
        )
    )
    benchmarks = metrics.load_er_benchmarks(path)
    assert benchmarks.rate("instagram", "nano") == 3.0
    assert benchmarks.basis["instagram"] == "followers"
    assert benchmarks.source == "our agency, 2026"


@pytest.mark.parametrize(
    ("tiers", "message"),
    [({"giga": 3}, "unknown tier 'giga'"), ({"nano": -1}, "instagram/nano must be a positive")],
)
def test_bad_benchmark_file_names_the_entry(tmp_path, tiers, message):
    path = tmp_path / "er.json"
    path.write_text(json.dumps({"platforms": {"instagram": {"tiers": tiers}}}))
    with pytest.raises(ValueError, match=message):
        metrics.load_er_benchmarks(path)


def test_er_vs_benchmark_is_the_ratio():
    assert metrics.er_vs_benchmark(0.1, 1.0) == pytest.approx(0.1)
    assert metrics.er_vs_benchmark(None, 1.0) is None
    assert metrics.er_vs_benchmark(1.0, None) is None
