"""The audit log: every write service records who changed what, with before/after values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from infludesk.core.models import AuditEntry, Member, Workspace


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
    """Write one audit entry. Call inside the write's transaction."""
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
