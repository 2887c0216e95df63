"""The demo fills what today's features read: captions for search, campaign tracking defaults
consistent with the deals' links and codes, live posts with comments (sentiment) and survey
answers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count

from infludesk.analytics.metrics.sentiment import compound, label
from infludesk.analytics.progress import campaign_actuals
from infludesk.campaigns.models import Campaign, Deal, DealPost, Stage, SurveyResponse
from infludesk.campaigns.services import deal_create
from infludesk.core.models import Member
from infludesk.creators.models import Creator, Post, PostComment, SocialAccount
from infludesk.creators.search import SearchFilters, creator_search
from infludesk.creators.search_texts import SEARCH_CAPTIONS, account_texts_refresh, captions_of
from infludesk.demo import feedback
from infludesk.demo.generator import demo_generate
from infludesk.tracking.defaults import campaign_tracking_fill
from infludesk.tracking.models import CampaignTracking, DiscountCode, TrackedLink

END = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
SUMMER, FALL, WINTER = (
    "summer-trail-collection",
    "fall-layering-launch",
    "winter-basecamp-ambassadors",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One generation for the read-only tests of this module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_generate(creators=40, seed=3, end=END)
        transaction.set_rollback(True)


def _campaign(slug: str) -> Campaign:
    return Campaign.objects.get(workspace__slug="demo", slug=slug)


# --- search: captions --------------------------------------------------------------------


def test_given_the_demo_then_every_account_stores_its_newest_captions_as_the_service_would(demo):
    # given the generated accounts
    ids = list(SocialAccount.objects.filter(workspace=demo.workspace).values_list("pk", flat=True))
    # when the search service recomputes the stored captions from the posts
    changed = account_texts_refresh(workspace=demo.workspace, account_ids=ids)
    # then nothing changes: every account already holds its newest captions (at most 10)
    assert changed == []
    accounts = SocialAccount.objects.filter(workspace=demo.workspace)
    assert all(1 <= len(captions_of(a)) <= SEARCH_CAPTIONS for a in accounts)


def test_given_the_demo_when_searching_a_caption_word_then_accounts_are_found(demo):
    # given the accounts whose stored captions hold the brand's hashtag (sponsored posts)
    expected = {
        a.pk
        for a in SocialAccount.objects.filter(workspace=demo.workspace)
        if any("#northwindoutdoor" in line for line in captions_of(a))
    }
    # when searching for the word
    page = creator_search(
        workspace=demo.workspace, filters=SearchFilters(text="northwindoutdoor"), limit=200
    )
    # then exactly those accounts are found (the full-text index follows the demo's captions)
    assert {a.pk for a in page.items} == expected
    assert page.count == len(expected) == 22


# --- tracking defaults -------------------------------------------------------------------


def test_given_the_demo_then_each_campaign_has_tracking_defaults_like_its_links_and_codes(demo):
    rows = {
        t.campaign.slug: t
        for t in CampaignTracking.objects.filter(workspace=demo.workspace).select_related(
            "campaign"
        )
    }
    assert set(rows) == {SUMMER, FALL, WINTER}
    fall = rows[FALL]
    assert fall.destination_url == "https://northwind-outdoor.example/products/storm-shell-jacket"
    assert (fall.utm_medium, fall.utm_campaign) == ("influencer", "")
    assert (fall.discount_kind, fall.discount_value, fall.code_pattern) == (
        "percent",
        Decimal("15.00"),
        "readable",
    )
    assert (fall.valid_from, fall.valid_until) == (
        fall.campaign.starts_on,
        fall.campaign.ends_on,
    )
    # the deals' links and codes follow the same terms
    for link in TrackedLink.objects.filter(workspace=demo.workspace).select_related(
        "deal__campaign__tracking_defaults"
    ):
        assert link.destination_url == link.deal.campaign.tracking_defaults.destination_url
    codes = DiscountCode.objects.filter(workspace=demo.workspace)
    assert {(c.kind, c.value) for c in codes} == {("percent", Decimal("15.00"))}


def test_given_the_demo_then_each_deal_has_exactly_one_link_and_one_code(demo):
    deals = Deal.objects.filter(workspace=demo.workspace)
    links = deals.annotate(n=Count("tracked_links", distinct=True)).values_list("n", flat=True)
    codes = deals.annotate(n=Count("discount_codes", distinct=True)).values_list("n", flat=True)
    assert set(links) == {1}
    assert set(codes) == {1}


@pytest.mark.django_db
def test_given_the_defaults_when_filled_or_a_deal_added_then_nothing_is_doubled():
    # given the demo
    workspace = demo_generate(creators=40, seed=3, end=END).workspace
    links, codes = TrackedLink.objects.count(), DiscountCode.objects.count()
    # when every campaign's defaults are applied again
    for campaign in Campaign.objects.filter(workspace=workspace):
        result = campaign_tracking_fill(campaign=campaign, by=None)
        # then no deal gets a second link or code
        assert (result.links, result.codes, result.problems) == ([], [], [])
    assert (TrackedLink.objects.count(), DiscountCode.objects.count()) == (links, codes)
    # when a creator without a deal is added to the active campaign
    campaign = _campaign(FALL)
    creator = Creator.objects.filter(workspace=workspace).exclude(deals__campaign=campaign).first()
    owner = Member.objects.get(workspace=workspace)
    deal = deal_create(workspace=workspace, campaign=campaign, creator=creator, by=owner)
    # then the new deal gets one link to the landing page and one 15 % code
    link = TrackedLink.objects.get(deal=deal)
    code = DiscountCode.objects.get(deal=deal)
    assert link.destination_url == "https://northwind-outdoor.example/products/storm-shell-jacket"
    assert (code.kind, code.value) == ("percent", Decimal("15.00"))
    assert code.code.upper().startswith(
        "".join(ch for ch in creator.first_name.upper() if ch.isascii() and ch.isalnum())[:4]
    )


# --- live posts and comments -------------------------------------------------------------


def test_given_the_demo_then_every_live_or_paid_deal_has_its_sponsored_post_linked(demo):
    live = Deal.objects.filter(workspace=demo.workspace, stage__in=[Stage.LIVE, Stage.PAID])
    rows = DealPost.objects.filter(workspace=demo.workspace)
    assert sorted(rows.values_list("deal_id", flat=True)) == sorted(
        live.values_list("pk", flat=True)
    )
    assert set(Post.objects.filter(deal_links__in=rows).values_list("is_sponsored", flat=True)) == {
        True
    }


def _comments_by_campaign(workspace) -> Counter[str]:
    return Counter(
        PostComment.objects.filter(workspace=workspace, post__deal_links__isnull=False).values_list(
            "post__deal_links__deal__campaign__slug", flat=True
        )
    )


def test_given_the_demo_then_each_campaign_with_live_posts_has_enough_comments(demo):
    assert _comments_by_campaign(demo.workspace) == {SUMMER: 174, FALL: 68}
    assert demo.counts["live_post_comments"] == 242


def test_the_comment_texts_score_as_their_lists_say():
    for texts, expected in (
        (feedback.POSITIVE_COMMENTS, 1),
        (feedback.NEUTRAL_COMMENTS, 0),
        (feedback.NEGATIVE_COMMENTS, -1),
    ):
        assert [label(compound(t)) for t in texts] == [expected] * len(texts), texts


def test_given_the_demo_then_sentiment_shows_with_n_and_an_interval(demo):
    for slug, n in ((SUMMER, 174), (FALL, 68)):
        actuals = campaign_actuals(campaign=_campaign(slug))
        assert actuals.values["sentiment"] is not None
        assert -1 <= actuals.values["sentiment"] <= 1
        assert f"of n = {n} comments (VADER); 95% CI " in actuals.notes["sentiment"]
    texts = set(
        PostComment.objects.filter(post__deal_links__isnull=False).values_list("text", flat=True)
    )
    pools = (feedback.POSITIVE_COMMENTS, feedback.NEUTRAL_COMMENTS, feedback.NEGATIVE_COMMENTS)
    assert all(any(texts & set(pool)) for pool in pools)  # a mix of all three
    winter = campaign_actuals(campaign=_campaign(WINTER))
    assert winter.values["sentiment"] is None


# --- survey ------------------------------------------------------------------------------


def test_given_the_demo_then_the_completed_campaign_has_40_survey_answers(demo):
    answers = SurveyResponse.objects.filter(workspace=demo.workspace)
    assert answers.count() == 40
    assert set(answers.values_list("campaign__slug", flat=True)) == {SUMMER}
    per_question = Counter(answers.values_list("question", flat=True))
    assert per_question == {q: 20 for q in feedback.SURVEY_QUESTIONS}
    assert set(answers.values_list("score", flat=True)) <= {Decimal(s) for s in range(1, 6)}
    assert answers.values("respondent_ref").distinct().count() == 20
    actuals = campaign_actuals(campaign=_campaign(SUMMER))
    assert actuals.values["survey_answers"] == Decimal(40)
    assert actuals.notes["survey_answers"].startswith("40 answer(s); mean score ")
    assert "of n = 40 scored (95% CI " in actuals.notes["survey_answers"]


@pytest.mark.django_db
def test_given_a_loaded_demo_when_run_again_then_no_new_rows():
    # given a loaded demo
    first = demo_generate(creators=40, seed=3, end=END)
    tables = (CampaignTracking, DealPost, PostComment, SurveyResponse, TrackedLink, DiscountCode)
    before = {m.__name__: m.objects.count() for m in tables}
    # when it runs again
    again = demo_generate(creators=40, seed=3, end=END)
    # then it is reused and nothing is added
    assert (first.created, again.created) == (True, False)
    assert {m.__name__: m.objects.count() for m in tables} == before
    # when rebuilt with --reset: the same rows again
    demo_generate(creators=40, seed=3, end=END, reset=True)
    assert {m.__name__: m.objects.count() for m in tables} == before
