"""Insight KPIs on a campaign's progress: sentiment of the live posts' comments (imported with
the creators' comments file) and survey answers, each with n and a 95% interval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from infludesk.analytics.progress import campaign_actuals, goal_progress
from infludesk.campaigns import surveys
from infludesk.campaigns.posts import live_post_link
from infludesk.creators.models import PostComment
from tests.creators.import_helpers import counts, run_import
from tests.factories import CampaignFactory, DealFactory, GoalFactory, SocialAccountFactory

D = Decimal
LOVE, HATE, ASK = "Love it! 😍", "I hate this", "Where can I buy this?"


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, objective="insight")


@pytest.fixture
def live(campaign, owner):
    """An Instagram account with one live post of the campaign (linked by its URL)."""
    account = SocialAccountFactory(workspace=campaign.workspace, handle="maya.trails")
    deal = DealFactory(
        workspace=campaign.workspace,
        campaign=campaign,
        creator=account.creator,
        account=account,
        stage="live",
    )
    live_post_link(deal=deal, by=owner, url="https://www.instagram.com/p/LIVE1/", caption="#ad")
    return account


def comments_csv(texts: list[str], post_id: str = "LIVE1") -> str:
    lines = ["platform,handle,post id,comment id,text"]
    lines += [f"instagram,maya.trails,{post_id},c{n},{t}" for n, t in enumerate(texts)]
    return "\n".join(lines) + "\n"


def test_given_40_imported_comments_then_net_sentiment_with_n_and_interval(
    workspace, campaign, live
):
    # given 24 positive, 8 negative and 8 neutral comments imported with the comments file
    job = run_import(
        workspace,
        comments_csv([LOVE] * 24 + [HATE] * 8 + [ASK] * 8),
        kind="comments",
        filename="comments.csv",
    )
    assert counts(job) == (40, 0, 0, 0)
    # when
    actuals = campaign_actuals(campaign=campaign)
    # then net = (24 - 8) / 40 = 0.4; s^2 = 0.8 - 0.16 = 0.64; SE = sqrt(0.016) = 0.12649;
    # half = 1.96 x 0.12649 = 0.24792
    assert actuals.values["sentiment"] == D("0.400")
    assert actuals.notes["sentiment"] == (
        "share positive - share negative of n = 40 comments (VADER); 95% CI 0.152 to 0.648; "
        "24 positive, 8 neutral, 8 negative"
    )


def test_given_comments_elsewhere_then_only_the_live_posts_comments_count(
    workspace, other_workspace, campaign, live
):
    # given 30 comments on the live post, and hateful ones on another post and workspace
    run_import(workspace, comments_csv([LOVE] * 30), kind="comments", filename="c.csv")
    other_post = live.posts.create(
        workspace=workspace, platform_post_id="OLD", posted_at=live.created_at
    )
    theirs = SocialAccountFactory(workspace=other_workspace).posts.create(
        workspace=other_workspace, platform_post_id="LIVE1", posted_at=live.created_at
    )
    for n, post in enumerate([other_post, theirs] * 20):
        PostComment.objects.create(
            workspace=post.workspace, post=post, external_id=f"x{n}", text=HATE
        )
    # then
    actuals = campaign_actuals(campaign=campaign)
    assert actuals.values["sentiment"] == D("1.000")
    assert actuals.notes["sentiment"].startswith("share positive - share negative of n = 30 ")


def test_given_29_comments_then_not_enough_comments(workspace, campaign, live):
    run_import(workspace, comments_csv([LOVE] * 29), kind="comments", filename="c.csv")
    GoalFactory(
        workspace=workspace,
        campaign=campaign,
        metric="sentiment",
        target=D("0.3"),
        deadline=dt.date(2026, 12, 1),
    )
    [row] = goal_progress(campaign=campaign)
    assert (row.actual, row.status) == (None, "no_data")
    assert row.note == (
        "not enough comments: 29 on the live posts, 30 needed (import them with the comments "
        "file under Creators > Import, or sync the accounts)"
    )


def test_given_a_sentiment_goal_then_progress_against_it(workspace, campaign, live):
    run_import(workspace, comments_csv([LOVE] * 24 + [HATE] * 8 + [ASK] * 8), kind="comments")
    GoalFactory(
        workspace=workspace,
        campaign=campaign,
        metric="sentiment",
        target=D("0.5"),
        deadline=dt.date(2026, 12, 1),
    )
    [row] = goal_progress(campaign=campaign)
    assert (row.actual, row.pct_of_target, row.status) == (D("0.400"), D("80.0"), "behind")


def test_given_survey_answers_then_their_count_and_mean_score_with_interval(
    workspace, campaign, owner
):
    # given five scored answers and one in words only
    for ref, score in zip("abcde", [4, 5, 3, 4, 4], strict=True):
        surveys.survey_answer_save(
            campaign=campaign, by=owner, question="Rate the shoes", score=score, respondent_ref=ref
        )
    surveys.survey_answer_save(campaign=campaign, by=owner, question="Why?", answer="Grip")
    # when
    actuals = campaign_actuals(campaign=campaign)
    # then mean 4, t(0.975, 4) x 0.31623 = 0.87799
    assert actuals.values["survey_answers"] == D(6)
    assert actuals.notes["survey_answers"] == (
        "6 answer(s); mean score 4.00 of n = 5 scored (95% CI 3.12 to 4.88)"
    )


def test_given_no_survey_answers_then_0_with_a_hint(campaign):
    actuals = campaign_actuals(campaign=campaign)
    assert actuals.values["survey_answers"] == D(0)
    assert actuals.notes["survey_answers"].startswith("no survey answers yet")


def test_given_an_insight_campaign_then_the_progress_partial_shows_both_measures(
    workspace, campaign, live, owner, owner_client
):
    run_import(workspace, comments_csv([LOVE] * 24 + [HATE] * 8 + [ASK] * 8), kind="comments")
    surveys.survey_answer_save(campaign=campaign, by=owner, question="Q", score=7)
    page = owner_client.get(f"/analytics/campaigns/{campaign.pk}/progress/").content.decode()
    assert "Sentiment: <strong>0.400</strong>, share positive - share negative of n = 40" in page
    assert "Survey answers: <strong>1</strong>, 1 answer(s); mean score 7.00 of n = 1 scored." in (
        page
    )
