"""The request-scoped audit actor (core/audit.py): entries written without an explicit actor
name the member of the current request, never a member of another workspace, and nothing
outside a request."""

from __future__ import annotations

import threading

import pytest

from infludesk.core.audit import acting_as, audit_actor, audit_actor_set, audit_record
from infludesk.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_given_no_request_then_an_entry_without_actor_has_none(workspace):
    entry = audit_record(workspace=workspace, actor=None, action="x.test", target=workspace)
    assert (entry.actor_id, entry.actor_label) == (None, "")


def test_given_an_acting_member_then_an_entry_without_actor_names_them(workspace, manager):
    with acting_as(manager):
        entry = audit_record(workspace=workspace, actor=None, action="x.test", target=workspace)
    assert (entry.actor_id, entry.actor_label) == (manager.pk, "manager@acme.test")
    assert audit_actor() is None  # reset when the block ends


def test_given_an_explicit_actor_then_it_wins_over_the_acting_member(workspace, owner, manager):
    with acting_as(manager):
        entry = audit_record(workspace=workspace, actor=owner, action="x.test", target=workspace)
    assert entry.actor_id == owner.pk


def test_given_a_member_of_another_workspace_then_they_never_sign_this_workspaces_entry(
    workspace, other_owner
):
    with acting_as(other_owner):
        entry = audit_record(workspace=workspace, actor=None, action="x.test", target=workspace)
    assert (entry.actor_id, entry.actor_label) == (None, "")


def test_given_a_set_inside_a_block_then_the_block_end_undoes_it(manager, owner):
    with acting_as(None):
        audit_actor_set(owner)
        assert audit_actor() == owner
    assert audit_actor() is None


def test_given_an_acting_member_then_another_thread_does_not_see_them(manager):
    seen = []
    with acting_as(manager):
        thread = threading.Thread(target=lambda: seen.append(audit_actor()))
        thread.start()
        thread.join()
    assert seen == [None]


def test_given_a_signed_in_request_then_the_actor_is_reset_after_it(manager_client, workspace):
    response = manager_client.get("/account/settings/")
    assert response.status_code == 200
    assert audit_actor() is None
    assert not AuditEntry.objects.exists()
