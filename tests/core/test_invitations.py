"""Invitations: emailed link with a token stored only hashed, accepting, expiry, reuse."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from infludesk.core.middleware import SESSION_KEY as WORKSPACE_KEY
from infludesk.core.models import AuditEntry, Invitation, Member, User
from infludesk.core.services import invitation_accept, invitation_create, invitation_revoke
from tests.factories import PASSWORD, MemberFactory, UserFactory

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = LOCMEM


def _invite(client, email="new@acme.test", role="manager"):
    response = client.post("/account/invitations/", {"email": email, "role": role})
    assert response.status_code == 302, response.text
    return _link_path(mail.outbox[-1].body)


def _link_path(body: str) -> str:
    match = re.search(r"https?://\S+/account/invitations/accept/\S+/", body)
    assert match is not None, body
    return urlsplit(match.group(0)).path


def test_given_an_owner_when_inviting_then_a_mail_with_a_link_goes_out_and_only_the_hash_is_kept(
    owner_client, workspace
):
    path = _invite(owner_client)

    message = mail.outbox[0]
    assert message.to == ["new@acme.test"]
    assert message.subject == "You are invited to Acme Outdoor on Infludesk"
    raw = path.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.workspace_id) == (
        "new@acme.test",
        "manager",
        workspace.pk,
    )
    assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(AuditEntry.objects.get(action="invitation.create").changes)


def test_given_an_invitation_mail_when_the_new_person_sets_name_and_password_then_they_join(
    owner_client, client, workspace
):
    path = _invite(owner_client, role="viewer")
    page = client.get(path)
    assert page.status_code == 200
    assert "Create account and join" in page.text

    response = client.post(
        path,
        {
            "full_name": "Nia New",
            "password1": "long-enough-pass-7",
            "password2": "long-enough-pass-7",
        },
    )

    assert (response.status_code, response["Location"]) == (302, "/")
    user = User.objects.get(email="new@acme.test")
    assert (user.full_name, user.check_password("long-enough-pass-7")) == ("Nia New", True)
    member = Member.objects.get(user=user)
    assert (member.workspace_id, member.role) == (workspace.pk, "viewer")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[WORKSPACE_KEY] == workspace.pk
    assert Invitation.objects.get().accepted_at is not None


def test_given_a_used_invitation_when_opened_again_then_a_clear_page_says_so(owner_client, client):
    path = _invite(owner_client)
    client.post(
        path,
        {"full_name": "Nia", "password1": "long-enough-pass-7", "password2": "long-enough-pass-7"},
    )
    client.logout()

    response = client.get(path)

    assert response.status_code == 410
    assert "This invitation was already used" in response.text


def test_given_an_expired_invitation_when_opened_then_a_clear_page_says_so(owner_client, client):
    path = _invite(owner_client)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = client.get(path)

    assert response.status_code == 410
    assert "This invitation has expired" in response.text


def test_given_a_made_up_token_when_opened_then_not_found(client, db):
    response = client.get("/account/invitations/accept/not-a-real-token/")

    assert response.status_code == 404
    assert "This invitation link is not valid" in response.text


def test_given_a_signed_in_user_when_accepting_then_they_join_with_the_invited_role(
    owner, other_owner, client
):
    # the owner of workspace B is invited to A as a manager and is signed in already
    _invitation, raw = invitation_create(
        workspace=owner.workspace, email="boss@rival.test", role="manager", by=owner
    )
    client.force_login(other_owner.user, backend="django.contrib.auth.backends.ModelBackend")
    path = f"/account/invitations/accept/{raw}/"
    assert "Join the workspace" in client.get(path).text

    response = client.post(path)

    assert response.status_code == 302
    joined = Member.objects.get(user=other_owner.user, workspace=owner.workspace)
    assert joined.role == "manager"
    assert client.session[WORKSPACE_KEY] == owner.workspace_id


def test_given_an_address_with_an_account_when_not_signed_in_then_asked_to_sign_in(owner, client):
    UserFactory(email="known@acme.test")
    _invitation, raw = invitation_create(
        workspace=owner.workspace, email="known@acme.test", role="viewer", by=owner
    )
    path = f"/account/invitations/accept/{raw}/"

    response = client.get(path)

    assert "An account for known@acme.test exists already" in response.text
    assert f"/account/login/?next={path}" in response.text


def test_given_a_weak_password_when_accepting_then_the_field_shows_the_error(owner_client, client):
    path = _invite(owner_client)

    response = client.post(path, {"full_name": "Nia", "password1": "short", "password2": "short"})

    assert response.status_code == 400
    assert response.context["form"].errors["password1"] == [
        "This password is too short. It must contain at least 10 characters."
    ]
    assert not User.objects.filter(email="new@acme.test").exists()


def test_given_two_different_passwords_when_accepting_then_the_field_shows_the_error(
    owner_client, client
):
    path = _invite(owner_client)

    response = client.post(
        path, {"full_name": "Nia", "password1": "long-enough-pass-7", "password2": "other-pass-77"}
    )

    assert response.context["form"].errors["password2"] == ["The two passwords differ."]


def test_given_a_second_invitation_to_the_same_address_then_the_first_link_stops_working(
    owner_client, client
):
    first = _invite(owner_client)
    second = _invite(owner_client)

    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_given_a_withdrawn_invitation_when_opened_then_it_has_expired(owner, client):
    invitation, raw = invitation_create(
        workspace=owner.workspace, email="new@acme.test", role="viewer", by=owner
    )
    invitation_revoke(invitation=invitation, by=owner)

    response = client.get(f"/account/invitations/accept/{raw}/")

    assert response.status_code == 410
    assert AuditEntry.objects.filter(action="invitation.revoke").count() == 1


def test_given_a_member_address_when_inviting_then_the_email_field_says_so(owner_client, manager):
    response = owner_client.post(
        "/account/invitations/", {"email": "manager@acme.test", "role": "viewer"}
    )

    assert response.status_code == 400
    assert response.context["invitation_form"].errors == {
        "email": ["manager@acme.test is already a member of this workspace."]
    }
    assert Invitation.objects.count() == 0


def test_given_a_bad_email_when_inviting_then_the_field_error_is_shown(owner_client):
    response = owner_client.post("/account/invitations/", {"email": "not-an-email", "role": "x"})

    assert response.status_code == 400
    assert response.context["invitation_form"].errors == {
        "email": ["Enter a valid email address."],
        "role": ["Select a valid choice. x is not one of the available choices."],
    }
    assert "Enter a valid email address." in response.text


@pytest.mark.parametrize("client_fixture", ["manager_client", "viewer_client"])
def test_given_a_non_owner_when_inviting_then_forbidden(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    response = client.post("/account/invitations/", {"email": "x@acme.test", "role": "owner"})

    assert response.status_code == 403
    assert Invitation.objects.count() == 0


def test_given_a_manager_when_calling_the_service_then_refused(manager):
    with pytest.raises(PermissionDenied):
        invitation_create(
            workspace=manager.workspace, email="x@acme.test", role="owner", by=manager
        )


def test_given_an_invitation_of_b_when_owner_of_a_withdraws_it_then_not_found(
    owner_client, other_owner
):
    invitation, _raw = invitation_create(
        workspace=other_owner.workspace, email="x@rival.test", role="viewer", by=other_owner
    )

    response = owner_client.post(f"/account/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).expires_at > timezone.now()


def test_given_an_already_member_when_accepting_then_their_role_is_kept(owner, manager):
    _invitation, raw = invitation_create(
        workspace=owner.workspace, email="someone@acme.test", role="viewer", by=owner
    )

    member = invitation_accept(raw_token=raw, user=manager.user)

    assert (member.pk, member.role) == (manager.pk, "manager")


def test_given_an_existing_account_when_the_signup_service_is_used_then_refused(owner):
    from infludesk.core.services import invitation_accept_new_user

    MemberFactory(workspace__slug="elsewhere", user__email="taken@acme.test")
    _invitation, raw = invitation_create(
        workspace=owner.workspace, email="taken@acme.test", role="viewer", by=owner
    )

    with pytest.raises(ValidationError, match="exists already"):
        invitation_accept_new_user(raw_token=raw, full_name="X", password=PASSWORD)


def test_given_a_mail_server_that_is_down_when_inviting_then_saved_and_the_link_is_shown(
    owner_client, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    response = owner_client.post(
        "/account/invitations/", {"email": "new@acme.test", "role": "viewer"}
    )

    assert response.status_code == 200
    unsent = response.context["invitation_unsent"]
    raw = unsent["url"].rstrip("/").rsplit("/", 1)[1]
    assert unsent["email"] == "new@acme.test"
    assert Invitation.objects.get().token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert "the email could not be sent" in response.text
    assert f'<code id="invitation-link">{unsent["url"]}</code>' in response.text
