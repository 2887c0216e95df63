"""Writes for core: every change goes through a function here (see STYLE.md).

Workspaces, members and invitations. API tokens live in ``core/tokens.py``. Each write runs in
one transaction and records an audit entry with the before/after of the fields it changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import zoneinfo
from functools import lru_cache
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from infludesk.core.audit import audit_record, changed_fields, snapshot_fields
from infludesk.core.models import Invitation, Member, Role, User, Workspace

INVITATION_LIFETIME = dt.timedelta(days=7)
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_WORKSPACE_FIELDS = ["id", "name", "slug", "currency", "time_zone"]
_MEMBER_FIELDS = ["id", "workspace", "user", "role"]
_INVITATION_FIELDS = ["id", "workspace", "email", "role", "expires_at", "accepted_at"]


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    """The IANA time zone names this machine knows."""
    return frozenset(zoneinfo.available_timezones())


def validate_currency(value: str) -> str:
    """An ISO 4217 style code: three letters, returned in capitals."""
    code = (value or "").strip().upper()
    if not _CURRENCY_RE.match(code):
        raise ValidationError("Enter a three-letter currency code such as USD or EUR.")
    return code


def validate_time_zone(value: str) -> str:
    """An IANA time zone name such as Europe/Berlin."""
    name = (value or "").strip()
    if name not in time_zone_names():
        raise ValidationError(f"{name!r} is not a known time zone (e.g. Europe/Berlin, UTC).")
    return name


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _audit_change(
    *,
    workspace: Workspace,
    actor: Member | None,
    action: str,
    target: Model,
    before: dict[str, Any],
    fields: list[str],
) -> None:
    audit_record(
        workspace=workspace,
        actor=actor,
        action=action,
        target=target,
        changes=changed_fields(before, snapshot_fields(target, fields)),
    )


@transaction.atomic
def workspace_create(*, name: str, currency: str, time_zone: str, owner_user: User) -> Workspace:
    """Create a workspace and make ``owner_user`` its owner."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A workspace needs a name."})
    workspace = Workspace(
        name=name,
        slug=_unique_slug(name),
        currency=validate_currency(currency),
        time_zone=validate_time_zone(time_zone),
    )
    workspace.full_clean()
    workspace.save()
    owner = Member.objects.create(workspace=workspace, user=owner_user, role=Role.OWNER)
    _audit_change(
        workspace=workspace,
        actor=owner,
        action="workspace.create",
        target=workspace,
        before={},
        fields=_WORKSPACE_FIELDS,
    )
    _audit_change(
        workspace=workspace,
        actor=owner,
        action="member.create",
        target=owner,
        before={},
        fields=_MEMBER_FIELDS,
    )
    return workspace


def _require_owner(*, by: Member, workspace_id: int) -> None:
    if by.workspace_id != workspace_id or not by.can_manage_members:
        raise PermissionDenied("Only an owner of this workspace can do this.")


@transaction.atomic
def workspace_update(
    *, workspace: Workspace, by: Member, name: str, currency: str, time_zone: str
) -> Workspace:
    """Change a workspace's name, currency and time zone (owners only)."""
    _require_owner(by=by, workspace_id=workspace.pk)
    before = snapshot_fields(workspace, _WORKSPACE_FIELDS)
    workspace.name = name.strip()
    workspace.currency = validate_currency(currency)
    workspace.time_zone = validate_time_zone(time_zone)
    workspace.full_clean()
    workspace.save(update_fields=["name", "currency", "time_zone"])
    _audit_change(
        workspace=workspace,
        actor=by,
        action="workspace.update",
        target=workspace,
        before=before,
        fields=_WORKSPACE_FIELDS,
    )
    return workspace


