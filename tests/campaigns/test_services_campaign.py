"""Campaign and deal services: validation, slugs, workspace rules and audit entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from infludesk.campaigns.models import Campaign, Deal, Stage
from infludesk.campaigns.services import (
    campaign_create,
    campaign_delete,
    campaign_update,
    deal_create,
    deal_delete,
    deal_update,
)
from infludesk.core.models import AuditEntry
from tests.factories import (
    CampaignFactory,
    CreatorFactory,
    DealFactory,
    SocialAccountFactory,
    WaveFactory,
)

pytestmark = pytest.mark.django_db


def _create(workspace, owner, **fields):
    defaults = {"name": "Spring Launch", "objective": "awareness", "type": "sponsored"}
    return campaign_create(workspace=workspace, by=owner, **{**defaults, **fields})


def test_given_no_slug_when_creating_then_slug_comes_from_the_name(workspace, owner):
    campaign = _create(workspace, owner, name="Spring Launch 2026!")
    assert campaign.slug == "spring-launch-2026"


def test_given_a_taken_slug_when_creating_from_the_same_name_then_a_suffix_is_added(
    workspace, owner
):
    _create(workspace, owner)
    second = _create(workspace, owner)
    third = _create(workspace, owner)
    assert (second.slug, third.slug) == ("spring-launch-2", "spring-launch-3")


def test_given_a_name_without_letters_when_creating_then_slug_is_campaign(workspace, owner):
    assert _create(workspace, owner, name="!!!").slug == "campaign"


def test_given_same_slug_in_other_workspace_when_creating_then_it_is_allowed(
    workspace, other_workspace, owner
):
    CampaignFactory(workspace=other_workspace, slug="spring-launch")
    assert _create(workspace, owner).slug == "spring-launch"


def test_given_an_explicit_taken_slug_when_creating_then_slug_error(workspace, owner):
    CampaignFactory(workspace=workspace, slug="taken")
    with pytest.raises(ValidationError) as err:
        _create(workspace, owner, slug="taken")
    assert list(err.value.message_dict) == ["slug"]


def test_given_no_currency_when_creating_then_workspace_currency_applies(workspace, owner):
    workspace.currency = "EUR"
    workspace.save()
    assert _create(workspace, owner).currency == "EUR"


def test_given_end_before_start_when_creating_then_ends_on_error(workspace, owner):
    with pytest.raises(ValidationError) as err:
        _create(workspace, owner, starts_on=dt.date(2026, 5, 2), ends_on=dt.date(2026, 5, 1))
    assert err.value.message_dict == {
        "ends_on": ["The end date must be on or after the start date."]
    }


def test_given_end_equal_to_start_when_creating_then_it_is_accepted(workspace, owner):
    day = dt.date(2026, 5, 1)
    campaign = _create(workspace, owner, starts_on=day, ends_on=day)
    assert (campaign.starts_on, campaign.ends_on) == (day, day)


def test_given_bad_choice_and_blank_name_when_creating_then_both_fields_named(workspace, owner):
    with pytest.raises(ValidationError) as err:
        _create(workspace, owner, name="", objective="fame")
    assert set(err.value.message_dict) == {"name", "objective"}


def test_given_negative_budget_when_creating_then_budget_error(workspace, owner):
    with pytest.raises(ValidationError) as err:
        _create(workspace, owner, budget=Decimal("-1"))
    assert list(err.value.message_dict) == ["budget"]


def test_given_unknown_field_when_creating_then_type_error(workspace, owner):
    with pytest.raises(TypeError):
        _create(workspace, owner, workspace_id=5)


def test_when_creating_then_audit_entry_has_the_new_values(workspace, owner):
    campaign = _create(workspace, owner, budget=Decimal("2500.00"))
    entry = AuditEntry.objects.get(action="campaign.create")
    assert (entry.actor, entry.target_id) == (owner, str(campaign.pk))
    assert entry.changes["budget"] == [None, "2500.00"]
    assert entry.changes["name"] == [None, "Spring Launch"]


def test_when_updating_then_only_changed_fields_are_audited(workspace, owner):
    campaign = _create(workspace, owner)
    campaign_update(campaign=campaign, by=owner, status="active", name="Spring Launch")
    entry = AuditEntry.objects.get(action="campaign.update")
    assert entry.changes == {"status": ["draft", "active"]}


def test_given_blank_slug_when_updating_then_slug_is_kept(workspace, owner):
    campaign = _create(workspace, owner)
    campaign_update(campaign=campaign, by=owner, slug="", name="Renamed")
    campaign.refresh_from_db()
    assert (campaign.slug, campaign.name) == ("spring-launch", "Renamed")


def test_given_end_before_start_when_updating_then_nothing_is_saved(workspace, owner):
    campaign = _create(workspace, owner, starts_on=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError):
        campaign_update(campaign=campaign, by=owner, ends_on=dt.date(2026, 4, 1))
    campaign.refresh_from_db()
    assert campaign.ends_on is None


def test_given_slug_of_another_campaign_when_updating_then_slug_error(workspace, owner):
    CampaignFactory(workspace=workspace, slug="taken")
    campaign = _create(workspace, owner)
    with pytest.raises(ValidationError) as err:
        campaign_update(campaign=campaign, by=owner, slug="taken")
    assert list(err.value.message_dict) == ["slug"]


def test_when_deleting_a_campaign_then_it_and_its_deals_go_and_audit_keeps_values(workspace, owner):
    deal = DealFactory(campaign__workspace=workspace)
    campaign = deal.campaign
    pk = campaign.pk
    campaign_delete(campaign=campaign, by=owner)
    assert not Campaign.objects.filter(pk=pk).exists()
    assert not Deal.objects.filter(pk=deal.pk).exists()
    entry = AuditEntry.objects.get(action="campaign.delete")
    assert (entry.target_id, entry.changes["slug"]) == (str(pk), [campaign.slug, None])


# --- deals ---------------------------------------------------------------------------------


def test_when_creating_a_deal_then_it_takes_the_campaign_currency_and_is_audited(workspace, owner):
    campaign = CampaignFactory(workspace=workspace, currency="GBP")
    creator = CreatorFactory(workspace=workspace)
    deal = deal_create(
        workspace=workspace, campaign=campaign, creator=creator, by=owner, fee_cash=Decimal("750")
    )
    assert (deal.currency, deal.stage, deal.fee_cash) == ("GBP", Stage.PROSPECT, Decimal("750"))
    assert AuditEntry.objects.get(action="deal.create").changes["fee_cash"] == [None, "750.00"]


def test_given_creator_of_another_workspace_when_creating_a_deal_then_creator_error(
    workspace, other_workspace, owner
):
    campaign = CampaignFactory(workspace=workspace)
    foreign = CreatorFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as err:
        deal_create(workspace=workspace, campaign=campaign, creator=foreign, by=owner)
    assert err.value.message_dict == {"creator": ["No such creator in this workspace."]}
    assert Deal.objects.count() == 0


def test_given_campaign_of_another_workspace_when_creating_a_deal_then_campaign_error(
    workspace, other_workspace, owner
):
    foreign = CampaignFactory(workspace=other_workspace)
    creator = CreatorFactory(workspace=workspace)
    with pytest.raises(ValidationError) as err:
        deal_create(workspace=workspace, campaign=foreign, creator=creator, by=owner)
    assert list(err.value.message_dict) == ["campaign"]


def test_given_an_existing_deal_when_adding_the_same_creator_then_creator_error(workspace, owner):
    deal = DealFactory(campaign__workspace=workspace)
    with pytest.raises(ValidationError) as err:
        deal_create(workspace=workspace, campaign=deal.campaign, creator=deal.creator, by=owner)
    assert list(err.value.message_dict) == ["creator"]
    assert Deal.objects.count() == 1


def test_given_wave_of_another_campaign_when_creating_a_deal_then_wave_error(workspace, owner):
    campaign = CampaignFactory(workspace=workspace)
    wave = WaveFactory(campaign=CampaignFactory(workspace=workspace))
    creator = CreatorFactory(workspace=workspace)
    with pytest.raises(ValidationError) as err:
        deal_create(workspace=workspace, campaign=campaign, creator=creator, by=owner, wave=wave)
    assert list(err.value.message_dict) == ["wave"]


def test_given_account_of_another_creator_when_creating_a_deal_then_account_error(workspace, owner):
    campaign = CampaignFactory(workspace=workspace)
    creator = CreatorFactory(workspace=workspace)
    account = SocialAccountFactory(creator=CreatorFactory(workspace=workspace))
    with pytest.raises(ValidationError) as err:
        deal_create(
            workspace=workspace, campaign=campaign, creator=creator, by=owner, account=account
        )
    assert list(err.value.message_dict) == ["account"]


def test_given_commission_over_100_when_creating_a_deal_then_commission_error(workspace, owner):
    campaign = CampaignFactory(workspace=workspace)
    creator = CreatorFactory(workspace=workspace)
    with pytest.raises(ValidationError) as err:
        deal_create(
            workspace=workspace,
            campaign=campaign,
            creator=creator,
            by=owner,
            commission_pct=Decimal("101"),
        )
    assert list(err.value.message_dict) == ["commission_pct"]


def test_when_moving_a_deal_to_another_stage_then_stage_changed_at_is_stamped(workspace, owner):
    deal = DealFactory(campaign__workspace=workspace)
    deal_update(deal=deal, by=owner, stage=Stage.CONTACTED)
    deal.refresh_from_db()
    assert deal.stage == Stage.CONTACTED
    assert deal.stage_changed_at is not None
    entry = AuditEntry.objects.get(action="deal.update")
    assert entry.changes["stage"] == ["prospect", "contacted"]


def test_given_unknown_stage_when_updating_a_deal_then_stage_error(workspace, owner):
    deal = DealFactory(campaign__workspace=workspace)
    with pytest.raises(ValidationError) as err:
        deal_update(deal=deal, by=owner, stage="famous")
    assert list(err.value.message_dict) == ["stage"]


def test_when_deleting_a_deal_then_it_is_gone_and_audited(workspace, owner):
    deal = DealFactory(campaign__workspace=workspace)
    pk = deal.pk
    deal_delete(deal=deal, by=owner)
    assert not Deal.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.get(action="deal.delete").target_id == str(pk)
