"""The create-workspace command (createsuperuser is tested in test_auth.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from infludesk.core.models import Member, Workspace
from tests.factories import UserFactory


def test_given_a_user_when_creating_a_workspace_from_the_shell_then_they_own_it(db):
    user = UserFactory(email="admin@acme.test")
    out = StringIO()

    call_command(
        "create_workspace", "--name", "Acme Outdoor", "--owner", "ADMIN@acme.test", stdout=out
    )

    workspace = Workspace.objects.get()
    assert (workspace.name, workspace.currency, workspace.time_zone) == (
        "Acme Outdoor",
        "USD",
        "UTC",
    )
    assert Member.objects.get(workspace=workspace).user_id == user.pk
    assert out.getvalue() == (
        "Created workspace 'Acme Outdoor' (slug acme-outdoor) owned by admin@acme.test.\n"
    )


def test_given_an_unknown_owner_when_creating_a_workspace_then_a_clear_error(db):
    with pytest.raises(CommandError, match=r"No user with email 'nobody@acme\.test'"):
        call_command("create_workspace", "--name", "Acme", "--owner", "nobody@acme.test")


def test_given_a_bad_currency_when_creating_a_workspace_then_a_clear_error(db):
    UserFactory(email="admin@acme.test")

    with pytest.raises(CommandError, match="three-letter currency code"):
        call_command(
            "create_workspace", "--name", "Acme", "--owner", "admin@acme.test", "--currency", "€"
        )
