"""Automatic links and codes (the post_save receiver filling a new deal from the campaign's
tracking defaults) name the member whose page or API request added the deal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.campaigns.models import Deal
from infludesk.core.audit import audit_actor
from infludesk.core.models import AuditEntry
from infludesk.creators.models import Shortlist, ShortlistEntry
from infludesk.tracking.defaults import campaign_tracking_save
from tests.api.conftest import ApiClient, token_for
from tests.factories import CampaignFactory, CreatorFactory, DealFactory

pytestmark = pytest.mark.django_db
LANDING = "https://shop.example.com/products/trail"
AUTOMATIC = ("tracked_link.create", "discount_code.create")


@pytest.fixture
def campaign(workspace):
    campaign = CampaignFactory(workspace=workspace, slug="winter-trails")
    campaign_tracking_save(
        campaign=campaign, by=None, destination_url=LANDING, discount_value=Decimal("15")
    )
    return campaign


def _automatic_entries(workspace) -> list[tuple[str, int | None, str]]:
    return list(
        AuditEntry.objects.filter(workspace=workspace, action__in=AUTOMATIC)
        .order_by("action", "pk")
        .values_list("action", "actor_id", "actor_label")
    )


def test_given_defaults_when_a_manager_adds_a_shortlist_on_the_campaign_page_then_they_are_named(
    workspace, campaign, manager, manager_client
):
    # given
    shortlist = Shortlist.objects.create(workspace=workspace, name="Runners")
    creator = CreatorFactory(workspace=workspace, name="Anna B")
    ShortlistEntry.objects.create(workspace=workspace, shortlist=shortlist, creator=creator)
    # when
    response = manager_client.post(
        f"/campaigns/{campaign.pk}/actions/", {"action": "add_shortlist", "shortlist": shortlist.pk}
    )
    # then
    assert response.status_code in (200, 302)
    assert Deal.objects.filter(campaign=campaign).count() == 1
    assert _automatic_entries(workspace) == [
        ("discount_code.create", manager.pk, "manager@acme.test"),
        ("tracked_link.create", manager.pk, "manager@acme.test"),
    ]
    assert audit_actor() is None


def test_given_defaults_when_a_deal_is_created_with_an_api_token_then_its_member_is_named(
    workspace, campaign, owner
):
    # given
    api = ApiClient(token_for(owner))
    creator = CreatorFactory(workspace=workspace, name="Anna Berg")
    # when
    response = api.post("/deals", {"campaign_id": campaign.pk, "creator_id": creator.pk})
    # then
    assert response.status_code == 201
    assert _automatic_entries(workspace) == [
        ("discount_code.create", owner.pk, "owner@acme.test"),
        ("tracked_link.create", owner.pk, "owner@acme.test"),
    ]
    assert audit_actor() is None


def test_given_defaults_when_a_deal_is_made_outside_a_request_then_no_actor_is_named(
    workspace, campaign
):
    DealFactory(workspace=workspace, campaign=campaign, creator__name="Ben O")
    assert _automatic_entries(workspace) == [
        ("discount_code.create", None, ""),
        ("tracked_link.create", None, ""),
    ]
