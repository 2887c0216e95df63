"""Imports, exports, an account's history writes and its sync over the REST API (mounted by
infludesk.api.api). Every member reads; owners and managers write. Another workspace's job or
account is a 404; bad files, mappings and rows are 422s naming what is wrong.

- ``POST /imports`` (multipart: ``kind``, ``file``, optional ``mapping`` as a JSON object of
  import field -> file column) queues an import job run by the background task, as the page does;
  ``GET /imports/{id}`` is its progress and bad lines, ``GET /imports/{id}/errors.csv`` its
  error file (the bad rows with ``line`` and ``error``; fix and upload it again).
- ``GET /exports/creators?format=csv|xlsx|json`` writes the import's own columns.
- ``POST /social-accounts/{id}/posts/bulk`` (and ``comments/bulk``, ``snapshots/bulk``) upsert
  up to 1,000 rows; good rows land, each bad one is reported by index, field and reason.
- ``POST /social-accounts/{id}/sync`` queues a sync (202), or 409 without a credential.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES, ErrorOut
from infludesk.api.fields import Count, Id, StrictIn
from infludesk.creators.exporting import EXPORT_COLUMNS, export_csv, export_rows, export_xlsx
from infludesk.creators.forms import CreatorFilterForm
from infludesk.creators.history_writes import (
    HistoryResult,
    account_history_upsert,
    account_sync_request,
    import_job_submit,
)
from infludesk.creators.import_jobs import error_file_csv, error_lines
from infludesk.creators.importing import MAX_FILE_BYTES
from infludesk.creators.models import ImportJob, SocialAccount
from infludesk.creators.selectors import CreatorFilters
from infludesk.creators.sync import NoCredentialError

router = Router(tags=["imports and exports"])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 1_000
SHOWN_ERROR_LINES = 100
NUMERIC_EXPORT_COLUMNS = ("followers", "following", "posts")


class ImportJobOut(Schema):
    id: int
    kind: str
    filename: str
    status: str
    mapping: dict[str, str]
    total: int
    processed: int
    percent: int
    created: int
    updated: int
    unchanged: int
    failed: int
    message: str
    error_lines: list[str]
    error_file: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _job_out(job: ImportJob) -> dict[str, Any]:
    has_errors = job.failed_count > 0
    return {
        "id": job.pk,
        "kind": job.kind,
        "filename": job.filename,
        "status": job.status,
        "mapping": job.mapping,
        "total": job.total,
        "processed": job.processed,
        "percent": 100 if job.total == 0 else round(100 * job.processed / job.total),
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "failed": job.failed_count,
        "message": job.message,
        "error_lines": error_lines(job)[:SHOWN_ERROR_LINES],
        "error_file": f"/api/v1/imports/{job.pk}/errors.csv" if has_errors else None,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def _mapping(text: str) -> dict[str, str] | None:
    if not text.strip():
        return None
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError({"mapping": f"The mapping is not valid JSON: {exc.msg}."}) from exc
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise ValidationError(
            {"mapping": 'The mapping must be a JSON object such as {"handle": "Username"}.'}
        )
    return mapping


@router.post(
    "/imports",
    response={202: ImportJobOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Upload a CSV, XLSX or JSON file of creators, posts or comments and queue it",
)
def import_create(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[str] = "creators",
    mapping: Form[str] = "",
) -> Any:
    member = member_of(request)
    if file.size is not None and file.size > MAX_FILE_BYTES:
        raise ValidationError(
            {"file": f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB."}
        )
    job = import_job_submit(
        workspace=member.workspace,
        by=member,
        kind=kind,
        filename=file.name or "upload",
        data=file.read(),
        mapping=_mapping(mapping),
    )
    return Status(202, _job_out(job))


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    member = member_of(request)
    return get_object_or_404(ImportJob, workspace_id=member.workspace_id, pk=job_id)


@router.get(
    "/imports/{job_id}",
    response={200: ImportJobOut, **ERROR_RESPONSES},
    summary="An import's status, progress, counts and first bad lines",
)
def import_read(request: HttpRequest, job_id: Id) -> Any:
    member = member_of(request)
    job = get_object_or_404(
        ImportJob.objects.defer("data"), workspace_id=member.workspace_id, pk=job_id
    )
    return _job_out(job)


@router.get(
    "/imports/{job_id}/errors.csv",
    response={200: None, **ERROR_RESPONSES},
    summary="The import's bad rows as CSV, with their line and error",
)
def import_errors(request: HttpRequest, job_id: Id) -> HttpResponse:
    job = _job(request, job_id)
    response = HttpResponse(error_file_csv(job=job), content_type="text/csv; charset=utf-8")
    stem = job.filename.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-errors.csv"'
    return response


@router.get(
    "/exports/creators",
    response={200: None, **ERROR_RESPONSES},
    summary="Creators' accounts in the import's columns (csv, xlsx or json)",
)
def export_creators(
    request: HttpRequest,
    format: str = "csv",
    q: str = "",
    platform: str = "",
    tier: str = "",
    country: str = "",
    followers_min: int | None = None,
    followers_max: int | None = None,
    er_min: Decimal | None = None,
) -> HttpResponse:
    """The creators list's filters, as the export page reads them."""
    member = member_of(request)
    raw = {
        "q": q,
        "platform": platform,
        "tier": tier,
        "country": country,
        "followers_min": followers_min,
        "followers_max": followers_max,
        "er_min": er_min,
    }
    form = CreatorFilterForm({k: v for k, v in raw.items() if v not in (None, "")})
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    filters = CreatorFilters.from_cleaned(form.cleaned_data)
    workspace = member.workspace
    if format == "csv":
        response = HttpResponse(
            export_csv(workspace=workspace, filters=filters), "text/csv; charset=utf-8"
        )
    elif format == "xlsx":
        response = HttpResponse(export_xlsx(workspace=workspace, filters=filters), XLSX_TYPE)
    elif format == "json":
        numeric = {EXPORT_COLUMNS.index(c) for c in NUMERIC_EXPORT_COLUMNS}
        rows = [
            {
                c: int(v) if i in numeric else v
                for i, (c, v) in enumerate(zip(EXPORT_COLUMNS, r, strict=True))
            }
            for r in export_rows(workspace=workspace, filters=filters)
        ]
        response = HttpResponse(json.dumps(rows, ensure_ascii=False), "application/json")
    else:
        raise ValidationError({"format": "The format must be csv, xlsx or json."})
    response["Content-Disposition"] = f'attachment; filename="creators.{format}"'
    return response