def _ensure_an_owner_remains(*, member: Member) -> None:
    """Refuse to demote or remove the last owner.

    The owners are locked first so two owners demoting each other at once cannot both pass.
    """
    owners = list(
        Member.objects.select_for_update()
        .filter(workspace_id=member.workspace_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    if owners == [member.pk]:
        raise ValidationError(
            "A workspace needs at least one owner. Make another member an owner first."
        )


@transaction.atomic
def member_change_role(*, member: Member, role: str, by: Member) -> Member:
    """Give a member another role (owners only); the last owner keeps the owner role."""
    _require_owner(by=by, workspace_id=member.workspace_id)
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role (owner, manager or viewer)."})
    if member.role == role:
        return member
    if member.role == Role.OWNER:
        _ensure_an_owner_remains(member=member)
    before = snapshot_fields(member, _MEMBER_FIELDS)
    member.role = role
    member.save(update_fields=["role"])
    _audit_change(
        workspace=member.workspace,
        actor=by,
        action="member.change_role",
        target=member,
        before=before,
        fields=_MEMBER_FIELDS,
    )
    return member


@transaction.atomic
def member_remove(*, member: Member, by: Member) -> None:
    """Remove a member from the workspace (owners only); the last owner cannot be removed.

    Their API tokens go with the membership.
    """
    _require_owner(by=by, workspace_id=member.workspace_id)
    if member.role == Role.OWNER:
        _ensure_an_owner_remains(member=member)
    before = snapshot_fields(member, _MEMBER_FIELDS)
    # the audit entry is written first: it keeps the target's id and name after the row is gone
    audit_record(
        workspace=member.workspace,
        actor=by,
        action="member.remove",
        target=member,
        changes=changed_fields(before, {}),
    )
    member.delete()


def invitation_token_hash(raw: str) -> str:
    """SHA-256 of an invitation link's token, as 64 hex characters."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def invitation_create(
    *, workspace: Workspace, email: str, role: str, by: Member
) -> tuple[Invitation, str]:
    """Invite someone by email (owners only); returns the invitation and the link's token.

    The token is stored only as its SHA-256. Pending invitations for the same address are
    expired, so only the newest link works. The caller mails the link once this has committed
    (``emails.send_invitation_email``), so a mail failure can be told to the person inviting.
    """
    _require_owner(by=by, workspace_id=workspace.pk)
    email = User.objects.normalize_email(email.strip()).lower()
    if role not in Role.values:
        raise ValidationError({"role": f"{role!r} is not a role (owner, manager or viewer)."})
    if Member.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of this workspace."})
    now = timezone.now()
    Invitation.objects.filter(
        workspace=workspace, email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation(
        workspace=workspace,
        email=email,
        role=role,
        token_hash=invitation_token_hash(raw),
        invited_by=by,
        expires_at=now + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    _audit_change(
        workspace=workspace,
        actor=by,
        action="invitation.create",
        target=invitation,
        before={},
        fields=_INVITATION_FIELDS,
    )
    return invitation, raw


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Member) -> Invitation:
    """Withdraw a pending invitation (owners only): its link stops working at once."""
    _require_owner(by=by, workspace_id=invitation.workspace_id)
    now = timezone.now()
    if invitation.accepted_at is not None or invitation.expires_at <= now:
        return invitation
    before = snapshot_fields(invitation, _INVITATION_FIELDS)
    invitation.expires_at = now
    invitation.save(update_fields=["expires_at"])
    _audit_change(
        workspace=invitation.workspace,
        actor=by,
        action="invitation.revoke",
        target=invitation,
        before=before,
        fields=_INVITATION_FIELDS,
    )
    return invitation


class InvitationUnusable(Exception):
    """The invitation link is unknown, expired, withdrawn or already used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _usable_invitation(raw_token: str, *, lock: bool = True) -> Invitation:
    rows = Invitation.objects.select_related("workspace")
    if lock:
        # two clicks on the same link must not both pass the "not used yet" check
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(token_hash=invitation_token_hash(raw_token or "")).first()
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnusable("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable("expired")
    return invitation


def _join(*, invitation: Invitation, user: User) -> Member:
    member = Member.objects.filter(workspace=invitation.workspace, user=user).first()
    created = member is None
    if member is None:
        member = Member.objects.create(
            workspace=invitation.workspace, user=user, role=invitation.role
        )
    before_inv = snapshot_fields(invitation, _INVITATION_FIELDS)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    _audit_change(
        workspace=invitation.workspace,
        actor=member,
        action="invitation.accept",
        target=invitation,
        before=before_inv,
        fields=_INVITATION_FIELDS,
    )
    if created:
        _audit_change(
            workspace=invitation.workspace,
            actor=member,
            action="member.create",
            target=member,
            before={},
            fields=_MEMBER_FIELDS,
        )
    return member


@transaction.atomic
def invitation_accept(*, raw_token: str, user: User) -> Member:
    """A signed-in user accepts an invitation and joins its workspace with its role.

    Someone who is already a member keeps their current role. Raises InvitationUnusable.
    """
    return _join(invitation=_usable_invitation(raw_token), user=user)


@transaction.atomic
def invitation_accept_new_user(*, raw_token: str, full_name: str, password: str) -> Member:
    """Create the invited person's user (email from the invitation) and join the workspace.

    Raises InvitationUnusable, or ValidationError when the address already has an account
    (they sign in and accept instead) or the password is too weak.
    """
    invitation = _usable_invitation(raw_token)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            f"An account for {invitation.email} exists already: sign in, then open the link again."
        )
    user = User(email=invitation.email, full_name=full_name.strip()[:200])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return _join(invitation=invitation, user=user)


def invitation_lookup(raw_token: str) -> Invitation:
    """The usable invitation for a link's token (a read, for showing the page), else
    InvitationUnusable."""
    return _usable_invitation(raw_token, lock=False)
