"""Deals created through the API get their tracked link and discount code from the campaign's
tracking defaults: one deal, bulk add, shortlist to campaign, next wave."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.campaigns.models import Deal
from infludesk.creators.models import Shortlist, ShortlistEntry
from infludesk.tracking.defaults import campaign_tracking_save
from infludesk.tracking.models import DiscountCode, TrackedLink
from tests.factories import CampaignFactory, CreatorFactory, DealFactory, WaveFactory

LANDING = "https://shop.example.com/products/trail"


@pytest.fixture
def campaign(workspace):
    campaign = CampaignFactory(workspace=workspace, slug="winter-trails")
    campaign_tracking_save(
        campaign=campaign, by=None, destination_url=LANDING, discount_value=Decimal("15")
    )
    return campaign


def _tracking(deal_ids):
    return [
        (
            list(TrackedLink.objects.filter(deal_id=pk).values_list("utm_campaign", flat=True)),
            list(DiscountCode.objects.filter(deal_id=pk).values_list("code", flat=True)),
        )
        for pk in deal_ids
    ]


def test_given_defaults_when_a_deal_is_created_by_the_api_then_it_has_a_link_and_a_code(
    workspace, campaign, owner_api
):
    creator = CreatorFactory(workspace=workspace, name="Anna Berg")
    response = owner_api.post("/deals", {"campaign_id": campaign.pk, "creator_id": creator.pk})
    assert response.status_code == 201
    assert _tracking([response.json()["id"]]) == [(["winter-trails"], ["ANNA15"])]


def test_given_defaults_when_deals_are_added_in_bulk_then_each_gets_its_own(
    workspace, campaign, owner_api
):
    ids = [CreatorFactory(workspace=workspace, name=n).pk for n in ("Anna B", "Anna C", "Ben D")]
    response = owner_api.post(f"/campaigns/{campaign.pk}/deals/bulk", {"creator_ids": ids})
    assert response.status_code == 201
    assert _tracking(response.json()["added"]) == [
        (["winter-trails"], ["ANNA15"]),
        (["winter-trails"], ["ANNA15-2"]),
        (["winter-trails"], ["BEN15"]),
    ]


def test_given_defaults_when_a_shortlist_goes_to_the_campaign_then_its_deals_get_both(
    workspace, campaign, owner_api
):
    shortlist = Shortlist.objects.create(workspace=workspace, name="Runners")
    ShortlistEntry.objects.create(
        workspace=workspace,
        shortlist=shortlist,
        creator=CreatorFactory(workspace=workspace, name="Cleo X"),
    )
    response = owner_api.post(
        f"/shortlists/{shortlist.pk}/to-campaign", {"campaign_id": campaign.pk}
    )
    assert response.status_code == 200
    assert _tracking(response.json()["added_deal_ids"]) == [(["winter-trails"], ["CLEO15"])]


def test_given_defaults_when_the_next_wave_starts_by_the_api_then_its_deals_get_both(
    workspace, campaign, owner_api
):
    wave = WaveFactory(workspace=workspace, campaign=campaign, number=1)
    creator = CreatorFactory(workspace=workspace, name="Dana K")
    DealFactory(workspace=workspace, campaign=campaign, wave=wave, creator=creator)

    response = owner_api.post(f"/waves/{wave.pk}/next", {"keep_creator_ids": [creator.pk]})

    assert response.status_code == 201
    new = Deal.objects.get(wave_id=response.json()["id"])
    assert _tracking([new.pk]) == [(["winter-trails"], ["DANA15-2"])]


def test_given_a_refused_api_create_then_no_link_or_code_is_left(
    workspace, campaign, owner_api, viewer_api
):
    creator = CreatorFactory(workspace=workspace, name="Eva L")
    DealFactory(workspace=workspace, campaign=campaign, creator=creator)  # it got EVA15 and a link
    before = (TrackedLink.objects.count(), DiscountCode.objects.count())

    clash = owner_api.post("/deals", {"campaign_id": campaign.pk, "creator_id": creator.pk})
    refused = viewer_api.post(
        "/deals",
        {"campaign_id": campaign.pk, "creator_id": CreatorFactory(workspace=workspace).pk},
    )

    assert (clash.status_code, refused.status_code) == (422, 403)
    assert (TrackedLink.objects.count(), DiscountCode.objects.count()) == before == (1, 1)
