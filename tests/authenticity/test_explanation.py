"""The explained authenticity score on its page and over the API: every signal with value,
benchmark, deduction and evidence, the confidence, the spike dates on the chart; rescoring
is audited, viewers cannot rescore, other workspaces get 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from infludesk.authenticity import services
from infludesk.core.models import AuditEntry
from tests.api.conftest import ApiClient, token_for
from tests.factories import AccountSnapshotFactory, PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
END = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)


def spiky_account(workspace):
    """150,000 followers, 150 likes and 2 comments a post (the docs' example), 30 daily
    snapshots growing 20 a day with one day of +9,000 on 2026-10-20."""
    account = SocialAccountFactory(
        creator__workspace=workspace, followers=150_000, following=300, handle="boughtit"
    )
    for i in range(12):
        PostFactory(
            account=account, posted_at=END - dt.timedelta(days=3 * i), likes=150, comments=2
        )
    followers = 140_000
    for d in range(30):
        day = END - dt.timedelta(days=29 - d)
        followers += 9_000 if day.date() == dt.date(2026, 10, 20) else 20 + (d % 3) * 4
        AccountSnapshotFactory(account=account, taken_at=day, followers=followers)
    return account


@pytest.fixture
def scored(workspace):
    account = spiky_account(workspace)
    services.account_score_authenticity(workspace=workspace, account=account)
    account.refresh_from_db()
    return account


def test_given_scored_account_when_page_then_signals_confidence_and_spike_date(
    viewer_client, scored
):
    response = viewer_client.get(f"/authenticity/accounts/{scored.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    explained = response.context["explained"]
    # then the page states the stored score and every one of the 7 signals
    assert f'<span id="auth-score">{scored.authenticity_score}</span>' in html
    assert html.count('<tr class="signal-') == 7
    assert 'id="signal-engagement"' in html and "low_engagement" in html
    assert "Spike on 2026-10-20: 9000 followers" in html
    assert explained.spikes == [
        {"date": "2026-10-20", "change": 9000, "z": explained.spikes[0]["z"]}
    ]
    # and the chart carries the spike as a marker on that date at that day's followers
    figure = response.context["chart"]
    spike_trace = figure["data"][1]
    assert (spike_trace["name"], spike_trace["x"]) == ("Spike", ["2026-10-20"])
    # 140,000 + 17 days of 20 + (d % 3) x 4 (= 404) + 9,000 on the 18th snapshot
    assert spike_trace["y"] == [149_404] == [figure["data"][0]["y"][17]]
    assert json.dumps(figure)  # serialisable for json_script


def test_given_history_when_page_then_posting_frequency_growth_and_er_vs_benchmark(
    viewer_client, workspace
):
    # given 12 posts 3 days apart (33 days: 11 / (33 / 7) = 2.33 a week) and the spiky history
    account = spiky_account(workspace)
    account.engagement_rate = "0.1000"
    account.save()
    figures = viewer_client.get(f"/authenticity/accounts/{account.pk}/").context["figures"]
    # 7 days: latest 149,692 (1 Nov) vs 149,520 (25 Oct) -> 172 / 149,520 = +0.115%;
    # 30 and 90 days: no snapshot that old (the oldest is 3 Oct) -> None
    assert figures == {
        "posts_per_week": 2.33,
        "growth_weekly_pct": 0.12,
        "growth_30d_pct": None,
        "growth_90d_pct": None,
        "engagement_rate": 0.1,
        "er_benchmark": 1.5,
        "er_vs_benchmark": 0.07,
    }


def test_given_unscored_account_when_page_then_says_not_scored(viewer_client, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    html = viewer_client.get(f"/authenticity/accounts/{account.pk}/").content.decode()
    assert 'id="not-scored"' in html
    assert 'id="rescore"' not in html  # a viewer has no button


def test_given_manager_when_rescoring_then_scored_and_audited(manager_client, manager, workspace):
    account = spiky_account(workspace)
    response = manager_client.post(f"/authenticity/accounts/{account.pk}/score/")
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.authenticity_score is not None
    entry = AuditEntry.objects.get(workspace=workspace, action="account.score_authenticity")
    assert entry.actor == manager


def test_given_viewer_when_rescoring_then_403_and_nothing_changes(viewer_client, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    response = viewer_client.post(f"/authenticity/accounts/{account.pk}/score/")
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.authenticity_score is None


def test_given_other_workspace_account_when_page_or_rescore_then_404(owner_client, other_workspace):
    stranger = spiky_account(other_workspace)
    assert owner_client.get(f"/authenticity/accounts/{stranger.pk}/").status_code == 404
    assert owner_client.post(f"/authenticity/accounts/{stranger.pk}/score/").status_code == 404
    stranger.refresh_from_db()
    assert stranger.authenticity_score is None


# ------------------------------------------------------------ API


def test_given_scored_account_when_api_then_explanation(viewer, scored):
    response = ApiClient(token_for(viewer)).get(f"/social-accounts/{scored.pk}/authenticity")
    assert response.status_code == 200
    body = response.json()
    assert (body["account_id"], body["scored"], body["score"]) == (
        scored.pk,
        True,
        scored.authenticity_score,
    )
    assert body["verdict"] == "suspicious"
    assert "low_engagement" in body["reasons"] and "growth_spike" in body["reasons"]
    assert [s["key"] for s in body["signals"]] == [
        "engagement",
        "follow_ratio",
        "growth",
        "likes_comments",
        "views_likes",
        "comment_quality",
        "audience",
    ]
    assert [s["date"] for s in body["spikes"]] == ["2026-10-20"]
    assert body["audience"] is None  # no follower sample
    assert (body["figures"]["posts_per_week"], body["figures"]["growth_weekly_pct"]) == (2.33, 0.12)


def test_given_unscored_account_when_api_then_scored_false(viewer, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    body = ApiClient(token_for(viewer)).get(f"/social-accounts/{account.pk}/authenticity").json()
    assert (body["scored"], body["score"], body["signals"]) == (False, None, [])


def test_given_manager_when_api_rescore_then_scored_and_audited(manager, workspace):
    account = spiky_account(workspace)
    response = ApiClient(token_for(manager)).post(f"/social-accounts/{account.pk}/authenticity", {})
    assert response.status_code == 200
    assert response.json()["scored"] is True
    assert AuditEntry.objects.filter(action="account.score_authenticity").count() == 1


def test_given_viewer_when_api_rescore_then_403(viewer, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    response = ApiClient(token_for(viewer)).post(f"/social-accounts/{account.pk}/authenticity", {})
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.authenticity_score is None


def test_given_other_workspace_account_when_api_then_404(owner, other_workspace):
    stranger = spiky_account(other_workspace)
    api = ApiClient(token_for(owner))
    assert api.get(f"/social-accounts/{stranger.pk}/authenticity").status_code == 404
    assert api.post(f"/social-accounts/{stranger.pk}/authenticity", {}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.authenticity_score is None


def test_given_creator_page_when_rendered_then_score_links_to_its_explanation(
    viewer_client, scored
):
    html = viewer_client.get(f"/creators/{scored.creator_id}/").content.decode()
    assert f'<a href="/authenticity/accounts/{scored.pk}/" title="Why this score">' in html


# ------------------------------------------------------------ follower-sample import (API)


def _followers(fakes: int, real: int) -> list[dict]:
    fake = {"followers": 3, "following": 4_000, "posts": 0, "has_profile_pic": False,
            "bio_length": 0}  # fmt: skip
    person = {"followers": 450, "following": 380, "posts": 140, "has_profile_pic": True,
              "bio_length": 60}  # fmt: skip
    return [{"handle": f"xq{9_000_000 + i}", **fake} for i in range(fakes)] + [
        {"handle": f"hiker.sam{i}", **person} for i in range(real)
    ]


def test_given_a_sample_when_imported_then_classified_and_the_audience_signal_reads_it(
    manager, workspace
):
    account = spiky_account(workspace)
    api = ApiClient(token_for(manager))
    response = api.post(
        f"/social-accounts/{account.pk}/follower-sample", {"followers": _followers(60, 40)}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["deleted"], body["sample_size"]) == (
        100,
        0,
        0,
        100,
    )
    assert body["level"] == "strong_warning"  # well under 75% real
    assert account.follower_sample.filter(fake_probability__isnull=True).count() == 0
    entry = AuditEntry.objects.get(action="follower_sample.import")
    assert entry.changes["created"] == [None, 100]
    # when scored, the audience signal is flagged from this sample
    scored = api.post(f"/social-accounts/{account.pk}/authenticity", {}).json()
    audience = next(s for s in scored["signals"] if s["key"] == "audience")
    assert (audience["status"], audience["reason"]) == ("flag", "fake_audience")
    assert scored["audience"]["sample_size"] == 100


def test_given_a_second_sample_when_replacing_then_upserted_and_old_rows_dropped(owner, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    api = ApiClient(token_for(owner))
    api.post(f"/social-accounts/{account.pk}/follower-sample", {"followers": _followers(2, 2)})
    second = _followers(0, 3)  # hiker.sam0-2: two known, one new; xq rows dropped
    body = api.post(
        f"/social-accounts/{account.pk}/follower-sample", {"followers": second, "replace": True}
    ).json()
    assert (body["created"], body["updated"], body["deleted"], body["sample_size"]) == (
        1,
        2,
        2,
        3,
    )


@pytest.mark.parametrize(
    ("followers", "message"),
    [
        ([{"handle": "a", "followers": 1, "following": 1, "posts": 1, "has_profile_pic": True},
          {"handle": "@A", "followers": 1, "following": 1, "posts": 1, "has_profile_pic": True}],
         "Handle given twice: a."),
        ([{"handle": "@", "followers": 1, "following": 1, "posts": 1, "has_profile_pic": True}],
         "Every follower needs a handle."),
    ],
)  # fmt: skip
def test_given_bad_sample_when_imported_then_422_and_nothing_stored(
    owner, workspace, followers, message
):
    account = SocialAccountFactory(creator__workspace=workspace)
    response = ApiClient(token_for(owner)).post(
        f"/social-accounts/{account.pk}/follower-sample", {"followers": followers}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "followers", "message": message}]
    assert account.follower_sample.count() == 0


def test_given_a_negative_count_when_imported_then_422(owner, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    row = {"handle": "a", "followers": -1, "following": 1, "posts": 1, "has_profile_pic": True}
    response = ApiClient(token_for(owner)).post(
        f"/social-accounts/{account.pk}/follower-sample", {"followers": [row]}
    )
    assert response.status_code == 422
    assert account.follower_sample.count() == 0


def test_given_viewer_or_other_workspace_when_importing_then_403_or_404(
    viewer, owner, workspace, other_workspace
):
    mine = SocialAccountFactory(creator__workspace=workspace)
    stranger = SocialAccountFactory(creator__workspace=other_workspace)
    body = {"followers": _followers(1, 1)}
    viewer_api, owner_api = ApiClient(token_for(viewer)), ApiClient(token_for(owner))
    assert viewer_api.post(f"/social-accounts/{mine.pk}/follower-sample", body).status_code == 403
    assert (
        owner_api.post(f"/social-accounts/{stranger.pk}/follower-sample", body).status_code == 404
    )
    assert mine.follower_sample.count() == stranger.follower_sample.count() == 0
