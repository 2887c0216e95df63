"""Workspace isolation on every endpoint: workspace A's token can neither see nor change
workspace B's rows, nor point its own rows at them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from infludesk.campaigns.models import Campaign, Deal
from infludesk.creators.models import Creator, SocialAccount
from tests.factories import (
    CampaignFactory,
    CreatorFactory,
    DealFactory,
    SocialAccountFactory,
    WaveFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Rows:
    creator: Creator
    account: SocialAccount
    campaign: Campaign
    wave: object
    deal: Deal


def _rows(workspace) -> Rows:
    creator = CreatorFactory(workspace=workspace, name="Theirs")
    account = SocialAccountFactory(creator=creator, handle="theirs")
    campaign = CampaignFactory(workspace=workspace, name="Their campaign")
    wave = WaveFactory(campaign=campaign)
    deal = DealFactory(campaign=campaign, creator=creator, account=account)
    return Rows(creator, account, campaign, wave, deal)


@pytest.fixture
def theirs(other_workspace) -> Rows:
    """Workspace B's rows, one of each kind."""
    return _rows(other_workspace)


@pytest.fixture
def ours(workspace) -> Rows:
    return _rows(workspace)


ITEMS = {
    "creators": ("creator", {"name": "Hijacked"}),
    "social-accounts": ("account", {"followers": 1}),
    "campaigns": ("campaign", {"name": "Hijacked"}),
    "deals": ("deal", {"stage": "paid"}),
}


@pytest.mark.parametrize("resource", ITEMS)
def test_given_a_row_of_workspace_b_when_a_reads_it_then_404(owner_api, theirs, resource):
    row = getattr(theirs, ITEMS[resource][0])
    response = owner_api.get(f"/{resource}/{row.pk}")
    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")


@pytest.mark.parametrize("resource", ITEMS)
def test_given_a_row_of_workspace_b_when_a_patches_it_then_404_and_unchanged(
    owner_api, theirs, resource
):
    attr, body = ITEMS[resource]
    row = getattr(theirs, attr)
    before = type(row).objects.filter(pk=row.pk).values().get()
    assert owner_api.patch(f"/{resource}/{row.pk}", body).status_code == 404
    assert type(row).objects.filter(pk=row.pk).values().get() == before


@pytest.mark.parametrize("resource", ["social-accounts", "deals", "campaigns", "creators"])
def test_given_a_row_of_workspace_b_when_a_deletes_it_then_404_and_kept(
    owner_api, theirs, resource
):
    row = getattr(theirs, ITEMS[resource][0])
    assert owner_api.delete(f"/{resource}/{row.pk}").status_code == 404
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("resource", ITEMS)
def test_given_rows_in_both_workspaces_when_a_lists_then_only_its_own(
    owner_api, other_api, ours, theirs, resource
):
    ours_pk = getattr(ours, ITEMS[resource][0]).pk
    for api, expected in (
        (owner_api, ours_pk),
        (other_api, getattr(theirs, ITEMS[resource][0]).pk),
    ):
        body = api.get(f"/{resource}").json()
        assert (body["count"], [r["id"] for r in body["items"]]) == (1, [expected])


@pytest.mark.parametrize(
    ("resource", "param", "attr"),
    [("social-accounts", "creator_id", "creator"), ("deals", "campaign_id", "campaign")],
)
def test_given_a_filter_on_a_row_of_workspace_b_when_a_lists_then_nothing(
    owner_api, theirs, resource, param, attr
):
    body = owner_api.get(f"/{resource}", **{param: getattr(theirs, attr).pk}).json()
    assert (body["count"], body["items"]) == (0, [])


def test_given_a_creator_of_workspace_b_when_a_adds_an_account_then_422_creator_id(
    owner_api, theirs
):
    response = owner_api.post(
        "/social-accounts", {"creator_id": theirs.creator.pk, "platform": "tiktok", "handle": "x"}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["creator_id"]
    assert SocialAccount.objects.filter(handle="x").count() == 0


def test_given_a_creator_of_workspace_b_when_a_creates_a_deal_then_422_creator_id(
    owner_api, ours, theirs
):
    response = owner_api.post(
        "/deals", {"campaign_id": ours.campaign.pk, "creator_id": theirs.creator.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "creator_id",
            "message": f"No creator with id {theirs.creator.pk} in this workspace.",
        }
    ]
    assert Deal.objects.filter(campaign=ours.campaign).count() == 1


def test_given_a_campaign_of_workspace_b_when_a_creates_a_deal_then_422_campaign_id(
    owner_api, workspace, theirs
):
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/deals", {"campaign_id": theirs.campaign.pk, "creator_id": creator.pk}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["campaign_id"]
    assert Deal.objects.filter(campaign=theirs.campaign).count() == 1


@pytest.mark.parametrize(("field", "attr"), [("wave_id", "wave"), ("account_id", "account")])
def test_given_a_wave_or_account_of_workspace_b_when_a_patches_a_deal_then_422(
    owner_api, ours, theirs, field, attr
):
    response = owner_api.patch(f"/deals/{ours.deal.pk}", {field: getattr(theirs, attr).pk})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_given_a_slug_used_in_workspace_b_when_a_creates_a_campaign_then_it_is_allowed(
    owner_api, theirs
):
    response = owner_api.post(
        "/campaigns",
        {"name": "x", "slug": theirs.campaign.slug, "objective": "insight", "type": "seeding"},
    )
    assert (response.status_code, response.json()["slug"]) == (201, theirs.campaign.slug)
