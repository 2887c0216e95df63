"""Writes behind the API's file and history endpoints (services: workspace-scoped, audited).

- ``import_job_submit``: upload + mapping + start in one transaction, so a bad mapping leaves
  no half-made job; the background task runs it as it does for the import page.
- ``account_history_upsert``: posts, comments or snapshots of one account in one call. Posts and
  comments go through the import's own row upserts (same validation, same upsert keys); each
  row has its own savepoint, so good rows land and every bad row is reported by its index.
- ``account_sync_request``: queue a sync of one account; ``NoCredentialError`` when the
  workspace has no active token for its platform (nothing is queued).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators.import_jobs import import_job_create, import_job_start
from infludesk.creators.importing_rows import (
    CREATED,
    UNCHANGED,
    Context,
    RowProblems,
    problems_from,
    upsert_comment_row,
    upsert_post_row,
)
from infludesk.creators.models import AccountSnapshot, ImportJob, SocialAccount, SocialCredential
from infludesk.creators.sync import credential_for

HISTORY_KINDS = ("posts", "comments", "snapshots")
SNAPSHOT_FIELDS = (
    "followers",
    "following",
    "posts_count",
    "avg_likes",
    "avg_comments",
    "avg_views",
    "engagement_rate",
    "insights",
)


@transaction.atomic
def import_job_submit(
    *,
    workspace: Workspace,
    by: Member,
    kind: str,
    filename: str,
    data: bytes,
    mapping: dict[str, str] | None,
) -> ImportJob:
    """Keep the file and queue it with ``mapping`` (import field -> file column); without a
    mapping the guessed one is used. Raises ``ValidationError`` on ``kind``, ``file`` or
    ``mapping``; then nothing is stored."""
    job = import_job_create(workspace=workspace, by=by, kind=kind, filename=filename, data=data)
    return import_job_start(
        job=job, by=by, mapping=dict(job.mapping if mapping is None else mapping)
    )


@dataclass
class RowError:
    row: int  # 0-based index in the request's rows
    field: str  # the row's field, or "" for the whole row
    message: str


@dataclass
class HistoryResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len({e.row for e in self.errors})


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _import_values(account: SocialAccount, row: dict[str, Any]) -> dict[str, str]:
    values = {key: _cell(value) for key, value in row.items()}
    return {**values, "platform": account.platform, "handle": account.handle}


def _upsert_snapshot(account: SocialAccount, row: dict[str, Any], source: str) -> str:
    """One snapshot by (account, taken_at): an existing one gets the given values."""
    snapshot = AccountSnapshot.objects.filter(account=account, taken_at=row["taken_at"]).first()
    wanted = {name: row[name] for name in SNAPSHOT_FIELDS if row.get(name) is not None}
    outcome = CREATED
    if snapshot is None:
        snapshot = AccountSnapshot(
            workspace_id=account.workspace_id, account=account, taken_at=row["taken_at"]
        )
        wanted["source"] = source
    else:
        wanted = {k: v for k, v in wanted.items() if getattr(snapshot, k) != v}
        if not wanted:
            return UNCHANGED
        outcome = "updated"
    for name, value in wanted.items():
        setattr(snapshot, name, value)
    try:
        snapshot.full_clean(exclude=["workspace", "account"], validate_unique=False)
    except ValidationError as exc:
        raise problems_from(exc) from exc
    snapshot.save()
    return outcome


def account_history_upsert(
    *,
    account: SocialAccount,
    kind: str,
    rows: Sequence[dict[str, Any]],
    by: Member,
    source: str = "api",
) -> HistoryResult:
    """Upsert posts (by post_id), comments (by post_id + comment_id) or snapshots (by
    taken_at) of ``account``; returns the counts and each bad row's index, field and reason."""
    if kind not in HISTORY_KINDS:
        raise ValidationError({"kind": f"Unknown kind '{kind}'; expected {HISTORY_KINDS}."})
    result = HistoryResult()
    with transaction.atomic():
        ctx = Context(workspace=account.workspace, by=by)
        values = [_import_values(account, row) for row in rows]
        if kind != "snapshots":
            ctx.load(kind, values)
        upsert: Callable[[int], str] = {
            "posts": lambda i: upsert_post_row(ctx, values[i]),
            "comments": lambda i: upsert_comment_row(ctx, values[i]),
            "snapshots": lambda i: _upsert_snapshot(account, dict(rows[i]), source),
        }[kind]
        for index in range(len(rows)):
            try:
                with transaction.atomic():
                    outcome = upsert(index)
            except RowProblems as problems:
                result.errors.extend(RowError(index, key, msg) for key, msg in problems.problems)
                continue
            except DatabaseError as exc:
                message = f"The row could not be saved ({exc.__class__.__name__})."
                result.errors.append(RowError(index, "", message))
                continue
            if outcome == CREATED:
                result.created += 1
            else:
                result.updated += 1
                result.unchanged += outcome == UNCHANGED
        audit_record(
            workspace=account.workspace,
            actor=by,
            action=f"{kind}.bulk_upsert",
            target=account,
            changes={
                "created": [None, result.created],
                "updated": [None, result.updated],
                "failed": [None, result.failed],
            },
        )
        if result.created + result.updated - result.unchanged:
            _stats_changed(account, kind)
    return result


def _stats_changed(account: SocialAccount, kind: str) -> None:
    from infludesk.creators.search_texts import account_search_texts_changed
    from infludesk.creators.tasks import recompute_account_stats

    workspace_id, account_ids = account.workspace_id, [account.pk]
    if kind == "posts":  # new captions: searchable now
        account_search_texts_changed(workspace=account.workspace, account_ids=account_ids)
    transaction.on_commit(
        lambda: recompute_account_stats.enqueue(workspace_id=workspace_id, account_ids=account_ids)
    )


@transaction.atomic
def account_sync_request(*, account: SocialAccount, by: Member) -> SocialCredential:
    """Queue a sync of ``account`` after commit and return the credential it will use.
    Raises ``NoCredentialError`` when there is none (nothing queued, nothing audited)."""
    from infludesk.creators.tasks_sync import sync_social_account  # it imports creators.sync

    credential = credential_for(account=account)
    audit_record(
        workspace=account.workspace,
        actor=by,
        action="social_account.sync_request",
        target=account,
        changes={"credential": [None, credential.pk]},
    )
    workspace_id, account_id = account.workspace_id, account.pk
    transaction.on_commit(
        lambda: sync_social_account.enqueue(workspace_id=workspace_id, account_id=account_id)
    )
    return credential
