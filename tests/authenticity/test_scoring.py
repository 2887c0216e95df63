"""The explained authenticity score (pure): each signal, the total and its confidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from infludesk.authenticity.audience import audience_quality
from infludesk.authenticity.scoring import (
    AccountEvidence,
    authenticity_score,
    comment_quality,
    is_emoji_only,
    is_generic,
    robust_z_scores,
)

START = datetime(2026, 9, 1, 9, tzinfo=UTC)
REAL_COMMENTS = [
    "Where did you buy that jacket?",
    "The light in the third photo is unreal, which lens?",
    "Tried your pasta recipe last night, kids loved it",
    "How long did the hike take you?",
    "I disagree about the ending, the book was better",
    "Is the blue one still in stock?",
    "Congrats on the new studio! Looks so bright",
    "What settings do you use for the night shots?",
    "My dog does exactly the same thing 😂",
    "Saving this for our trip in May",
]


def steady_deltas(days: int = 30, per_day: float = 100.0) -> list[tuple[datetime, float]]:
    # small day-to-day wobble, as real growth has
    wobble = [0, 8, -5, 12, -9, 4, -3, 10, -7, 6]
    return [(START + timedelta(days=i), per_day + wobble[i % 10]) for i in range(days)]


def clean(**changes) -> AccountEvidence:
    """A healthy micro creator: ER near benchmark, normal ratios, steady growth."""
    base = AccountEvidence(
        platform="instagram",
        followers=50_000,
        following=600,
        tier="micro",
        engagement_rate=1.8,
        er_benchmark=1.6,
        avg_likes=880.0,
        avg_comments=20.0,
        avg_views=None,
        posts_with_metrics=12,
        daily_deltas=steady_deltas(),
        comments=[f"{text} ({i})" for i, text in enumerate(REAL_COMMENTS * 2)],
        audience=audience_quality([0.01] * 95 + [0.99] * 5, prior=0.1),
    )
    return replace(base, **changes)


def signal(result, key):
    return next(s for s in result.signals if s.key == key)


def test_a_healthy_account_scores_100_with_high_confidence():
    result = authenticity_score(clean())
    assert result.score == 100
    assert result.verdict == "clean"
    assert result.reasons == []
    assert result.confidence == "high"
    assert (result.signals_with_data, result.signals_total) == (6, 7)


def test_150k_followers_and_150_likes_per_post_is_flagged():
    # given the example: 150,000 followers, 150 likes and 3 comments per post
    ev = AccountEvidence(
        platform="instagram",
        followers=150_000,
        following=500,
        tier="macro",
        engagement_rate=(150 + 3) / 150_000 * 100,
        er_benchmark=1.5,
        avg_likes=150.0,
        avg_comments=3.0,
        posts_with_metrics=12,
    )
    result = authenticity_score(ev)
    er = signal(result, "engagement")
    # then ER 0.102% is 0.068x the macro benchmark: far below, 30 points off
    assert er.status == "flag"
    assert er.reason == "low_engagement"
    assert er.value == pytest.approx(0.068)
    assert er.deduction == 30
    assert er.evidence == (
        "ER 0.10% is 0.07x the benchmark 1.50%: far below (inactive or bought followers)"
    )
    assert result.score == 70
    assert result.verdict == "suspicious"
    assert result.reasons == ["low_engagement"]
    # only 3 of 7 signals had data (ER, follow ratio, likes/comments)
    assert result.confidence == "medium"
    assert result.signals_with_data == 3


def test_engagement_far_above_benchmark_points_to_pods_or_bought_likes():
    result = authenticity_score(clean(engagement_rate=5.6))  # 3.5x the 1.6% benchmark
    er = signal(result, "engagement")
    assert (er.status, er.reason, er.deduction) == ("flag", "high_engagement", 25)
    assert er.evidence == (
        "ER 5.60% is 3.50x the benchmark 1.60%: far above (engagement pods or bought likes)"
    )


def test_a_quarter_of_the_benchmark_is_the_low_flag_line():
    # 0.40 / 1.6 = 0.25 exactly: a warning; just under it is a flag
    assert signal(authenticity_score(clean(engagement_rate=0.40)), "engagement").status == (
        "warning"
    )
    assert signal(authenticity_score(clean(engagement_rate=0.39)), "engagement").status == "flag"


@pytest.mark.parametrize(
    ("er", "status", "deduction"), [(0.64, "warning", 10), (4.0, "warning", 8)]
)
def test_moderately_low_or_high_engagement_only_warns(er, status, deduction):
    result = authenticity_score(clean(engagement_rate=er))
    assert (signal(result, "engagement").status, signal(result, "engagement").deduction) == (
        status,
        deduction,
    )
    assert result.verdict == "watch"


def test_no_benchmark_means_no_engagement_judgement():
    result = authenticity_score(clean(er_benchmark=None, tier="below_nano"))
    assert signal(result, "engagement").status == "no_data"
    assert signal(result, "engagement").evidence == "no benchmark for tier"


def test_following_far_more_than_followers_is_follow_for_follow():
    result = authenticity_score(clean(followers=3_000, following=7_500))
    ratio = signal(result, "follow_ratio")
    assert (ratio.status, ratio.reason, ratio.deduction) == ("flag", "follow_for_follow", 15)
    assert ratio.value == pytest.approx(0.4)


def test_follow_ratio_is_not_judged_on_youtube_or_small_accounts():
    assert signal(authenticity_score(clean(platform="youtube")), "follow_ratio").status == "no_data"
    small = authenticity_score(clean(followers=800, following=2_000))
    assert signal(small, "follow_ratio").status == "no_data"


def test_robust_z_by_hand():
    # median 10.5, MAD 1.0 -> scale 1.4826; (300 - 10.5) / 1.4826 = 195.27
    z = robust_z_scores([10, 12, 11, 9, 10, 300])
    assert z[-1] == pytest.approx(195.265, abs=1e-3)
    assert z[0] == pytest.approx(-0.5 / 1.4826)


def test_growth_spike_is_flagged_with_its_date():
    deltas = steady_deltas()
    deltas[17] = (deltas[17][0], 25_000.0)  # 25k followers in one day
    result = authenticity_score(clean(daily_deltas=deltas))
    growth = signal(result, "growth")
    assert (growth.status, growth.reason, growth.deduction) == ("flag", "growth_spike", 15)
    assert [s["date"] for s in growth.details["spikes"]] == ["2026-09-18"]
    assert growth.evidence == "1 spike(s) on 2026-09-18"


def test_sudden_drop_is_flagged_as_a_purge():
    deltas = steady_deltas()
    deltas[20] = (deltas[20][0], -8_000.0)
    growth = signal(authenticity_score(clean(daily_deltas=deltas)), "growth")
    assert (growth.status, growth.reason, growth.deduction) == ("flag", "follower_drop", 10)
    assert [d["date"] for d in growth.details["drops"]] == ["2026-09-21"]


def test_steady_growth_is_not_an_anomaly_even_when_perfectly_constant():
    # a constant series has MAD 0; the floor (0.1% of followers) keeps z finite and small
    constant = [(START + timedelta(days=i), 100.0) for i in range(30)]
    constant[5] = (constant[5][0], 130.0)
    growth = signal(authenticity_score(clean(daily_deltas=constant)), "growth")
    assert growth.status == "ok"
    assert growth.value == pytest.approx(0.6)  # 30 / max(0, 50) = 0.6


def test_growth_needs_two_weeks_of_deltas():
    growth = signal(authenticity_score(clean(daily_deltas=steady_deltas(days=13))), "growth")
    assert growth.status == "no_data"


def test_likes_without_comments_and_comment_heavy_posts_are_flagged():
    bought = signal(authenticity_score(clean(avg_comments=0.5)), "likes_comments")
    assert (bought.status, bought.reason) == ("flag", "likes_without_comments")
    pods = signal(authenticity_score(clean(avg_comments=400.0)), "likes_comments")
    assert (pods.status, pods.reason) == ("flag", "comment_heavy")
    assert pods.value == pytest.approx(400 / 880 * 100)


def test_likes_per_view_uses_the_likes_of_posts_with_views_when_given():
    # Instagram: reels have views, images not; 300 likes per reel over 10,000 views
    sig = signal(
        authenticity_score(clean(avg_views=10_000.0, avg_likes_viewed=300.0)), "views_likes"
    )
    assert (sig.status, sig.value) == ("ok", pytest.approx(3.0))


def test_views_to_likes_consistency():
    ok = signal(authenticity_score(clean(avg_views=20_000.0)), "views_likes")
    assert (ok.status, ok.value) == ("ok", pytest.approx(4.4))
    bought_likes = signal(authenticity_score(clean(avg_views=1_500.0)), "views_likes")
    assert (bought_likes.status, bought_likes.reason) == ("flag", "bought_likes")
    bought_views = signal(authenticity_score(clean(avg_views=500_000.0)), "views_likes")
    assert (bought_views.status, bought_views.reason) == ("flag", "bought_views")


@pytest.mark.parametrize(
    ("text", "expected"), [("🔥🔥🔥", True), ("😍 👏", True), ("wow 🔥", False), ("", False)]
)
def test_emoji_only(text, expected):
    assert is_emoji_only(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nice pic!", True),
        ("so cool 🔥", True),
        ("Love it", True),
        ("check my page for promo", True),
        ("Where is this beach?", False),
        ("nice pic, which camera did you use?", False),
    ],
)
def test_generic(text, expected):
    assert is_generic(text) is expected


def test_comment_quality_counts_each_comment_once():
    q = comment_quality(["Nice pic!", "nice pic", "🔥", "Where is this beach?"])
    assert (q.total, q.emoji_only, q.duplicate, q.generic, q.low_quality) == (4, 1, 1, 1, 3)


def test_pod_comments_are_flagged():
    pod = ["Great post!! 🔥", "🔥🔥", "Amazing", "love this", "so cool", "Great post!! 🔥"] * 3
    quality = signal(authenticity_score(clean(comments=pod)), "comment_quality")
    assert (quality.status, quality.reason, quality.deduction) == (
        "flag",
        "low_quality_comments",
        15,
    )
    assert quality.value == pytest.approx(1.0)


def test_comment_quality_needs_ten_comments():
    quality = signal(authenticity_score(clean(comments=REAL_COMMENTS[:9])), "comment_quality")
    assert quality.status == "no_data"


def test_fake_audience_is_a_strong_warning():
    audience = audience_quality([1.0] * 35 + [0.0] * 65, prior=0.1)
    result = authenticity_score(clean(audience=audience))
    sig = signal(result, "audience")
    assert (sig.status, sig.reason, sig.deduction) == ("flag", "fake_audience", 25)
    assert sig.evidence == "65.0% real (95% CI 55.3%-73.6%) in a sample of 100"
    assert result.score == 75


def test_deductions_add_up_and_the_score_never_goes_below_zero():
    deltas = steady_deltas()
    deltas[3] = (deltas[3][0], 40_000.0)
    worst = clean(
        followers=3_000,
        following=9_000,
        tier="nano",
        engagement_rate=0.1,
        er_benchmark=2.2,
        avg_comments=0.1,
        avg_views=100.0,
        daily_deltas=deltas,
        comments=["🔥"] * 20,
        audience=audience_quality([1.0] * 60 + [0.0] * 40, prior=0.1),
    )
    result = authenticity_score(worst)
    # 30 + 15 + 15 + 10 + 10 + 15 + 25 = 120 -> floored at 0
    assert sum(s.deduction for s in result.signals) == 120
    assert result.score == 0
    assert result.confidence == "high"
    assert result.signals_with_data == 7


def test_a_small_account_without_comments_is_not_judged_on_a_low_rate():
    # 12 posts of 15 likes and no comment: 180 likes would bring under 1 comment at 0.3 per 100
    sig = signal(authenticity_score(clean(avg_likes=15.0, avg_comments=0.0)), "likes_comments")
    assert (sig.status, sig.value, sig.deduction) == ("ok", 0.0, 0.0)
    assert sig.evidence.endswith(": too few likes to judge a low rate")


def test_a_high_comment_rate_needs_thirty_comments_to_count():
    # 12 posts, 4 likes and 2 comments each: 24 comments in all, not judged
    few = signal(authenticity_score(clean(avg_likes=4.0, avg_comments=2.0)), "likes_comments")
    assert (few.status, few.deduction) == ("ok", 0.0)
    # 3 comments each (36 in all) is judged: 75 per 100 likes
    many = signal(authenticity_score(clean(avg_likes=4.0, avg_comments=3.0)), "likes_comments")
    assert (many.status, many.reason) == ("flag", "comment_heavy")


def test_a_low_like_rate_on_few_views_is_not_judged():
    # 2 posts with views, 400 views each: 800 views, under the 10,000 needed
    ev = clean(avg_views=400.0, avg_likes_viewed=1.0, posts_with_views=2)
    sig = signal(authenticity_score(ev), "views_likes")
    assert (sig.status, sig.deduction) == ("ok", 0.0)
    assert sig.evidence.endswith(": too few views to judge a low rate")
