"""Social accounts API: tier kept in sync, unique handle per platform, filters."""

from __future__ import annotations

import pytest

from infludesk.creators.models import SocialAccount
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_when_creating_an_account_then_201_with_tier_from_followers(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/social-accounts",
        {"creator_id": creator.pk, "platform": "tiktok", "handle": "@ana", "followers": 12_000},
    )
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("creator_id", "platform", "handle", "followers", "tier")} == {
        "creator_id": creator.pk,
        "platform": "tiktok",
        "handle": "ana",
        "followers": 12_000,
        "tier": "micro",
    }
    assert SocialAccount.objects.get(pk=body["id"]).tier == "micro"


def test_when_patching_followers_then_tier_moves(owner_api, workspace):
    account = SocialAccountFactory(creator__workspace=workspace, followers=5_000)
    response = owner_api.patch(f"/social-accounts/{account.pk}", {"followers": 2_000_000})
    assert (response.status_code, response.json()["tier"]) == (200, "mega")


def test_given_a_taken_handle_when_creating_then_422_naming_handle(owner_api, workspace):
    SocialAccountFactory(creator__workspace=workspace, platform="youtube", handle="ana")
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/social-accounts", {"creator_id": creator.pk, "platform": "youtube", "handle": "ana"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "handle", "message": "@ana on youtube is already in this workspace."}
    ]


def test_given_unknown_platform_when_creating_then_422_naming_platform(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/social-accounts", {"creator_id": creator.pk, "platform": "myspace", "handle": "x"}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["platform"]


def test_given_negative_followers_when_creating_then_422_naming_followers(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/social-accounts",
        {"creator_id": creator.pk, "platform": "tiktok", "handle": "x", "followers": -1},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["followers"]


def test_given_filters_when_listing_then_they_combine(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace)
    SocialAccountFactory(creator=creator, platform="tiktok", handle="a", followers=50_000)
    SocialAccountFactory(creator=creator, platform="tiktok", handle="b", followers=500_000)
    SocialAccountFactory(creator__workspace=workspace, platform="tiktok", handle="c")
    SocialAccountFactory(creator=creator, platform="youtube", handle="d", followers=60_000)
    body = owner_api.get(
        "/social-accounts",
        platform="tiktok",
        tier="micro",
        followers_min=40_000,
        followers_max=55_000,
        creator_id=creator.pk,
    ).json()
    assert [a["handle"] for a in body["items"]] == ["a"]


def test_when_listing_then_biggest_accounts_come_first(owner_api, workspace):
    SocialAccountFactory(creator__workspace=workspace, handle="small", followers=10)
    SocialAccountFactory(creator__workspace=workspace, handle="big", followers=10_000)
    body = owner_api.get("/social-accounts").json()
    assert [a["handle"] for a in body["items"]] == ["big", "small"]


def test_given_unknown_tier_when_listing_then_422_naming_tier(owner_api):
    response = owner_api.get("/social-accounts", tier="giga")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["tier"]


def test_when_reading_an_account_then_engagement_rate_is_a_decimal_string(owner_api, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    body = owner_api.get(f"/social-accounts/{account.pk}").json()
    assert body["engagement_rate"] == "2.5000"


def test_when_deleting_an_account_then_204_and_gone(owner_api, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    assert owner_api.delete(f"/social-accounts/{account.pk}").status_code == 204
    assert not SocialAccount.objects.filter(pk=account.pk).exists()
