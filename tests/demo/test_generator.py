"""The demo generator: deterministic, idempotent, every stage, labelled suspicious accounts."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infludesk.campaigns.models import Deal, Stage
from infludesk.core.models import Member, User, Workspace
from infludesk.creators.models import (
    AccountSnapshot,
    Creator,
    FollowerSample,
    Post,
    PostComment,
    SocialAccount,
)
from infludesk.creators.stats import account_stats_recompute
from infludesk.demo.generator import DEMO_EMAIL, DEMO_PASSWORD, demo_generate
from infludesk.tracking.models import Click, Conversion, DiscountCode, Order, TrackedLink

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
MODELS = (
    Workspace, Member, Creator, SocialAccount, AccountSnapshot, Post, PostComment, FollowerSample,
    Deal, TrackedLink, DiscountCode, Click, Order, Conversion,
)  # fmt: skip


def _generate(creators: int = 40, seed: int = 7, **kwargs):
    return demo_generate(creators=creators, seed=seed, end=END, **kwargs)


def _row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _accounts() -> list[tuple[str, str, int]]:
    return list(SocialAccount.objects.order_by("id").values_list("platform", "handle", "followers"))


def test_given_the_same_seed_when_rebuilt_then_handles_and_counts_are_identical():
    # given a first build
    first = _generate()
    accounts, slugs = _accounts(), list(TrackedLink.objects.order_by("id").values_list("slug"))
    # when rebuilt from scratch with the same seed
    second = _generate(reset=True)
    # then every handle, follower count, slug and table size is the same
    assert (first.created, second.created) == (True, True)
    assert second.counts == first.counts
    assert _accounts() == accounts
    assert list(TrackedLink.objects.order_by("id").values_list("slug")) == slugs


def test_given_another_seed_when_rebuilt_then_random_creators_differ():
    _generate(seed=7)
    accounts = _accounts()
    _generate(seed=8, reset=True)
    # the designed accounts (first 17) keep their handles, the random ones change
    assert _accounts()[:17] == accounts[:17] or _accounts()[0][1] == accounts[0][1]
    assert [a[1] for a in _accounts()[17:]] != [a[1] for a in accounts[17:]]


def test_given_a_loaded_demo_when_run_again_then_nothing_is_duplicated():
    # given
    _generate()
    before = _row_counts()
    # when
    again = _generate()
    # then
    assert again.created is False
    assert _row_counts() == before
    assert before["Workspace"] == 1


def test_given_the_demo_then_one_owner_can_sign_in_with_the_printed_password():
    result = _generate()
    member = Member.objects.get(workspace=result.workspace)
    assert (member.user.email, member.role) == (DEMO_EMAIL, "owner")
    assert User.objects.get(email=DEMO_EMAIL).check_password(DEMO_PASSWORD) is True
    assert (result.workspace.slug, result.workspace.name, result.workspace.currency) == (
        "demo",
        "Northwind Outdoor",
        "USD",
    )


def test_given_the_demo_then_every_pipeline_stage_has_a_deal():
    _generate()
    assert set(Deal.objects.values_list("stage", flat=True)) == set(Stage.values)


def test_given_the_demo_then_campaigns_are_active_completed_and_draft():
    result = _generate()
    assert result.counts["campaigns"] == 3
    from infludesk.campaigns.models import Campaign

    assert sorted(Campaign.objects.values_list("status", flat=True)) == [
        "active",
        "completed",
        "draft",
    ]


@pytest.mark.parametrize("creators", [25, 60])
def test_given_n_creators_when_generated_then_n_creators_with_90_daily_snapshots(creators):
    result = _generate(creators=creators)
    accounts = SocialAccount.objects.count()
    assert Creator.objects.count() == creators == result.counts["creators"]
    assert creators <= accounts < 2 * creators
    assert AccountSnapshot.objects.count() == accounts * 90


def test_given_generation_then_queries_are_batched_not_per_row():
    # when 60 creators (thousands of rows) are generated
    with CaptureQueriesContext(connection) as queries:
        result = _generate(creators=60)
    rows = sum(result.counts.values())
    # then a bounded number of statements does it
    assert rows > 8_000
    # (a fixed number per table: tracking defaults, live posts, captions, feedback included)
    assert len(queries) < 100


def test_given_the_generated_stats_when_recomputed_by_the_service_then_nothing_changes():
    result = _generate()
    fields = ("tier", "engagement_rate", "avg_likes", "avg_comments", "avg_views", "growth_30d_pct")
    before = list(SocialAccount.objects.order_by("id").values_list(*fields))
    account_stats_recompute(
        workspace=result.workspace, account_ids=SocialAccount.objects.values_list("id", flat=True)
    )
    after = list(SocialAccount.objects.order_by("id").values_list(*fields))
    assert after == before


def test_given_the_demo_then_links_and_click_ids_are_url_safe_and_orders_carry_them():
    _generate()
    assert all(
        re.fullmatch(r"[A-Za-z0-9]{8}", s)
        for s in TrackedLink.objects.values_list("slug", flat=True)
    )
    assert all(
        re.fullmatch(r"[A-Za-z0-9]{16}", c)
        for c in Click.objects.values_list("click_id", flat=True)
    )
    with_click = Order.objects.exclude(click_id="")
    assert with_click.count() > 0
    for order in with_click:
        assert parse_qs(urlparse(order.landing_url).query)["ifd_click"] == [order.click_id]
        assert Click.objects.filter(click_id=order.click_id, is_bot=False).exists()


def test_given_the_demo_then_orders_cover_codes_clicks_refunds_and_cancellations():
    _generate()
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {"paid", "refunded", "cancelled"} <= statuses
    assert Order.objects.filter(source="shopify").count() == Order.objects.count()
    assert Order.objects.exclude(discount_codes=[]).exists()
    assert Conversion.objects.filter(matched_by="code").exists()
    assert Conversion.objects.filter(matched_by="click").exists()
    for conversion in Conversion.objects.filter(matched_by="click").select_related("click__link"):
        assert conversion.click.link.deal_id == conversion.deal_id
    assert Click.objects.filter(is_bot=True, is_unique=False).exists()
    assert Click.objects.filter(is_bot=False, is_unique=False).exists()


def test_given_the_demo_then_each_deal_has_one_link_and_one_code():
    _generate()
    deals = Deal.objects.count()
    assert TrackedLink.objects.exclude(deal=None).values("deal").distinct().count() == deals
    assert DiscountCode.objects.exclude(deal=None).values("deal").distinct().count() == deals


def test_given_too_few_creators_then_a_clear_error():
    with pytest.raises(ValueError, match="--creators must be at least 20"):
        _generate(creators=5)
