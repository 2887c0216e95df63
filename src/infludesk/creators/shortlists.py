"""Shortlists: named lists of creators shared in the workspace. Writes (audited) and reads."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators import costs
from infludesk.creators.cost_table import account_estimate, cost_table_get
from infludesk.creators.models import Creator, Shortlist, ShortlistEntry, SocialAccount

NAME_MAX = 120
NOTE_MAX = 300


def _clean_name(*, workspace: Workspace, name: str, exclude_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["A shortlist needs a name."]})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [f"Keep the name to {NAME_MAX} characters."]})
    taken = Shortlist.objects.filter(workspace=workspace, name__iexact=name)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise ValidationError({"name": [f"There is already a shortlist named {name!r}."]})
    return name


@transaction.atomic
def shortlist_create(
    *, workspace: Workspace, name: str, by: Member, description: str = ""
) -> Shortlist:
    """A new, empty shortlist; names are unique in the workspace (ignoring case)."""
    shortlist = Shortlist.objects.create(
        workspace=workspace,
        name=_clean_name(workspace=workspace, name=name),
        description=description.strip(),
        created_by=by,
    )
    audit_record(
        workspace=workspace,
        actor=by,
        action="shortlist.create",
        target=shortlist,
        changes={"name": [None, shortlist.name]},
    )
    return shortlist


@transaction.atomic
def shortlist_rename(*, shortlist: Shortlist, name: str, by: Member) -> Shortlist:
    old = shortlist.name
    shortlist.name = _clean_name(workspace=shortlist.workspace, name=name, exclude_id=shortlist.pk)
    shortlist.save(update_fields=["name", "updated_at"])
    audit_record(
        workspace=shortlist.workspace,
        actor=by,
        action="shortlist.rename",
        target=shortlist,
        changes={"name": [old, shortlist.name]},
    )
    return shortlist


@transaction.atomic
def shortlist_delete(*, shortlist: Shortlist, by: Member) -> None:
    """Delete the shortlist and its entries (the creators stay)."""
    audit_record(
        workspace=shortlist.workspace,
        actor=by,
        action="shortlist.delete",
        target=shortlist,
        changes={"name": [shortlist.name, None]},
    )
    shortlist.delete()


@dataclass
class EntriesAdded:
    added: list[Creator]
    already: list[Creator]


@transaction.atomic
def shortlist_entries_add(
    *, shortlist: Shortlist, creator_ids: list[int], by: Member, note: str = ""
) -> EntriesAdded:
    """Add creators of the shortlist's workspace; those already on it are named, not doubled.
    Raises ValidationError naming ids that are not creators of this workspace."""
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [f"Keep the note to {NOTE_MAX} characters."]})
    ids = list(dict.fromkeys(creator_ids))
    if not ids:
        raise ValidationError({"creator_ids": ["Pick at least one creator."]})
    creators = {c.pk: c for c in Creator.objects.filter(workspace=shortlist.workspace, pk__in=ids)}
    missing = [i for i in ids if i not in creators]
    if missing:
        raise ValidationError({"creator_ids": [f"No such creator(s) here: {missing}."]})
    present = set(shortlist.entries.filter(creator_id__in=ids).values_list("creator_id", flat=True))
    result = EntriesAdded(added=[], already=[])
    for creator_id in ids:
        creator = creators[creator_id]
        if creator_id in present:
            result.already.append(creator)
            continue
        entry = ShortlistEntry.objects.create(
            workspace=shortlist.workspace, shortlist=shortlist, creator=creator, note=note.strip()
        )
        audit_record(
            workspace=shortlist.workspace,
            actor=by,
            action="shortlist.entry_add",
            target=entry,
            changes={"creator": [None, creator.name]},
        )
        result.added.append(creator)
    return result


@transaction.atomic
def shortlist_entry_note(*, entry: ShortlistEntry, note: str, by: Member) -> ShortlistEntry:
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [f"Keep the note to {NOTE_MAX} characters."]})
    old = entry.note
    entry.note = note
    entry.save(update_fields=["note", "updated_at"])
    audit_record(
        workspace=entry.workspace,
        actor=by,
        action="shortlist.entry_note",
        target=entry,
        changes={"note": [old, note]},
    )
    return entry


@transaction.atomic
def shortlist_entry_remove(*, entry: ShortlistEntry, by: Member) -> None:
    audit_record(
        workspace=entry.workspace,
        actor=by,
        action="shortlist.entry_remove",
        target=entry,
        changes={"creator": [entry.creator_id, None]},
    )
    entry.delete()


# --- reads ---------------------------------------------------------------------------------


def shortlist_list(*, workspace: Workspace) -> QuerySet[Shortlist]:
    """The workspace's shortlists by name, each with ``entry_count``."""
    return (
        Shortlist.objects.filter(workspace=workspace)
        .annotate(entry_count=Count("entries"))
        .select_related("created_by__user")
        .order_by("name", "pk")
    )


def shortlist_get(*, workspace: Workspace, shortlist_id: int) -> Shortlist:
    return get_object_or_404(Shortlist, workspace=workspace, pk=shortlist_id)


def shortlist_entry_get(*, shortlist: Shortlist, entry_id: int) -> ShortlistEntry:
    return get_object_or_404(
        ShortlistEntry, workspace=shortlist.workspace, shortlist=shortlist, pk=entry_id
    )


@dataclass(frozen=True)
class EntryRow:
    """One shortlisted creator with their main account (most followed) and its estimate."""

    entry: ShortlistEntry
    creator: Creator
    account: SocialAccount | None
    total_followers: int
    estimate: costs.CostEstimate | None


def shortlist_rows(
    *, workspace: Workspace, shortlist: Shortlist, fmt: str = "post"
) -> list[EntryRow]:
    """The shortlist's creators in the order added, with the estimated cost and reach of one
    deliverable (``fmt``, a feed post by default) by their main account; three queries
    whatever the length."""
    accounts = SocialAccount.objects.filter(workspace=workspace).order_by("-followers", "pk")
    entries = (
        ShortlistEntry.objects.filter(workspace=workspace, shortlist=shortlist)
        .select_related("creator")
        .prefetch_related(Prefetch("creator__accounts", queryset=accounts, to_attr="account_list"))
        .order_by("created_at", "pk")
    )
    table = cost_table_get(workspace=workspace)
    rows = []
    for entry in entries:
        account_list = entry.creator.account_list  # type: ignore[attr-defined]
        main = account_list[0] if account_list else None
        rows.append(
            EntryRow(
                entry=entry,
                creator=entry.creator,
                account=main,
                total_followers=sum(a.followers for a in account_list),
                estimate=account_estimate(main, table, fmt) if main is not None else None,
            )
        )
    return rows
