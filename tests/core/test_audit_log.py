"""The audit log page: owners and managers read their workspace's entries, newest first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infludesk.core.audit import audit_record
from infludesk.core.models import AuditEntry
from infludesk.core.services import member_change_role, member_remove
from infludesk.core.tokens import api_token_create

AUDIT = "/account/audit/"


def _entries(member, n: int, action: str = "test.touch") -> None:
    for _ in range(n):
        audit_record(workspace=member.workspace, actor=member, action=action, target=member)


def test_given_changes_when_an_owner_opens_the_log_then_newest_first_with_before_after(
    owner_client, owner, viewer
):
    api_token_create(member=owner, name="CI")
    member_change_role(member=viewer, role="manager", by=owner)

    response = owner_client.get(AUDIT)

    assert response.status_code == 200
    assert [e.action for e in response.context["page"].object_list] == [
        "member.change_role",
        "api_token.create",
    ]
    assert "<span>role</span> <span>viewer → manager</span>" in response.text


def test_given_a_manager_when_opening_the_log_then_allowed(manager_client, manager):
    _entries(manager, 1)

    response = manager_client.get(AUDIT)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_given_a_viewer_when_opening_the_log_then_forbidden(viewer_client):
    assert viewer_client.get(AUDIT).status_code == 403


def test_given_51_entries_when_opening_page_two_then_the_oldest_one_is_there(owner_client, owner):
    _entries(owner, 51)
    oldest = AuditEntry.objects.order_by("id").first()

    first = owner_client.get(AUDIT)
    second = owner_client.get(AUDIT, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert [e.pk for e in second.context["page"].object_list] == [oldest.pk]
    assert "Page 2 of 2 (51 entries)" in second.text


def test_given_an_action_filter_when_opening_the_log_then_only_that_action(owner_client, owner):
    _entries(owner, 2, action="test.a")
    _entries(owner, 3, action="test.b")

    response = owner_client.get(AUDIT, {"action": "test.a"})

    assert [e.action for e in response.context["page"].object_list] == ["test.a", "test.a"]
    assert response.context["actions"] == ["test.a", "test.b"]


def test_given_an_unknown_action_filter_when_opening_the_log_then_everything_is_shown(
    owner_client, owner
):
    _entries(owner, 2)

    response = owner_client.get(AUDIT, {"action": "<script>", "page": "x"})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2


def test_given_entries_in_b_when_owner_of_a_opens_the_log_then_none_of_b_are_listed(
    owner_client, owner, other_owner
):
    _entries(owner, 1, action="test.mine")
    _entries(other_owner, 3, action="test.theirs")

    everything = owner_client.get(AUDIT)
    filtered = owner_client.get(AUDIT, {"action": "test.theirs"})

    assert [e.action for e in everything.context["page"].object_list] == ["test.mine"]
    assert everything.context["actions"] == ["test.mine"]
    assert "test.theirs" not in everything.text
    # an action of B's is not even a valid filter in A: the filter falls back to everything
    assert [e.action for e in filtered.context["page"].object_list] == ["test.mine"]


@pytest.mark.parametrize("count", [60])
def test_given_more_entries_when_listing_then_the_query_count_stays_the_same(
    owner_client, owner, viewer, count, django_assert_max_num_queries
):
    _entries(owner, 2)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(AUDIT)
    _entries(viewer, count)

    with django_assert_max_num_queries(7):
        response = owner_client.get(AUDIT)

    assert len(response.context["page"].object_list) == 50
    with CaptureQueriesContext(connection) as many:
        owner_client.get(AUDIT)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_given_a_removed_member_when_reading_their_entries_then_who_it_was_is_kept(
    owner_client, owner, manager
):
    api_token_create(member=manager, name="CI")
    member_remove(member=manager, by=owner)

    response = owner_client.get(AUDIT, {"action": "api_token.create"})

    entry = response.context["page"].object_list[0]
    assert (entry.actor_id, entry.actor_label) == (None, "manager@acme.test")
    assert 'manager@acme.test <span class="muted">(no longer a member)</span>' in response.text
