"""Creator and social account services: validation, tier sync, unique handles, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from infludesk.core.models import AuditEntry
from infludesk.creators.models import Creator, SocialAccount, Tier
from infludesk.creators.services import (
    creator_create,
    creator_delete,
    creator_update,
    social_account_create,
    social_account_delete,
    social_account_update,
)
from tests.factories import CreatorFactory, DealFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_when_creating_a_creator_then_it_is_saved_normalised_and_audited(workspace, owner):
    creator = creator_create(workspace=workspace, by=owner, name="  Ana Ruiz ", country="es")
    creator.refresh_from_db()
    assert (creator.workspace, creator.name, creator.country) == (workspace, "Ana Ruiz", "ES")
    entry = AuditEntry.objects.get(action="creator.create")
    assert (entry.actor, entry.changes["name"]) == (owner, [None, "Ana Ruiz"])


def test_given_blank_name_and_bad_email_when_creating_then_both_fields_named(workspace, owner):
    with pytest.raises(ValidationError) as err:
        creator_create(workspace=workspace, by=owner, name="", email="not-an-email")
    assert set(err.value.message_dict) == {"name", "email"}
    assert Creator.objects.count() == 0


def test_given_unknown_field_when_creating_a_creator_then_type_error(workspace, owner):
    with pytest.raises(TypeError):
        creator_create(workspace=workspace, by=owner, name="X", workspace_id=1)


def test_when_updating_a_creator_then_only_changed_fields_are_audited(workspace, owner):
    creator = CreatorFactory(workspace=workspace, name="Old", country="US")
    creator_update(creator=creator, by=owner, name="New", country="US")
    assert AuditEntry.objects.get(action="creator.update").changes == {"name": ["Old", "New"]}


def test_given_invalid_country_when_updating_then_nothing_is_saved(workspace, owner):
    creator = CreatorFactory(workspace=workspace, country="US")
    with pytest.raises(ValidationError) as err:
        creator_update(creator=creator, by=owner, country="USA")
    assert list(err.value.message_dict) == ["country"]
    creator.refresh_from_db()
    assert creator.country == "US"


def test_when_deleting_a_creator_then_accounts_go_too_and_it_is_audited(workspace, owner):
    account = SocialAccountFactory(creator__workspace=workspace)
    creator = account.creator
    pk = creator.pk
    creator_delete(creator=creator, by=owner)
    assert not Creator.objects.filter(pk=pk).exists()
    assert not SocialAccount.objects.filter(pk=account.pk).exists()
    assert AuditEntry.objects.get(action="creator.delete").target_id == str(pk)


def test_given_a_creator_with_a_deal_when_deleting_then_creator_error_and_kept(workspace, owner):
    deal = DealFactory(campaign__workspace=workspace)
    with pytest.raises(ValidationError) as err:
        creator_delete(creator=deal.creator, by=owner)
    assert list(err.value.message_dict) == ["creator"]
    assert Creator.objects.filter(pk=deal.creator.pk).exists()


# --- social accounts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("followers", "tier"),
    [
        (999, Tier.BELOW_NANO),
        (1_000, Tier.NANO),
        (10_000, Tier.MICRO),
        (100_000, Tier.MACRO),
        (1_000_000, Tier.MEGA),
    ],
)
def test_when_creating_an_account_then_tier_follows_followers(workspace, owner, followers, tier):
    creator = CreatorFactory(workspace=workspace)
    account = social_account_create(
        workspace=workspace,
        creator=creator,
        by=owner,
        platform="instagram",
        handle="@ana.ruiz",
        followers=followers,
    )
    account.refresh_from_db()
    assert (account.handle, account.tier) == ("ana.ruiz", tier)


def test_when_followers_change_then_tier_is_updated_and_audited(workspace, owner):
    account = SocialAccountFactory(creator__workspace=workspace, followers=9_000)
    social_account_update(account=account, by=owner, followers=150_000)
    account.refresh_from_db()
    assert account.tier == Tier.MACRO
    changes = AuditEntry.objects.get(action="social_account.update").changes
    assert changes == {"followers": [9_000, 150_000], "tier": ["nano", "macro"]}


def test_given_a_taken_handle_on_the_platform_when_creating_then_handle_error(workspace, owner):
    SocialAccountFactory(creator__workspace=workspace, platform="tiktok", handle="ana")
    creator = CreatorFactory(workspace=workspace)
    with pytest.raises(ValidationError) as err:
        social_account_create(
            workspace=workspace, creator=creator, by=owner, platform="tiktok", handle="ANA"
        )
    assert err.value.message_dict == {"handle": ["@ANA on tiktok is already in this workspace."]}


def test_given_same_handle_on_another_platform_when_creating_then_it_is_allowed(workspace, owner):
    SocialAccountFactory(creator__workspace=workspace, platform="tiktok", handle="ana")
    creator = CreatorFactory(workspace=workspace)
    account = social_account_create(
        workspace=workspace, creator=creator, by=owner, platform="youtube", handle="ana"
    )
    assert account.platform == "youtube"


def test_given_same_handle_in_another_workspace_when_creating_then_it_is_allowed(
    workspace, other_workspace, owner
):
    SocialAccountFactory(creator__workspace=other_workspace, platform="tiktok", handle="ana")
    creator = CreatorFactory(workspace=workspace)
    account = social_account_create(
        workspace=workspace, creator=creator, by=owner, platform="tiktok", handle="ana"
    )
    assert account.workspace == workspace


def test_given_a_taken_handle_when_renaming_an_account_then_handle_error(workspace, owner):
    SocialAccountFactory(creator__workspace=workspace, platform="tiktok", handle="ana")
    other = SocialAccountFactory(creator__workspace=workspace, platform="tiktok", handle="bo")
    with pytest.raises(ValidationError) as err:
        social_account_update(account=other, by=owner, handle="ana")
    assert list(err.value.message_dict) == ["handle"]


def test_given_negative_followers_when_creating_an_account_then_followers_error(workspace, owner):
    creator = CreatorFactory(workspace=workspace)
    with pytest.raises(ValidationError) as err:
        social_account_create(
            workspace=workspace,
            creator=creator,
            by=owner,
            platform="tiktok",
            handle="x",
            followers=-5,
        )
    assert err.value.message_dict == {"followers": ["Counts cannot be negative."]}


def test_given_unknown_platform_when_creating_an_account_then_platform_error(workspace, owner):
    creator = CreatorFactory(workspace=workspace)
    with pytest.raises(ValidationError) as err:
        social_account_create(
            workspace=workspace, creator=creator, by=owner, platform="myspace", handle="x"
        )
    assert list(err.value.message_dict) == ["platform"]


def test_given_creator_of_another_workspace_when_adding_an_account_then_creator_error(
    workspace, other_workspace, owner
):
    foreign = CreatorFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as err:
        social_account_create(
            workspace=workspace, creator=foreign, by=owner, platform="tiktok", handle="x"
        )
    assert err.value.message_dict == {"creator": ["No such creator in this workspace."]}


def test_when_deleting_an_account_then_it_is_gone_and_audited(workspace, owner):
    account = SocialAccountFactory(creator__workspace=workspace, handle="gone")
    pk = account.pk
    social_account_delete(account=account, by=owner)
    assert not SocialAccount.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="social_account.delete")
    assert entry.changes["handle"] == ["gone", None]
