"""Writes for saved searches: create, rename or change filters, delete (each audited).

The filters arrive already validated by the search API's schema (a JSON object of search
parameters), so running a saved search later goes through the same checks as a typed one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from infludesk.core.audit import audit_record, changed_fields, snapshot_fields
from infludesk.core.models import Member, Workspace
from infludesk.creators.models import SavedSearch

_FIELDS = ["name", "filters"]


def _check_name(*, workspace: Workspace, name: str, exclude_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the search a name."})
    taken = SavedSearch.objects.filter(workspace=workspace, name=name)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise ValidationError({"name": f"A saved search named '{name}' already exists."})
    return name


@transaction.atomic
def saved_search_create(
    *, workspace: Workspace, by: Member, name: str, filters: dict[str, Any]
) -> SavedSearch:
    """Save a named search for everyone in the workspace."""
    saved = SavedSearch(
        workspace=workspace,
        name=_check_name(workspace=workspace, name=name),
        filters=filters,
        created_by=by,
    )
    saved.save()
    audit_record(
        workspace=workspace,
        actor=by,
        action="saved_search.create",
        target=saved,
        changes=changed_fields({}, snapshot_fields(saved, _FIELDS)),
    )
    return saved


@transaction.atomic
def saved_search_update(
    *,
    saved: SavedSearch,
    by: Member,
    name: str | None = None,
    filters: dict[str, Any] | None = None,
) -> SavedSearch:
    """Rename a saved search and/or replace its filters (None leaves a field as it is)."""
    before = snapshot_fields(saved, _FIELDS)
    if name is not None:
        saved.name = _check_name(workspace=saved.workspace, name=name, exclude_id=saved.pk)
    if filters is not None:
        saved.filters = filters
    saved.save()
    audit_record(
        workspace=saved.workspace,
        actor=by,
        action="saved_search.update",
        target=saved,
        changes=changed_fields(before, snapshot_fields(saved, _FIELDS)),
    )
    return saved


@transaction.atomic
def saved_search_delete(*, saved: SavedSearch, by: Member) -> None:
    audit_record(workspace=saved.workspace, actor=by, action="saved_search.delete", target=saved)
    saved.delete()
