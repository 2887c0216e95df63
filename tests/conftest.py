"""Shared fixtures: two workspaces with members of every role, signed-in clients."""

from __future__ import annotations

import email
import email.policy
import os
import socket
from email.message import EmailMessage as MimeMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from infludesk.core.models import Member, Role, Workspace
from tests.api.conftest import ApiClient, token_for
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


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[MimeMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """Start aiosmtpd on a free loopback port and point Django's SMTP backend at it."""
    mailbox = Mailbox()
    with socket.socket() as probe:  # aiosmtpd's readiness check cannot use port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Acme Outdoor <partners@acme.test>"
    settings.SITE_URL = "https://app.acme.test"
    yield mailbox
    controller.stop()


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Uploads go to a fresh directory per test (never var/media)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- API clients per role (a real API token each; tests/api/conftest.py has the client) ---


@pytest.fixture
def owner_api(owner) -> ApiClient:
    return ApiClient(token_for(owner))


@pytest.fixture
def manager_api(manager) -> ApiClient:
    return ApiClient(token_for(manager))


@pytest.fixture
def viewer_api(viewer) -> ApiClient:
    return ApiClient(token_for(viewer))


@pytest.fixture
def other_api(other_owner) -> ApiClient:
    """The owner of the *other* workspace: must never see or touch workspace A's rows."""
    return ApiClient(token_for(other_owner))
