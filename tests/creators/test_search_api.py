"""Creator search and saved searches over the API: results, cursor, count, errors, roles,
workspace isolation and the number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.creators.models import SavedSearch
from tests.api.conftest import ApiClient, token_for
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def _account(workspace, handle: str, **fields):
    creator = CreatorFactory(workspace=workspace)
    return SocialAccountFactory(creator=creator, handle=handle, **fields)


def _handles(response) -> list[str]:
    return [item["handle"] for item in response.json()["items"]]


def test_given_accounts_when_searching_by_tier_sorted_by_er_then_best_er_first(
    owner_api, workspace
):
    _account(workspace, "low", followers=20_000, engagement_rate=Decimal("1.5"))
    _account(workspace, "high", followers=30_000, engagement_rate=Decimal("4.5"))
    _account(workspace, "nano", followers=2_000, engagement_rate=Decimal("9.0"))

    response = owner_api.get("/creators/search", tier="micro", sort="engagement_rate")

    assert response.status_code == 200
    body = response.json()
    assert _handles(response) == ["high", "low"]
    assert body["items"][0]["engagement_rate"] == "4.5000"
    assert (body["count"], body["count_capped"], body["count_label"]) == (2, False, "2")
    assert body["next_cursor"] is None


def test_given_three_accounts_when_paging_by_two_then_cursor_gives_the_rest(owner_api, workspace):
    for i, followers in enumerate([5_000, 7_000, 9_000]):
        _account(workspace, f"acct{i}", followers=followers)

    first = owner_api.get("/creators/search", limit=2).json()
    second = owner_api.get("/creators/search", limit=2, after=first["next_cursor"]).json()

    assert [i["handle"] for i in first["items"]] == ["acct2", "acct1"]
    assert [i["handle"] for i in second["items"]] == ["acct0"]
    assert second["next_cursor"] is None
    assert second["count"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tier": "giant"}, "tier"),
        ({"followers_min": "-5"}, "followers_min"),
        ({"er_min": "abc"}, "er_min"),
        ({"authenticity_min": "101"}, "authenticity_min"),
        ({"sort": "likes"}, "sort"),
        ({"order": "sideways"}, "order"),
        ({"country": "USA"}, "country"),
        ({"limit": "0"}, "limit"),
        ({"growth_min": "nan"}, "growth_min"),
        ({"after": "not-a-cursor"}, "after"),
        ({"similar_to": "999999"}, "similar_to"),
    ],
)
def test_given_a_bad_value_when_searching_then_422_names_the_field(
    owner_api, workspace, params, field
):
    response = owner_api.get("/creators/search", **params)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_given_min_above_max_when_searching_then_422(owner_api, workspace):
    response = owner_api.get("/creators/search", followers_min=10, followers_max=5)

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "followers_min is above followers_max."


def test_given_a_cursor_of_another_sort_when_searching_then_422(owner_api, workspace):
    for i in range(3):
        _account(workspace, f"acct{i}", followers=5_000 + i)
    cursor = owner_api.get("/creators/search", limit=1).json()["next_cursor"]

    response = owner_api.get("/creators/search", sort="handle", after=cursor)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "after", "message": "The cursor belongs to another sort order."}
    ]


def test_given_another_workspace_when_searching_then_only_own_accounts(
    owner_api, other_api, workspace, other_workspace
):
    _account(workspace, "mine")
    _account(other_workspace, "theirs")

    assert _handles(owner_api.get("/creators/search")) == ["mine"]
    assert _handles(other_api.get("/creators/search")) == ["theirs"]


def test_given_an_account_of_another_workspace_when_similar_to_it_then_422(
    owner_api, other_workspace, workspace
):
    theirs = _account(other_workspace, "theirs")

    response = owner_api.get("/creators/search", similar_to=theirs.pk)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "similar_to"


def test_given_an_account_when_similar_to_it_then_like_accounts_without_itself(
    owner_api, workspace
):
    base = _account(workspace, "base", followers=40_000, categories=["hiking"])
    _account(workspace, "alike", followers=60_000, categories=["hiking", "travel"])
    _account(workspace, "toobig", followers=90_000, categories=["hiking"])
    _account(workspace, "othertopic", followers=40_000, categories=["food"])
    _account(workspace, "tiktok", followers=40_000, categories=["hiking"], platform="tiktok")

    response = owner_api.get("/creators/search", similar_to=base.pk)

    assert _handles(response) == ["alike"]


def test_given_40_accounts_when_searching_with_a_token_then_3_queries(
    owner_api, workspace, django_assert_num_queries
):
    for i in range(40):
        _account(workspace, f"acct{i}", followers=5_000 + i)
    owner_api.get("/creators/search")  # the first use of a token also stamps last_used_at

    with django_assert_num_queries(3):
        response = owner_api.get("/creators/search", platform="instagram", sort="followers")

    assert len(response.json()["items"]) == 40


# --- saved searches ------------------------------------------------------------------------


def test_given_a_manager_when_saving_a_search_then_it_keeps_the_filters(manager, workspace):
    api = ApiClient(token_for(manager))

    response = api.post(
        "/creators/saved-searches",
        {"name": "Micro hikers", "filters": {"tier": "micro", "category": "hiking", "er_min": "2"}},
    )

    assert response.status_code == 201
    saved = SavedSearch.objects.get(workspace=workspace)
    assert saved.name == "Micro hikers"
    assert saved.filters == {"tier": "micro", "category": "hiking", "er_min": "2"}
    assert saved.created_by == manager
    assert response.json()["filters"] == saved.filters


def test_given_a_viewer_when_searching_then_200_but_saving_is_403(viewer_api, workspace):
    assert viewer_api.get("/creators/search").status_code == 200

    response = viewer_api.post("/creators/saved-searches", {"name": "Mine"})

    assert response.status_code == 403
    assert SavedSearch.objects.count() == 0


def test_given_bad_filters_when_saving_then_422_names_the_nested_field(owner_api, workspace):
    response = owner_api.post(
        "/creators/saved-searches", {"name": "Bad", "filters": {"tier": "giant"}}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["filters.tier"]


def test_given_a_duplicate_name_when_saving_then_422(owner_api, workspace):
    owner_api.post("/creators/saved-searches", {"name": "Same"})

    response = owner_api.post("/creators/saved-searches", {"name": "Same"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_given_a_saved_search_when_renamed_and_deleted_then_changes_land(owner_api, workspace):
    saved_id = owner_api.post("/creators/saved-searches", {"name": "Old"}).json()["id"]

    renamed = owner_api.patch(f"/creators/saved-searches/{saved_id}", {"name": "New"})
    deleted = owner_api.delete(f"/creators/saved-searches/{saved_id}")

    assert renamed.json()["name"] == "New"
    assert deleted.status_code == 204
    assert SavedSearch.objects.count() == 0


def test_given_saved_searches_in_two_workspaces_then_each_sees_and_edits_only_its_own(
    owner_api, other_api, workspace, other_workspace
):
    mine = owner_api.post("/creators/saved-searches", {"name": "Mine"}).json()["id"]
    other_api.post("/creators/saved-searches", {"name": "Theirs"})

    listed = other_api.get("/creators/saved-searches").json()

    assert [s["name"] for s in listed["items"]] == ["Theirs"]
    assert other_api.get(f"/creators/saved-searches/{mine}").status_code == 404
    assert other_api.patch(f"/creators/saved-searches/{mine}", {"name": "X"}).status_code == 404
    assert other_api.delete(f"/creators/saved-searches/{mine}").status_code == 404
    assert SavedSearch.objects.get(pk=mine).name == "Mine"
