"""Shared fixtures: two workspaces with members of every role, signed-in clients."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from infludesk.core.models import Member, Role, Workspace
from tests.factories import MemberFactory, UserFactory, WorkspaceFactory

CI = os.environ.get("CI") == "true"
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under ../shared; skips the test when it is absent, except under CI=true."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        if CI:
            pytest.fail(f"{path} is missing (CI=true requires ../shared)")
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture
def workspace(db) -> Workspace:
    return WorkspaceFactory(name="Acme Outdoor", slug="acme")


@pytest.fixture
def other_workspace(db) -> Workspace:
    return WorkspaceFactory(name="Rival Brand", slug="rival")


@pytest.fixture
def owner(workspace) -> Member:
    return MemberFactory(workspace=workspace, role=Role.OWNER, user__email="owner@acme.test")


@pytest.fixture
def manager(workspace) -> Member:
    return MemberFactory(workspace=workspace, role=Role.MANAGER, user__email="manager@acme.test")


@pytest.fixture
def viewer(workspace) -> Member:
    return MemberFactory(workspace=workspace, role=Role.VIEWER, user__email="viewer@acme.test")


@pytest.fixture
def other_owner(other_workspace) -> Member:
    return MemberFactory(workspace=other_workspace, role=Role.OWNER, user__email="boss@rival.test")


def _client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    return _client_for(owner)


@pytest.fixture
def manager_client(manager) -> Client:
    return _client_for(manager)


@pytest.fixture
def viewer_client(viewer) -> Client:
    return _client_for(viewer)


@pytest.fixture
def user(db):
    return UserFactory()
