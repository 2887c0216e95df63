"""Deals API: create with workspace checks, one per campaign and creator, stage moves."""

from __future__ import annotations

import pytest

from infludesk.campaigns.models import Deal
from tests.factories import (
    CampaignFactory,
    CreatorFactory,
    DealFactory,
    SocialAccountFactory,
    WaveFactory,
)

pytestmark = pytest.mark.django_db


def test_when_creating_a_deal_then_201_with_money_as_strings(owner_api, workspace):
    campaign = CampaignFactory(workspace=workspace, currency="EUR")
    creator = CreatorFactory(workspace=workspace)
    account = SocialAccountFactory(creator=creator)
    wave = WaveFactory(campaign=campaign)
    response = owner_api.post(
        "/deals",
        {
            "campaign_id": campaign.pk,
            "creator_id": creator.pk,
            "account_id": account.pk,
            "wave_id": wave.pk,
            "fee_cash": "1200",
            "commission_pct": 7.5,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert {
        k: body[k]
        for k in ("stage", "fee_cash", "product_value", "commission_pct", "currency", "wave_id")
    } == {
        "stage": "prospect",
        "fee_cash": "1200.00",
        "product_value": "0.00",
        "commission_pct": "7.50",
        "currency": "EUR",
        "wave_id": wave.pk,
    }
    assert Deal.objects.get(pk=body["id"]).account == account


def test_given_an_existing_deal_when_adding_the_creator_again_then_422_naming_creator_id(
    owner_api, workspace
):
    deal = DealFactory(campaign__workspace=workspace)
    response = owner_api.post(
        "/deals", {"campaign_id": deal.campaign_id, "creator_id": deal.creator_id}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["creator_id"]
    assert Deal.objects.count() == 1


def test_given_a_missing_campaign_when_creating_then_422_naming_campaign_id(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.post("/deals", {"campaign_id": 99999, "creator_id": creator.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "campaign_id", "message": "No campaign with id 99999 in this workspace."}
    ]


def test_given_an_account_of_another_creator_when_creating_then_422_naming_account_id(
    owner_api, workspace
):
    campaign = CampaignFactory(workspace=workspace)
    creator = CreatorFactory(workspace=workspace)
    stranger = SocialAccountFactory(creator__workspace=workspace)
    response = owner_api.post(
        "/deals",
        {"campaign_id": campaign.pk, "creator_id": creator.pk, "account_id": stranger.pk},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["account_id"]


def test_given_commission_over_100_when_creating_then_422_naming_commission_pct(
    owner_api, workspace
):
    campaign = CampaignFactory(workspace=workspace)
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/deals", {"campaign_id": campaign.pk, "creator_id": creator.pk, "commission_pct": 150}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["commission_pct"]


def test_when_patching_the_stage_then_it_moves_and_is_stamped(owner_api, workspace):
    deal = DealFactory(campaign__workspace=workspace)
    response = owner_api.patch(f"/deals/{deal.pk}", {"stage": "contracted"})
    assert response.status_code == 200
    assert response.json()["stage"] == "contracted"
    assert response.json()["stage_changed_at"] is not None


def test_when_patching_wave_to_null_then_the_wave_is_cleared(owner_api, workspace):
    wave = WaveFactory(campaign__workspace=workspace)
    deal = DealFactory(campaign=wave.campaign, wave=wave)
    response = owner_api.patch(f"/deals/{deal.pk}", {"wave_id": None})
    assert (response.status_code, response.json()["wave_id"]) == (200, None)


def test_given_campaign_id_and_stage_when_listing_then_only_matching_deals(owner_api, workspace):
    campaign = CampaignFactory(workspace=workspace)
    wanted = DealFactory(campaign=campaign, stage="live")
    DealFactory(campaign=campaign, stage="paid")
    DealFactory(campaign__workspace=workspace, stage="live")
    body = owner_api.get("/deals", campaign_id=campaign.pk, stage="live").json()
    assert [d["id"] for d in body["items"]] == [wanted.pk]


def test_given_campaign_id_in_the_body_when_patching_then_422_extra_field(owner_api, workspace):
    deal = DealFactory(campaign__workspace=workspace)
    response = owner_api.patch(f"/deals/{deal.pk}", {"campaign_id": deal.campaign_id})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["campaign_id"]


def test_when_deleting_a_deal_then_204_and_gone(owner_api, workspace):
    deal = DealFactory(campaign__workspace=workspace)
    assert owner_api.delete(f"/deals/{deal.pk}").status_code == 204
    assert not Deal.objects.filter(pk=deal.pk).exists()
