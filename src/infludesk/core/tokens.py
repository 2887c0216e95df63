"""Per-member API tokens: created once in plain text, kept only as a SHA-256, revocable.

A token reads ``ifd_<prefix>_<secret>``: ``prefix`` is 8 hex characters stored in clear so the
user can tell tokens apart, ``secret`` is 32 random bytes (url-safe base64). The database keeps
``sha256(token)`` in a unique column, so checking a token is one indexed lookup whose timing
depends on the hash, not on how many characters of a guess were right.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from infludesk.core.audit import audit_record, changed_fields, snapshot_fields
from infludesk.core.models import ApiToken, Member

PLAINTEXT_MARK = "ifd"
# How stale last_used_at may get before a request writes it again: one write per minute at most
# keeps a busy API client from turning every read into a database write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
_AUDITED = ["id", "workspace", "member", "name", "prefix", "last_used_at", "revoked_at"]


def token_hash(raw: str) -> str:
    """SHA-256 of the whole plain-text token, as 64 hex characters."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_plaintext() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{PLAINTEXT_MARK}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_token_create(*, member: Member, name: str) -> tuple[ApiToken, str]:
    """Create a named token for ``member``; returns the row and the plain text, shown once."""
    name = name.strip()
    if not name:
        raise ValueError("A token needs a name.")
    prefix, raw = _new_plaintext()
    token = ApiToken.objects.create(
        workspace_id=member.workspace_id,
        member=member,
        name=name[:100],
        prefix=prefix,
        token_hash=token_hash(raw),
    )
    audit_record(
        workspace=member.workspace,
        actor=member,
        action="api_token.create",
        target=token,
        changes=changed_fields({}, snapshot_fields(token, _AUDITED)),
    )
    return token, raw


def api_token_authenticate(raw: str) -> Member | None:
    """The member a Bearer token belongs to, or None for an unknown, revoked or malformed one.

    Also refuses tokens of deactivated users. Updates ``last_used_at`` when it is older than
    LAST_USED_RESOLUTION.
    """
    raw = (raw or "").strip()
    if not raw.startswith(f"{PLAINTEXT_MARK}_") or len(raw) > 200:
        return None
    digest = token_hash(raw)
    token = (
        ApiToken.objects.select_related("member__workspace", "member__user")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    member = token.member
    if not member.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return member


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Member) -> ApiToken:
    """Revoke a token. Its holder may revoke it, and so may an owner of its workspace.

    Revoking an already revoked token changes nothing and records nothing.
    """
    if token.workspace_id != by.workspace_id or (
        token.member_id != by.pk and not by.can_manage_members
    ):
        raise PermissionDenied("You can revoke only your own API tokens.")
    if token.revoked_at is not None:
        return token
    before = snapshot_fields(token, _AUDITED)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        workspace=by.workspace,
        actor=by,
        action="api_token.revoke",
        target=token,
        changes=changed_fields(before, snapshot_fields(token, _AUDITED)),
    )
    return token
