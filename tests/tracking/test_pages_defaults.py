"""Tracking defaults on the campaign page, the fill action, the deal page hint, and the UI
paths that add deals (campaign page shortlist, shortlist page, next wave)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.campaigns.models import Deal, Wave
from infludesk.creators.models import Shortlist, ShortlistEntry
from infludesk.tracking.defaults import campaign_tracking_save
from infludesk.tracking.models import CampaignTracking, DiscountCode, TrackedLink
from tests.factories import CampaignFactory, CreatorFactory, DealFactory

LANDING = "https://shop.example.com/products/trail"
HTMX = {"HTTP_HX_REQUEST": "true"}
FORM = {
    "destination_url": LANDING,
    "utm_medium": "influencer",
    "utm_campaign": "",
    "discount_kind": "percent",
    "discount_value": "15",
    "code_pattern": "readable",
    "code_prefix": "",
    "valid_from": "",
    "valid_until": "",
}


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, name="Winter trails", slug="winter-trails")


def _creator(workspace, name):
    return CreatorFactory(workspace=workspace, name=name)


def _shortlist(workspace, *creators):
    shortlist = Shortlist.objects.create(workspace=workspace, name="Runners")
    for creator in creators:
        ShortlistEntry.objects.create(workspace=workspace, shortlist=shortlist, creator=creator)
    return shortlist


def _codes():
    return sorted(DiscountCode.objects.values_list("code", flat=True))


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# --- the campaign page ------------------------------------------------------------------------


def test_the_campaign_page_loads_the_defaults_form_from_tracking(campaign, manager_client):
    page = manager_client.get(f"/campaigns/{campaign.pk}/")
    assert f'hx-get="/tracking/campaigns/{campaign.pk}/defaults/"' in page.content.decode()
    partial = manager_client.get(f"/tracking/campaigns/{campaign.pk}/defaults/", **HTMX)
    html = partial.content.decode()
    assert partial.status_code == 200
    assert "No tracking defaults: deals of this campaign get no automatic" in html
    assert 'name="destination_url"' in html
    assert "<html" not in html  # a partial


def test_given_deals_when_defaults_are_saved_on_the_page_then_every_deal_is_filled(
    workspace, campaign, manager_client
):
    # given two deals without links or codes
    for name in ("Anna Berg", "Ben Ode"):
        DealFactory(workspace=workspace, campaign=campaign, creator=_creator(workspace, name))
    # when
    response = manager_client.post(
        f"/tracking/campaigns/{campaign.pk}/defaults/", FORM, follow=True
    )
    # then
    assert response.redirect_chain == [(f"/campaigns/{campaign.pk}/#tracking", 302)]
    assert _messages(response) == [
        "Tracking defaults saved.",
        "Created 2 tracked link(s) and 2 discount code(s) for the deals that had none.",
    ]
    assert (_codes(), TrackedLink.objects.filter(destination_url=LANDING).count()) == (
        ["ANNA15", "BEN15"],
        2,
    )
    partial = manager_client.get(f"/tracking/campaigns/{campaign.pk}/defaults/", **HTMX)
    html = partial.content.decode()
    assert "2 active deals: 0 without a tracked link, 0 without a discount code." in html
    assert "Create missing links and codes for all deals" not in html
    assert f'value="{LANDING}"' in html


def test_given_bad_input_then_400_with_the_field_errors_and_nothing_saved(campaign, manager_client):
    response = manager_client.post(
        f"/tracking/campaigns/{campaign.pk}/defaults/",
        {**FORM, "destination_url": "", "discount_value": ""},
    )
    assert response.status_code == 400
    assert (
        "Set a landing URL (for the links), a discount value (for the codes), or both."
        in response.content.decode()
    )
    bad_value = manager_client.post(
        f"/tracking/campaigns/{campaign.pk}/defaults/", {**FORM, "discount_value": "lots"}
    )
    assert (bad_value.status_code, "Enter a number." in bad_value.content.decode()) == (400, True)
    assert CampaignTracking.objects.count() == 0


def test_given_defaults_set_without_filling_when_fill_is_pressed_then_missing_ones_are_made(
    workspace, campaign, manager_client
):
    # given a deal and defaults stored without running the fill (e.g. set in the admin)
    deal = DealFactory(
        workspace=workspace, campaign=campaign, creator=_creator(workspace, "Anna B")
    )
    CampaignTracking.objects.create(
        workspace=workspace, campaign=campaign, destination_url=LANDING, discount_value=10
    )
    partial = manager_client.get(f"/tracking/campaigns/{campaign.pk}/defaults/", **HTMX)
    assert "1 active deal: 1 without a tracked link, 1 without a discount code." in (
        partial.content.decode()
    )
    # when pressed twice
    first = manager_client.post(f"/tracking/campaigns/{campaign.pk}/defaults/fill/", follow=True)
    second = manager_client.post(f"/tracking/campaigns/{campaign.pk}/defaults/fill/", follow=True)
    # then once
    assert _messages(first) == [
        "Created 1 tracked link(s) and 1 discount code(s) for the deals that had none."
    ]
    assert _messages(second) == ["Every deal already has what the defaults provide."]
    assert (TrackedLink.objects.filter(deal=deal).count(), _codes()) == (1, ["ANNA10"])


def test_given_no_defaults_when_fill_is_pressed_then_told_to_set_them(
    workspace, campaign, manager_client
):
    DealFactory(workspace=workspace, campaign=campaign)
    response = manager_client.post(f"/tracking/campaigns/{campaign.pk}/defaults/fill/", follow=True)
    assert _messages(response) == ["Set the campaign's tracking defaults first."]
    assert TrackedLink.objects.count() == 0


# --- the deal page ----------------------------------------------------------------------------


def test_given_no_defaults_then_the_deal_page_says_what_to_set(workspace, campaign, manager_client):
    deal = DealFactory(workspace=workspace, campaign=campaign)
    html = manager_client.get(f"/tracking/deals/{deal.pk}/").content.decode()
    assert "The campaign has no tracking defaults, so links and codes are not created" in html
    assert f'href="/campaigns/{campaign.pk}/#tracking"' in html
    assert "from the campaign defaults" not in html


def test_given_defaults_without_a_value_then_the_deal_page_says_codes_need_one(
    workspace, campaign, manager_client
):
    campaign_tracking_save(campaign=campaign, by=None, destination_url=LANDING)
    deal = DealFactory(workspace=workspace, campaign=campaign)
    html = manager_client.get(f"/tracking/deals/{deal.pk}/").content.decode()
    assert "have no discount value, so no code is created automatically" in html


def test_given_a_deal_missing_its_code_when_the_deal_button_is_pressed_then_it_gets_one(
    workspace, campaign, manager_client
):
    deal = DealFactory(
        workspace=workspace, campaign=campaign, creator=_creator(workspace, "Cleo X")
    )
    CampaignTracking.objects.create(workspace=workspace, campaign=campaign, discount_value=5)
    html = manager_client.get(f"/tracking/deals/{deal.pk}/").content.decode()
    assert "Create the missing link and code from the campaign defaults" in html

    response = manager_client.post(f"/tracking/deals/{deal.pk}/from-defaults/", follow=True)

    assert response.redirect_chain == [(f"/deals/{deal.pk}/", 302)]
    assert _codes() == ["CLEO5"]
    html = manager_client.get(f"/tracking/deals/{deal.pk}/").content.decode()
    assert "Create the missing link and code from the campaign defaults" not in html


# --- roles and workspaces ---------------------------------------------------------------------


def test_given_a_viewer_then_the_defaults_are_shown_but_every_write_is_403(
    workspace, campaign, viewer_client
):
    deal = DealFactory(workspace=workspace, campaign=campaign)
    CampaignTracking.objects.create(
        workspace=workspace, campaign=campaign, destination_url=LANDING, discount_value=10
    )
    html = viewer_client.get(f"/tracking/campaigns/{campaign.pk}/defaults/", **HTMX)
    assert "Every new deal gets" in html.content.decode()
    assert 'name="destination_url"' not in html.content.decode()
    assert [
        viewer_client.post(f"/tracking/campaigns/{campaign.pk}/defaults/", FORM).status_code,
        viewer_client.post(f"/tracking/campaigns/{campaign.pk}/defaults/fill/").status_code,
        viewer_client.post(f"/tracking/deals/{deal.pk}/from-defaults/").status_code,
    ] == [403, 403, 403]
    assert (TrackedLink.objects.count(), DiscountCode.objects.count()) == (0, 0)
    assert CampaignTracking.objects.get().discount_value == Decimal("10")


def test_given_another_workspaces_campaign_or_deal_then_404_and_nothing_changes(
    other_workspace, owner_client
):
    foreign = CampaignFactory(workspace=other_workspace)
    deal = DealFactory(workspace=other_workspace, campaign=foreign)
    CampaignTracking.objects.create(
        workspace=other_workspace, campaign=foreign, destination_url=LANDING, discount_value=10
    )
    assert [
        owner_client.get(f"/tracking/campaigns/{foreign.pk}/defaults/", **HTMX).status_code,
        owner_client.post(f"/tracking/campaigns/{foreign.pk}/defaults/", FORM).status_code,
        owner_client.post(f"/tracking/campaigns/{foreign.pk}/defaults/fill/").status_code,
        owner_client.post(f"/tracking/deals/{deal.pk}/from-defaults/").status_code,
    ] == [404, 404, 404, 404]
    assert (TrackedLink.objects.count(), DiscountCode.objects.count()) == (0, 0)
    assert CampaignTracking.objects.get().discount_value == Decimal("10")


# --- UI paths that create deals ---------------------------------------------------------------


def test_given_defaults_when_a_shortlist_is_added_on_the_campaign_page_then_deals_get_both(
    workspace, campaign, manager_client
):
    campaign_tracking_save(
        campaign=campaign, by=None, destination_url=LANDING, discount_value=Decimal(15)
    )
    shortlist = _shortlist(workspace, _creator(workspace, "Anna B"), _creator(workspace, "Ben O"))

    manager_client.post(
        f"/campaigns/{campaign.pk}/actions/",
        {"action": "add_shortlist", "shortlist": shortlist.pk},
    )

    assert _codes() == ["ANNA15", "BEN15"]
    assert sorted(TrackedLink.objects.values_list("deal__creator__name", flat=True)) == [
        "Anna B",
        "Ben O",
    ]


def test_given_defaults_when_added_from_the_shortlist_page_then_deals_get_both(
    workspace, campaign, manager_client
):
    campaign_tracking_save(
        campaign=campaign, by=None, destination_url=LANDING, discount_value=Decimal(15)
    )
    shortlist = _shortlist(workspace, _creator(workspace, "Dana K"))

    manager_client.post(f"/shortlists/{shortlist.pk}/to-campaign/", {"campaign": campaign.pk})

    assert (_codes(), TrackedLink.objects.filter(deal__campaign=campaign).count()) == (
        ["DANA15"],
        1,
    )


def test_given_defaults_when_the_next_wave_starts_on_the_page_then_the_new_deal_gets_both(
    workspace, campaign, manager_client
):
    campaign_tracking_save(
        campaign=campaign, by=None, destination_url=LANDING, discount_value=Decimal(15)
    )
    wave = Wave.objects.create(workspace=workspace, campaign=campaign, number=1)
    creator = _creator(workspace, "Eva L")
    DealFactory(workspace=workspace, campaign=campaign, wave=wave, creator=creator)

    manager_client.post(
        f"/campaigns/{campaign.pk}/actions/",
        {"action": "next_wave", "wave": wave.pk, "keep": [creator.pk]},
    )

    new_deal = Deal.objects.get(wave__number=2)
    assert list(DiscountCode.objects.filter(deal=new_deal).values_list("code", flat=True)) == [
        "EVA15-2"
    ]
    assert TrackedLink.objects.filter(deal=new_deal).count() == 1