# --- an account's history --------------------------------------------------------------------


class PostRowIn(StrictIn):
    post_id: Annotated[str, Field(min_length=1, max_length=100)]
    posted_at: dt.datetime | None = None
    caption: str | None = None
    likes: Count | None = None
    comments: Count | None = None
    shares: Count | None = None
    saves: Count | None = None
    views: Count | None = None
    url: Annotated[str, Field(max_length=500)] | None = None
    media_type: Annotated[str, Field(max_length=20)] | None = None


class CommentRowIn(StrictIn):
    post_id: Annotated[str, Field(min_length=1, max_length=100)]
    comment_id: Annotated[str, Field(min_length=1, max_length=100)]
    text: str | None = None
    author: Annotated[str, Field(max_length=100)] | None = None
    posted_at: dt.datetime | None = None
    likes: Count | None = None


class SnapshotRowIn(StrictIn):
    taken_at: dt.datetime
    followers: Count
    following: Count | None = None
    posts_count: Count | None = None
    avg_likes: Annotated[float, Field(ge=0)] | None = None
    avg_comments: Annotated[float, Field(ge=0)] | None = None
    avg_views: Annotated[float, Field(ge=0)] | None = None
    engagement_rate: Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=4)] | None = None
    insights: dict[str, Any] | None = None


class PostsIn(StrictIn):
    rows: Annotated[list[PostRowIn], Field(min_length=1, max_length=MAX_ROWS)]


class CommentsIn(StrictIn):
    rows: Annotated[list[CommentRowIn], Field(min_length=1, max_length=MAX_ROWS)]


class SnapshotsIn(StrictIn):
    rows: Annotated[list[SnapshotRowIn], Field(min_length=1, max_length=MAX_ROWS)]


class RowErrorOut(Schema):
    row: int
    field: str | None
    message: str


class BulkOut(Schema):
    created: int
    updated: int
    unchanged: int
    failed: int
    errors: list[RowErrorOut]


def _account(request: HttpRequest, account_id: int) -> SocialAccount:
    member = member_of(request)
    return get_object_or_404(
        SocialAccount.objects.select_related("workspace"),
        workspace_id=member.workspace_id,
        pk=account_id,
    )


def _bulk_out(result: HistoryResult) -> dict[str, Any]:
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "failed": result.failed,
        "errors": [
            {"row": e.row, "field": e.field or None, "message": e.message} for e in result.errors
        ],
    }


def _bulk(request: HttpRequest, account_id: int, kind: str, rows: list[Schema]) -> Any:
    account = _account(request, account_id)
    result = account_history_upsert(
        account=account,
        kind=kind,
        rows=[r.model_dump(exclude_unset=True) for r in rows],
        by=member_of(request),
    )
    return _bulk_out(result)


@router.post(
    "/social-accounts/{account_id}/posts/bulk",
    response={200: BulkOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Upsert the account's posts by post_id; bad rows are reported, good rows land",
)
def account_posts_bulk(request: HttpRequest, account_id: Id, payload: PostsIn) -> Any:
    return _bulk(request, account_id, "posts", list(payload.rows))


@router.post(
    "/social-accounts/{account_id}/comments/bulk",
    response={200: BulkOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Upsert comments on the account's posts by (post_id, comment_id)",
)
def account_comments_bulk(request: HttpRequest, account_id: Id, payload: CommentsIn) -> Any:
    return _bulk(request, account_id, "comments", list(payload.rows))


@router.post(
    "/social-accounts/{account_id}/snapshots/bulk",
    response={200: BulkOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Upsert the account's snapshots by taken_at (follower history)",
)
def account_snapshots_bulk(request: HttpRequest, account_id: Id, payload: SnapshotsIn) -> Any:
    return _bulk(request, account_id, "snapshots", list(payload.rows))


class SyncOut(Schema):
    account_id: int
    queued: bool
    credential_id: int


@router.post(
    "/social-accounts/{account_id}/sync",
    response={202: SyncOut, 409: ErrorOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Queue a sync of the account from its platform (409 without a credential)",
)
def account_sync_post(request: HttpRequest, account_id: Id) -> Any:
    account = _account(request, account_id)
    try:
        credential = account_sync_request(account=account, by=member_of(request))
    except NoCredentialError as exc:
        raise HttpError(409, f"Cannot sync: {exc}.") from exc
    return Status(202, {"account_id": account.pk, "queued": True, "credential_id": credential.pk})
