"""Waves, the next wave keeping chosen creators, and adding creators from a shortlist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from infludesk.campaigns.models import Deal
from infludesk.campaigns.waves import deals_add, wave_create, wave_next
from infludesk.creators.models import Shortlist, ShortlistEntry
from tests.factories import CampaignFactory, CreatorFactory, DealFactory, SocialAccountFactory


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(
        workspace=workspace, starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 31)
    )


def test_given_waves_when_created_then_numbered_and_inside_the_campaign(campaign, owner):
    first = wave_create(
        campaign=campaign,
        by=owner,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 14),
        budget=Decimal("2000"),
    )
    second = wave_create(campaign=campaign, by=owner)
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError) as err:
        wave_create(
            campaign=campaign,
            by=owner,
            starts_on=dt.date(2026, 10, 1),
            ends_on=dt.date(2026, 9, 1),
            budget=Decimal("-1"),
        )
    assert sorted(err.value.message_dict) == ["budget", "ends_on", "starts_on"]


def test_given_a_wave_when_the_next_keeps_two_creators_then_they_get_new_prospect_deals(
    workspace, campaign, owner
):
    wave = wave_create(campaign=campaign, by=owner, budget=Decimal("3000"))
    kept = [
        DealFactory(
            workspace=workspace, campaign=campaign, wave=wave, stage="paid", fee_cash=Decimal("700")
        )
        for _ in range(2)
    ]
    DealFactory(workspace=workspace, campaign=campaign, wave=wave, stage="paid")

    nxt = wave_next(wave=wave, keep_creator_ids=[d.creator_id for d in kept], by=owner)

    new_deals = Deal.objects.filter(wave=nxt).order_by("creator_id")
    assert (nxt.number, nxt.budget) == (2, Decimal("3000.00"))
    assert [(d.creator_id, d.stage, d.fee_cash) for d in new_deals] == [
        (k.creator_id, "prospect", Decimal("700.00")) for k in kept
    ]


def test_given_a_creator_not_in_the_wave_when_kept_then_refused(workspace, campaign, owner):
    wave = wave_create(campaign=campaign, by=owner)
    stranger = CreatorFactory(workspace=workspace)
    with pytest.raises(ValidationError) as err:
        wave_next(wave=wave, keep_creator_ids=[stranger.pk], by=owner)
    assert list(err.value.message_dict) == ["keep_creator_ids"]


def test_given_a_shortlist_when_added_then_new_creators_become_prospects_and_known_are_skipped(
    workspace, campaign, owner
):
    shortlist = Shortlist.objects.create(workspace=workspace, name="Trail runners")
    a = SocialAccountFactory(workspace=workspace, followers=40_000).creator
    b = CreatorFactory(workspace=workspace, name="Bo Already")
    for creator in (a, b):
        ShortlistEntry.objects.create(workspace=workspace, shortlist=shortlist, creator=creator)
    DealFactory(workspace=workspace, campaign=campaign, creator=b)

    result = deals_add(campaign=campaign, shortlist=shortlist, by=owner)

    assert [(d.creator_id, d.stage, d.account.followers) for d in result.added] == [
        (a.pk, "prospect", 40_000)
    ]
    assert result.skipped == [f"Bo Already is already in {campaign}."]


def test_given_another_workspaces_creator_or_shortlist_then_refused(
    campaign, other_workspace, owner
):
    foreign = CreatorFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as err:
        deals_add(campaign=campaign, creator_ids=[foreign.pk], by=owner)
    assert list(err.value.message_dict) == ["creator_ids"]
    other_list = Shortlist.objects.create(workspace=other_workspace, name="Theirs")
    with pytest.raises(ValidationError):
        deals_add(campaign=campaign, shortlist=other_list, by=owner)
    assert Deal.objects.count() == 0
