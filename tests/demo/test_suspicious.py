"""The labelled demo accounts carry the traits their labels promise (exact handles)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction

from infludesk.creators.metrics import load_er_benchmarks
from infludesk.creators.models import AccountSnapshot, FollowerSample, PostComment, SocialAccount
from infludesk.demo.generator import demo_generate
from infludesk.demo.labels import (
    CONTROL_ACCOUNTS,
    ER_FAR_ABOVE_TIER,
    ER_FAR_BELOW_TIER,
    FAKE_AUDIENCE,
    FOLLOWER_DROP,
    FOLLOWER_SPIKE,
    GENERIC_COMMENTS,
    SUSPICIOUS_ACCOUNTS,
    DesignedAccount,
    suspicious_handles,
)
from infludesk.demo.vocab import GENERIC_COMMENTS as GENERIC_TEXTS

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
BENCHMARKS = load_er_benchmarks()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One generation for the whole module (read-only tests), rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_generate(creators=40, seed=3, end=END).workspace
        transaction.set_rollback(True)


def _account(designed: DesignedAccount) -> SocialAccount:
    return SocialAccount.objects.get(platform=designed.platform, handle=designed.handle)


def _er_ratio(account: SocialAccount) -> float:
    benchmark = BENCHMARKS.rate(account.platform, account.tier)
    assert benchmark is not None
    return float(account.engagement_rate or 0) / benchmark


def _daily_changes(account: SocialAccount) -> dict[dt.date, float]:
    rows = list(
        AccountSnapshot.objects.filter(account=account).values_list("taken_at", "followers")
    )
    return {
        day.date(): followers / previous - 1
        for (_, previous), (day, followers) in itertools.pairwise(rows)
    }


def _generic_share(account: SocialAccount) -> float:
    texts = list(PostComment.objects.filter(post__account=account).values_list("text", flat=True))
    return sum(t in GENERIC_TEXTS for t in texts) / len(texts)


def _fake_share(account: SocialAccount) -> float:
    sample = FollowerSample.objects.filter(account=account)
    fake = sample.filter(following__gte=1_000, followers__lt=40).count()
    return fake / sample.count()


def test_the_labels_name_eleven_suspicious_handles_by_story():
    labels = {(a.handle, a.label) for a in SUSPICIOUS_ACCOUNTS}
    assert len(suspicious_handles()) == 11
    assert ("glowgetter.mia", "bought_followers") in labels
    assert ("luxe.lena.travels", "inactive_audience") in labels
    assert ("the.cozy.camper", "engagement_pod") in labels
    assert ("alpine.ava", "growth_spike") in labels
    assert ("sunset.scout", "sudden_drop") in labels


@pytest.mark.parametrize(
    "designed",
    [a for a in SUSPICIOUS_ACCOUNTS if ER_FAR_BELOW_TIER in a.signals],
    ids=lambda a: a.handle,
)
def test_given_bought_or_inactive_followers_then_er_is_far_below_the_tier(demo, designed):
    account = _account(designed)
    assert account.followers == designed.followers
    assert _er_ratio(account) < 0.4


@pytest.mark.parametrize(
    "designed",
    [a for a in SUSPICIOUS_ACCOUNTS if ER_FAR_ABOVE_TIER in a.signals],
    ids=lambda a: a.handle,
)
def test_given_an_engagement_pod_then_er_is_far_above_and_comments_are_generic(demo, designed):
    account = _account(designed)
    assert _er_ratio(account) > 2.0
    assert GENERIC_COMMENTS in designed.signals
    assert _generic_share(account) > 0.6


@pytest.mark.parametrize(
    "designed",
    [a for a in SUSPICIOUS_ACCOUNTS if {FOLLOWER_SPIKE, FOLLOWER_DROP} & set(a.signals)],
    ids=lambda a: a.handle,
)
def test_given_a_spike_or_drop_then_it_shows_on_its_labelled_day(demo, designed):
    changes = _daily_changes(_account(designed))
    for event in designed.events:
        day = event.date(END.date())
        assert changes[day] == pytest.approx(event.change, abs=0.001)
    # and no other day moves by more than 1 %
    others = [
        c for d, c in changes.items() if d not in {e.date(END.date()) for e in designed.events}
    ]
    assert max(abs(c) for c in others) < 0.01


@pytest.mark.parametrize(
    "designed",
    [a for a in SUSPICIOUS_ACCOUNTS if FAKE_AUDIENCE in a.signals],
    ids=lambda a: a.handle,
)
def test_given_bought_followers_then_the_follower_sample_is_largely_fake(demo, designed):
    assert _fake_share(_account(designed)) > 0.3


@pytest.mark.parametrize("designed", CONTROL_ACCOUNTS, ids=lambda a: a.handle)
def test_given_a_clean_control_then_no_trait_is_present(demo, designed):
    account = _account(designed)
    assert 0.5 < _er_ratio(account) < 2.0
    assert max(abs(c) for c in _daily_changes(account).values()) < 0.01
    assert _generic_share(account) < 0.5
    assert _fake_share(account) < 0.2


def test_given_random_creators_then_none_looks_suspicious(demo):
    # every account that is not designed stays within normal ER and growth
    designed = {(a.platform, a.handle) for a in SUSPICIOUS_ACCOUNTS + CONTROL_ACCOUNTS}
    normal = [a for a in SocialAccount.objects.all() if (a.platform, a.handle) not in designed]
    assert len(normal) >= 23
    for account in normal:
        assert 0.4 < _er_ratio(account) < 2.5, account.handle
        assert max(abs(c) for c in _daily_changes(account).values()) < 0.02, account.handle
