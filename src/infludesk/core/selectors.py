"""Reads for core. Every function takes the workspace first and reads only its rows."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from infludesk.core.models import ApiToken, AuditEntry, Invitation, Member, Role, User, Workspace

_ROLE_ORDER = Case(
    When(role=Role.OWNER, then=Value(0)),
    When(role=Role.MANAGER, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def member_list(*, workspace: Workspace) -> QuerySet[Member]:
    """The workspace's members with their users: owners first, then managers, then viewers."""
    return (
        Member.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by(_ROLE_ORDER, "user__email")
    )


def member_get(*, workspace: Workspace, member_id: int) -> Member | None:
    """One member of this workspace, or None (also for another workspace's member)."""
    return (
        Member.objects.filter(workspace=workspace, pk=member_id)
        .select_related("user", "workspace")
        .first()
    )


def invitation_list_pending(*, workspace: Workspace) -> QuerySet[Invitation]:
    """Invitations not yet accepted whose link still works, newest first."""
    return (
        Invitation.objects.filter(
            workspace=workspace, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("invited_by__user")
        .order_by("-created_at", "-id")
    )


def invitation_get(*, workspace: Workspace, invitation_id: int) -> Invitation | None:
    return (
        Invitation.objects.filter(workspace=workspace, pk=invitation_id)
        .select_related("workspace")
        .first()
    )


def api_token_list(*, workspace: Workspace, member: Member) -> QuerySet[ApiToken]:
    """The tokens a member may see: their own; an owner sees every member's (to revoke them)."""
    tokens = ApiToken.objects.filter(workspace=workspace).select_related("member__user")
    if not member.can_manage_members:
        tokens = tokens.filter(member=member)
    return tokens.order_by("revoked_at", "-created_at", "-id")


def api_token_get(*, workspace: Workspace, token_id: int) -> ApiToken | None:
    return (
        ApiToken.objects.filter(workspace=workspace, pk=token_id)
        .select_related("member", "workspace")
        .first()
    )


def audit_entry_list(*, workspace: Workspace, action: str = "") -> QuerySet[AuditEntry]:
    """The workspace's audit log, newest first, optionally one action (e.g. member.remove)."""
    entries = AuditEntry.objects.filter(workspace=workspace).select_related("actor__user")
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-created_at", "-id")


def audit_action_names(*, workspace: Workspace) -> list[str]:
    """The distinct actions recorded in this workspace, for the filter."""
    return list(
        AuditEntry.objects.filter(workspace=workspace)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )


def account_exists(*, email: str) -> bool:
    """Whether someone has an account with this email address (any case)."""
    return User.objects.filter(email__iexact=email).exists()
