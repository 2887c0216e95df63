"""The audit log: every write service records who changed what, with before/after values.

Who: the `actor` a service passes, else the request's current actor. Writes that no service
call names an actor for (e.g. the link and code the post_save receiver makes for a new deal)
still name the member whose request caused them: AuditActorMiddleware sets the signed-in member
for the duration of each request and the API auth sets the token's member
(`audit_actor_set`); the value lives in a ContextVar, so it never leaks into another request,
thread or task, and a task or command outside any request records no actor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from infludesk.core.models import AuditEntry, Member, Workspace

_current_actor: ContextVar[Member | None] = ContextVar("infludesk_audit_actor", default=None)


def audit_actor() -> Member | None:
    """The member the current request acts for (None outside a request or when signed out)."""
    return _current_actor.get()


def audit_actor_set(member: Member | None) -> None:
    """Make `member` the current actor until the enclosing `acting_as` / middleware ends (the
    API auth calls this once it knows the token's member)."""
    _current_actor.set(member)


@contextmanager
def acting_as(member: Member | None) -> Iterator[None]:
    """Within the block, audit entries without an explicit actor name `member`."""
    token = _current_actor.set(member)
    try:
        yield
    finally:
        _current_actor.reset(token)  # also undoes audit_actor_set calls made inside


class AuditActorMiddleware:
    """The signed-in member (request.member, set by WorkspaceMiddleware, so list this after
    it) is the current audit actor for the whole request; reset when the response is made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(getattr(request, "member", None)):
            return self.get_response(request)


def _actor_for(workspace: Workspace, actor: Member | None) -> Member | None:
    """The explicit actor, else the request's member when they belong to `workspace` (a
    member never signs an entry of another workspace)."""
    if actor is not None:
        return actor
    current = _current_actor.get()
    if current is not None and current.workspace_id == workspace.pk:
        return current
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot_fields(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values (foreign keys as ids), as JSON-ready values."""
    result: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"created_at", "updated_at", "password"}:
            continue
        result[field.attname] = _plain(getattr(instance, field.attname))
    return result


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value differs."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    workspace: Workspace,
    actor: Member | None,
    action: str,
    target: models.Model,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEntry:
    """Write one audit entry. Call inside the write's transaction. Without an `actor`, the
    current request's member (see the module docstring) is recorded."""
    actor = _actor_for(workspace, actor)
    return AuditEntry.objects.create(
        workspace=workspace,
        actor=actor,
        actor_label=actor.user.email if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        changes=changes or {},
    )


def audit_update(
    *, target: models.Model, before: dict[str, Any], actor: Member | None, action: str
) -> AuditEntry | None:
    """Record an update of `target` when a field really changed since `before`
    (from snapshot_fields); nothing is written for a no-op update."""
    changes = changed_fields(before, snapshot_fields(target))
    if not changes:
        return None
    workspace = target.workspace  # type: ignore[attr-defined]
    return audit_record(
        workspace=workspace, actor=actor, action=action, target=target, changes=changes
    )
