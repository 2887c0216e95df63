"""Shortlist services: create/rename/delete, entries add/remove/note; every write audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from infludesk.core.models import AuditEntry
from infludesk.creators import shortlists as svc
from infludesk.creators.models import Shortlist, ShortlistEntry
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def _actions(workspace) -> list[str]:
    return list(
        AuditEntry.objects.filter(workspace=workspace)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_given_a_name_when_created_then_the_shortlist_exists_and_is_audited(workspace, owner):
    shortlist = svc.shortlist_create(workspace=workspace, name="  Runners ", by=owner)
    assert (shortlist.name, shortlist.created_by) == ("Runners", owner)
    entry = AuditEntry.objects.get(workspace=workspace)
    assert (entry.action, entry.actor, entry.changes) == (
        "shortlist.create",
        owner,
        {"name": [None, "Runners"]},
    )


def test_given_a_taken_name_in_another_case_when_created_then_refused(workspace, owner):
    svc.shortlist_create(workspace=workspace, name="Runners", by=owner)
    with pytest.raises(ValidationError) as error:
        svc.shortlist_create(workspace=workspace, name="runners", by=owner)
    assert error.value.message_dict == {"name": ["There is already a shortlist named 'runners'."]}


def test_given_the_same_name_in_another_workspace_when_created_then_allowed(
    workspace, other_workspace, owner, other_owner
):
    svc.shortlist_create(workspace=other_workspace, name="Runners", by=other_owner)
    svc.shortlist_create(workspace=workspace, name="Runners", by=owner)
    assert Shortlist.objects.filter(name="Runners").count() == 2


def test_given_a_blank_name_when_created_then_refused(workspace, owner):
    with pytest.raises(ValidationError) as error:
        svc.shortlist_create(workspace=workspace, name="  ", by=owner)
    assert error.value.message_dict == {"name": ["A shortlist needs a name."]}


def test_rename_records_old_and_new_name(workspace, owner):
    shortlist = svc.shortlist_create(workspace=workspace, name="A", by=owner)
    svc.shortlist_rename(shortlist=shortlist, name="B", by=owner)
    shortlist.refresh_from_db()
    assert shortlist.name == "B"
    assert AuditEntry.objects.get(action="shortlist.rename").changes == {"name": ["A", "B"]}


def test_delete_removes_entries_but_keeps_creators(workspace, owner):
    creator = CreatorFactory(workspace=workspace)
    shortlist = svc.shortlist_create(workspace=workspace, name="A", by=owner)
    svc.shortlist_entries_add(shortlist=shortlist, creator_ids=[creator.pk], by=owner)
    svc.shortlist_delete(shortlist=shortlist, by=owner)
    assert (Shortlist.objects.count(), ShortlistEntry.objects.count()) == (0, 0)
    creator.refresh_from_db()
    assert _actions(workspace) == ["shortlist.create", "shortlist.entry_add", "shortlist.delete"]


def test_given_creators_when_added_twice_then_the_second_time_they_are_named_not_doubled(
    workspace, owner
):
    anna = CreatorFactory(workspace=workspace, name="Anna")
    ben = CreatorFactory(workspace=workspace, name="Ben")
    shortlist = svc.shortlist_create(workspace=workspace, name="A", by=owner)
    first = svc.shortlist_entries_add(
        shortlist=shortlist, creator_ids=[anna.pk], note="great fit", by=owner
    )
    second = svc.shortlist_entries_add(shortlist=shortlist, creator_ids=[anna.pk, ben.pk], by=owner)
    assert [c.name for c in first.added] == ["Anna"]
    assert ([c.name for c in second.added], [c.name for c in second.already]) == (["Ben"], ["Anna"])
    notes = dict(ShortlistEntry.objects.values_list("creator__name", "note"))
    assert notes == {"Anna": "great fit", "Ben": ""}
    assert _actions(workspace).count("shortlist.entry_add") == 2


def test_given_another_workspaces_creator_when_added_then_refused_and_nothing_added(
    workspace, other_workspace, owner
):
    mine = CreatorFactory(workspace=workspace)
    theirs = CreatorFactory(workspace=other_workspace)
    shortlist = svc.shortlist_create(workspace=workspace, name="A", by=owner)
    with pytest.raises(ValidationError) as error:
        svc.shortlist_entries_add(shortlist=shortlist, creator_ids=[mine.pk, theirs.pk], by=owner)
    assert error.value.message_dict == {"creator_ids": [f"No such creator(s) here: [{theirs.pk}]."]}
    assert ShortlistEntry.objects.count() == 0


def test_note_and_remove_are_audited(workspace, owner):
    creator = CreatorFactory(workspace=workspace)
    shortlist = svc.shortlist_create(workspace=workspace, name="A", by=owner)
    svc.shortlist_entries_add(shortlist=shortlist, creator_ids=[creator.pk], by=owner)
    entry = ShortlistEntry.objects.get()
    svc.shortlist_entry_note(entry=entry, note="ask for rates", by=owner)
    assert AuditEntry.objects.get(action="shortlist.entry_note").changes == {
        "note": ["", "ask for rates"]
    }
    svc.shortlist_entry_remove(entry=entry, by=owner)
    assert ShortlistEntry.objects.count() == 0
    assert _actions(workspace)[-1] == "shortlist.entry_remove"


def test_a_note_over_300_characters_is_refused(workspace, owner):
    creator = CreatorFactory(workspace=workspace)
    shortlist = svc.shortlist_create(workspace=workspace, name="A", by=owner)
    with pytest.raises(ValidationError) as error:
        svc.shortlist_entries_add(
            shortlist=shortlist, creator_ids=[creator.pk], note="x" * 301, by=owner
        )
    assert error.value.message_dict == {"note": ["Keep the note to 300 characters."]}


def test_rows_carry_the_main_accounts_estimate(workspace, owner):
    # main account = most followed: 50,000 micro Instagram at ER 2.0 -> reach 10,000
    creator = CreatorFactory(workspace=workspace, name="Anna")
    SocialAccountFactory(creator=creator, followers=50_000, engagement_rate="2.0")
    SocialAccountFactory(creator=creator, followers=3_000, platform="tiktok")
    shortlist = svc.shortlist_create(workspace=workspace, name="A", by=owner)
    svc.shortlist_entries_add(shortlist=shortlist, creator_ids=[creator.pk], by=owner)
    [row] = svc.shortlist_rows(workspace=workspace, shortlist=shortlist)
    assert (row.total_followers, row.account.followers) == (53_000, 50_000)
    assert (row.estimate.reach, row.estimate.engagements) == (10_000, 200)
    assert (str(row.estimate.cost.low), str(row.estimate.cost.high)) == ("100.00", "500.00")
