"""Scoring accounts from their stored rows: the score and its explanation are saved, per
workspace, with the follower sample classified on the way."""

from __future__ import annotations

import datetime as dt

import pytest

from infludesk.authenticity import services
from infludesk.core.models import AuditEntry
from infludesk.creators.models import FollowerSample, PostComment, SocialAccount
from tests.factories import AccountSnapshotFactory, PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
END = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)


def account_with_history(workspace, *, followers: int, likes: int, comments: int, **kw):
    account = SocialAccountFactory(
        creator__workspace=workspace, followers=followers, following=500, **kw
    )
    for i in range(12):
        PostFactory(
            account=account,
            posted_at=END - dt.timedelta(days=3 * i),
            likes=likes,
            comments=comments,
        )
    for d in range(30):
        AccountSnapshotFactory(
            account=account,
            taken_at=END - dt.timedelta(days=29 - d),
            followers=followers - (29 - d) * 20 + (d % 3) * 4,
        )
    return account


def add_followers(account, *, fakes: int, real: int) -> None:
    rows = [
        FollowerSample(
            workspace=account.workspace,
            account=account,
            handle=f"xq{9_000_000 + i}",
            followers=3,
            following=4_000,
            posts=0,
            has_profile_pic=False,
            bio_length=0,
        )
        for i in range(fakes)
    ] + [
        FollowerSample(
            workspace=account.workspace,
            account=account,
            handle=f"hiker.sam{i}",
            followers=450,
            following=380,
            posts=140,
            has_profile_pic=True,
            bio_length=60,
        )
        for i in range(real)
    ]
    FollowerSample.objects.bulk_create(rows)


def test_150k_followers_with_150_likes_per_post_is_scored_and_flagged(workspace):
    # given the example account with 12 posts of 150 likes and 3 comments
    account = account_with_history(workspace, followers=150_000, likes=150, comments=3)
    # when scored
    result = services.account_score_authenticity(workspace=workspace, account=account)
    account.refresh_from_db()
    # then ER 0.102% against the 1.5% Instagram macro benchmark is flagged and stored
    assert result.reasons == ["low_engagement"]
    assert account.authenticity_score == 70
    explanation = account.authenticity_explanation
    assert explanation["score"] == 70
    assert explanation["verdict"] == "suspicious"
    assert explanation["metrics"]["tier"] == "macro"
    assert explanation["metrics"]["er_benchmark"] == 1.5
    assert explanation["metrics"]["engagement_rate"] == pytest.approx(0.102)
    engagement = explanation["signals"][0]
    assert engagement["key"] == "engagement"
    assert engagement["status"] == "flag"
    assert engagement["deduction"] == 30
    assert explanation["fake_prior"] == 0.1
    # growth (29 steady daily changes) and likes/comments had data, plus the follow ratio
    assert explanation["signals_with_data"] == 4


def test_a_healthy_account_is_clean(workspace):
    account = account_with_history(workspace, followers=50_000, likes=800, comments=25)
    result = services.account_score_authenticity(workspace=workspace, account=account)
    assert (result.score, result.verdict) == (100, "clean")


def test_follower_sample_is_classified_and_drives_audience_quality(workspace):
    account = account_with_history(workspace, followers=50_000, likes=800, comments=25)
    add_followers(account, fakes=40, real=60)
    result = services.account_score_authenticity(workspace=workspace, account=account)
    stored = list(FollowerSample.objects.filter(account=account).order_by("pk"))
    # the obvious fakes get a high probability, the real-looking followers a low one
    assert all(f.fake_probability > 0.9 for f in stored[:40])
    assert all(f.fake_probability < 0.01 for f in stored[40:])
    audience = next(s for s in result.signals if s.key == "audience")
    assert audience.status == "flag"
    assert audience.reason == "fake_audience"
    # real share = mean(1 - p) at the 10% prior: 40 certain fakes give 0, and the 60 real-looking
    # followers about 0.991 each (P(fake) 0.06-0.08 at 50/50 -> under 0.01 at 10%)
    assert audience.value == pytest.approx(0.5946, abs=1e-4)
    assert audience.details["sample_size"] == 100


def test_generic_comments_are_read_from_the_recent_posts(workspace):
    account = account_with_history(workspace, followers=50_000, likes=800, comments=25)
    post = account.posts.order_by("-posted_at").first()
    PostComment.objects.bulk_create(
        PostComment(workspace=workspace, post=post, external_id=str(i), text="Great post! 🔥")
        for i in range(12)
    )
    result = services.account_score_authenticity(workspace=workspace, account=account)
    quality = next(s for s in result.signals if s.key == "comment_quality")
    assert (quality.status, quality.reason) == ("flag", "low_quality_comments")
    assert quality.details == {"total": 12, "emoji_only": 0, "duplicate": 11, "generic": 1}


def test_scoring_a_workspace_leaves_other_workspaces_alone(workspace, other_workspace):
    mine = account_with_history(workspace, followers=150_000, likes=150, comments=3)
    theirs = account_with_history(other_workspace, followers=150_000, likes=150, comments=3)
    results = services.workspace_score_authenticity(workspace=workspace)
    assert list(results) == [mine.pk]
    assert SocialAccount.objects.get(pk=theirs.pk).authenticity_score is None
    assert SocialAccount.objects.get(pk=mine.pk).authenticity_score == 70


def test_an_account_of_another_workspace_is_refused(workspace, other_workspace):
    theirs = account_with_history(other_workspace, followers=10_000, likes=200, comments=5)
    with pytest.raises(ValueError, match="another workspace"):
        services.account_score_authenticity(workspace=workspace, account=theirs)


def test_a_person_asking_for_a_score_is_audited_and_a_job_is_not(workspace, owner):
    account = account_with_history(workspace, followers=150_000, likes=150, comments=3)
    services.account_score_authenticity(workspace=workspace, account=account)
    assert AuditEntry.objects.filter(workspace=workspace).count() == 0
    services.account_score_authenticity(workspace=workspace, account=account, by=owner)
    entry = AuditEntry.objects.get(workspace=workspace)
    assert entry.action == "account.score_authenticity"
    assert entry.actor == owner
    assert entry.changes == {"authenticity_score": [70, 70]}


def test_scoring_twice_gives_the_same_score(workspace):
    account = account_with_history(workspace, followers=30_000, likes=500, comments=12)
    first = services.account_score_authenticity(workspace=workspace, account=account)
    second = services.account_score_authenticity(workspace=workspace, account=account)
    assert first.score == second.score
    assert first.signals == second.signals


def test_scoring_one_account_takes_a_fixed_number_of_queries(
    workspace, django_assert_max_num_queries
):
    account = account_with_history(workspace, followers=30_000, likes=500, comments=12)
    add_followers(account, fakes=5, real=45)
    with django_assert_max_num_queries(13):  # 13th: the workspace's ER benchmarks
        services.account_score_authenticity(workspace=workspace, account=account)
