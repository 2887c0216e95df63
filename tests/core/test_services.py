"""Workspace and member services: creation, settings, roles, removal, each audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from infludesk.core.models import AuditEntry, Member, Role, Workspace
from infludesk.core.services import (
    member_change_role,
    member_remove,
    workspace_create,
    workspace_update,
)
from tests.factories import MemberFactory, UserFactory, WorkspaceFactory


def test_given_a_user_when_creating_a_workspace_then_they_are_its_owner(db):
    user = UserFactory(email="ann@acme.test")

    workspace = workspace_create(
        name="Acme Outdoor", currency="eur", time_zone="Europe/Berlin", owner_user=user
    )

    assert (workspace.name, workspace.slug, workspace.currency, workspace.time_zone) == (
        "Acme Outdoor",
        "acme-outdoor",
        "EUR",
        "Europe/Berlin",
    )
    assert list(Member.objects.filter(workspace=workspace).values_list("user_id", "role")) == [
        (user.pk, "owner")
    ]


def test_given_a_taken_slug_when_creating_a_workspace_then_a_number_is_appended(db):
    WorkspaceFactory(name="Acme", slug="acme")

    workspace = workspace_create(
        name="Acme", currency="USD", time_zone="UTC", owner_user=UserFactory()
    )

    assert workspace.slug == "acme-2"


def test_given_a_new_workspace_then_its_creation_is_audited_with_the_after_values(db):
    user = UserFactory()

    workspace = workspace_create(name="Acme", currency="USD", time_zone="UTC", owner_user=user)

    entry = AuditEntry.objects.get(workspace=workspace, action="workspace.create")
    assert entry.changes == {
        "currency": [None, "USD"],
        "id": [None, workspace.pk],
        "name": [None, "Acme"],
        "slug": [None, "acme"],
        "time_zone": [None, "UTC"],
    }
    assert entry.actor.user_id == user.pk


@pytest.mark.parametrize(
    ("currency", "time_zone", "message"),
    [
        ("EURO", "UTC", "three-letter currency code"),
        ("12$", "UTC", "three-letter currency code"),
        ("USD", "Mars/Olympus", "not a known time zone"),
    ],
)
def test_given_bad_values_when_creating_a_workspace_then_refused(db, currency, time_zone, message):
    with pytest.raises(ValidationError, match=message):
        workspace_create(
            name="Acme", currency=currency, time_zone=time_zone, owner_user=UserFactory()
        )
    assert Workspace.objects.count() == 0


def test_given_an_owner_when_updating_the_workspace_then_changed_fields_are_audited(
    workspace, owner
):
    workspace_update(
        workspace=workspace, by=owner, name="Acme Outdoor", currency="GBP", time_zone="UTC"
    )

    entry = AuditEntry.objects.get(action="workspace.update")
    assert entry.changes == {"currency": ["USD", "GBP"]}
    assert Workspace.objects.get(pk=workspace.pk).currency == "GBP"


def test_given_a_manager_when_updating_the_workspace_then_refused(workspace, manager):
    with pytest.raises(PermissionDenied):
        workspace_update(
            workspace=workspace, by=manager, name="Mine now", currency="USD", time_zone="UTC"
        )


def test_given_an_owner_of_b_when_updating_workspace_a_then_refused(workspace, other_owner):
    with pytest.raises(PermissionDenied):
        workspace_update(
            workspace=workspace, by=other_owner, name="Taken", currency="USD", time_zone="UTC"
        )


def test_given_a_viewer_when_the_owner_promotes_them_then_role_and_audit_change(owner, viewer):
    member_change_role(member=viewer, role=Role.MANAGER, by=owner)

    assert Member.objects.get(pk=viewer.pk).role == "manager"
    entry = AuditEntry.objects.get(action="member.change_role")
    assert (entry.changes, entry.actor_id, entry.target_id) == (
        {"role": ["viewer", "manager"]},
        owner.pk,
        str(viewer.pk),
    )


def test_given_the_only_owner_when_demoting_themselves_then_refused_with_a_clear_error(owner):
    with pytest.raises(ValidationError) as raised:
        member_change_role(member=owner, role=Role.VIEWER, by=owner)

    assert raised.value.messages == [
        "A workspace needs at least one owner. Make another member an owner first."
    ]
    assert Member.objects.get(pk=owner.pk).role == "owner"


def test_given_two_owners_when_one_steps_down_then_allowed(workspace, owner):
    second = MemberFactory(workspace=workspace, role=Role.OWNER)

    member_change_role(member=owner, role=Role.MANAGER, by=second)

    assert Member.objects.get(pk=owner.pk).role == "manager"


def test_given_an_unknown_role_when_changing_then_refused(owner, viewer):
    with pytest.raises(ValidationError, match="is not a role"):
        member_change_role(member=viewer, role="admin", by=owner)


def test_given_a_manager_when_changing_roles_then_refused(manager, viewer):
    with pytest.raises(PermissionDenied):
        member_change_role(member=viewer, role=Role.OWNER, by=manager)


def test_given_a_member_of_b_when_owner_of_a_changes_their_role_then_refused(owner, other_owner):
    with pytest.raises(PermissionDenied):
        member_change_role(member=other_owner, role=Role.VIEWER, by=owner)


def test_given_a_viewer_when_the_owner_removes_them_then_gone_and_audited(owner, viewer):
    member_remove(member=viewer, by=owner)

    assert not Member.objects.filter(pk=viewer.pk).exists()
    entry = AuditEntry.objects.get(action="member.remove")
    assert entry.changes["role"] == ["viewer", None]
    assert entry.target_repr == "viewer@acme.test (viewer) in Acme Outdoor"


def test_given_the_only_owner_when_removing_themselves_then_refused(owner):
    with pytest.raises(ValidationError, match="at least one owner"):
        member_remove(member=owner, by=owner)

    assert Member.objects.filter(pk=owner.pk).exists()


def test_given_a_member_of_b_when_owner_of_a_removes_them_then_refused(owner, other_owner):
    with pytest.raises(PermissionDenied):
        member_remove(member=other_owner, by=owner)

    assert Member.objects.filter(pk=other_owner.pk).exists()
