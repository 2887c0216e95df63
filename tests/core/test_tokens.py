"""API token helpers: created once in plain text, stored hashed, authenticated, revoked."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from infludesk.core.models import ApiToken, AuditEntry
from infludesk.core.tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)


def test_given_a_member_when_creating_a_token_then_only_its_sha256_and_prefix_are_stored(owner):
    token, raw = api_token_create(member=owner, name="CI")

    stored = ApiToken.objects.get(pk=token.pk)
    mark, prefix, secret = raw.split("_", 2)
    assert (mark, stored.prefix, stored.name, stored.workspace_id) == (
        "ifd",
        prefix,
        "CI",
        owner.workspace_id,
    )
    assert len(prefix) == 8
    assert len(secret) == 43  # 32 random bytes, url-safe base64 without padding
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(AuditEntry.objects.get(action="api_token.create").changes)


def test_given_a_blank_name_when_creating_a_token_then_it_is_refused(owner):
    with pytest.raises(ValueError, match="needs a name"):
        api_token_create(member=owner, name="   ")


def test_given_a_valid_token_when_authenticating_then_its_member_is_returned(owner):
    _token, raw = api_token_create(member=owner, name="CI")

    assert api_token_authenticate(raw) == owner


@pytest.mark.parametrize("raw", ["", "ifd_", "nope", "ifd_deadbeef_wrongsecret", "x" * 500])
def test_given_an_unknown_token_when_authenticating_then_none(owner, raw):
    api_token_create(member=owner, name="CI")

    assert api_token_authenticate(raw) is None


def test_given_a_revoked_token_when_authenticating_then_none(owner):
    token, raw = api_token_create(member=owner, name="CI")
    api_token_revoke(token=token, by=owner)

    assert api_token_authenticate(raw) is None


def test_given_an_inactive_user_when_authenticating_then_none(owner):
    _token, raw = api_token_create(member=owner, name="CI")
    owner.user.is_active = False
    owner.user.save(update_fields=["is_active"])

    assert api_token_authenticate(raw) is None


def test_given_a_fresh_use_when_authenticating_again_within_a_minute_then_last_used_is_kept(
    owner,
):
    token, raw = api_token_create(member=owner, name="CI")
    recent = timezone.now() - dt.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    api_token_authenticate(raw)

    assert ApiToken.objects.get(pk=token.pk).last_used_at == recent


def test_given_an_old_use_when_authenticating_then_last_used_moves_forward(owner):
    token, raw = api_token_create(member=owner, name="CI")
    old = timezone.now() - dt.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)

    api_token_authenticate(raw)

    assert ApiToken.objects.get(pk=token.pk).last_used_at > old


def test_given_a_token_when_revoked_then_the_audit_entry_has_before_and_after(owner):
    token, _raw = api_token_create(member=owner, name="CI")

    api_token_revoke(token=token, by=owner)

    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert entry.changes["revoked_at"][0] is None
    assert entry.changes["revoked_at"][1] == token.revoked_at.isoformat()
    assert (entry.actor_id, entry.target_id) == (owner.pk, str(token.pk))


def test_given_a_revoked_token_when_revoked_again_then_nothing_more_is_recorded(owner):
    token, _raw = api_token_create(member=owner, name="CI")
    api_token_revoke(token=token, by=owner)

    api_token_revoke(token=token, by=owner)

    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_given_another_members_token_when_a_manager_revokes_then_refused(owner, manager):
    token, _raw = api_token_create(member=owner, name="CI")

    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=manager)


def test_given_a_managers_token_when_the_owner_revokes_then_it_is_revoked(owner, manager):
    token, _raw = api_token_create(member=manager, name="CI")

    api_token_revoke(token=token, by=owner)

    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_given_a_token_of_workspace_b_when_owner_of_a_revokes_then_refused(owner, other_owner):
    token, _raw = api_token_create(member=other_owner, name="CI")

    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=owner)
