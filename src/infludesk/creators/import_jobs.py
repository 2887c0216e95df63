"""Import jobs: upload a file, choose its column mapping, run it in the background.

- ``import_job_create`` reads the file once to check it and guess the mapping (status mapping);
- ``import_job_start`` stores the chosen mapping and enqueues ``run_import_job`` on commit;
- ``import_job_run`` (the task's body) upserts the rows in chunks of ``CHUNK``: each chunk is one
  transaction that also saves the progress counters, each row has its own savepoint, so a bad
  row is rolled back alone and a crash leaves whole rows and a true count behind. A rerun (the
  task retried) starts over; the upsert makes that harmless.
- the job's bad rows make the error file: its original cells plus ``line`` and ``error``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators.importing import (
    FileProblem,
    Table,
    check_mapping,
    guess_mapping,
    mapped_rows,
    read_table,
)
from infludesk.creators.importing_rows import (
    CREATED,
    UNCHANGED,
    UPSERTS,
    Context,
    RowProblems,
)
from infludesk.creators.models import ImportJob

CHUNK = 100
MAX_STORED_ERRORS = 5_000


@transaction.atomic
def import_job_create(
    *, workspace: Workspace, by: Member | None, kind: str, filename: str, data: bytes
) -> ImportJob:
    """Keep an uploaded file as a job waiting for its mapping. Raises ``ValidationError`` on
    ``file`` when the file cannot be read at all (format, no header, too big)."""
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": f"Unknown import kind '{kind}'."})
    try:
        table = read_table(data=data, filename=filename)
    except FileProblem as exc:
        raise ValidationError({"file": str(exc)}) from exc
    job = ImportJob.objects.create(
        workspace=workspace,
        created_by=by,
        kind=kind,
        filename=filename[:255],
        data=data,
        mapping=guess_mapping(kind=kind, headers=table.headers),
        total=len(table.rows),
    )
    audit_record(
        workspace=workspace,
        actor=by,
        action="import.upload",
        target=job,
        changes={"filename": [None, job.filename], "rows": [None, job.total]},
    )
    return job


def import_job_table(*, job: ImportJob) -> Table:
    """The job's file parsed again (it was readable when uploaded)."""
    return read_table(data=bytes(job.data), filename=job.filename)


@transaction.atomic
def import_job_start(
    *, job: ImportJob, by: Member | None, mapping: dict[str, str], enqueue: bool = True
) -> ImportJob:
    """Store the mapping and queue the job. Raises ``ValidationError`` on ``mapping`` with
    every problem (a required field left unmapped, a column used twice). With ``enqueue`` the
    background task runs it after commit; without, the caller runs ``import_job_run``."""
    if job.status != ImportJob.Status.MAPPING:
        raise ValidationError({"mapping": "This import has already been started."})
    mapping = {key: header for key, header in mapping.items() if header}
    table = import_job_table(job=job)
    problems = check_mapping(kind=job.kind, headers=table.headers, mapping=mapping)
    if problems:
        raise ValidationError({"mapping": problems})
    job.mapping = mapping
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["mapping", "status", "updated_at"])
    audit_record(
        workspace=job.workspace,
        actor=by,
        action="import.start",
        target=job,
        changes={"mapping": [None, mapping]},
    )
    from infludesk.creators.tasks_import import run_import_job  # the task module imports this one

    if enqueue:  # the command line runs the job itself, in the foreground
        job_id = job.pk
        transaction.on_commit(lambda: run_import_job.enqueue(job_id=job_id))
    return job


def _chunks(
    table: Table, mapping: dict[str, str]
) -> Iterator[list[tuple[int, list[str], dict[str, str]]]]:
    chunk: list[tuple[int, list[str], dict[str, str]]] = []
    for row, values in mapped_rows(table=table, mapping=mapping):
        chunk.append((row.line, row.values, values))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _record_failure(
    job: ImportJob, line: int, cells: list[str], problems: RowProblems, headers: list[str]
) -> None:
    job.failed_count += 1
    if len(job.errors) >= MAX_STORED_ERRORS:
        return
    columns = {key: header for key, header in job.mapping.items()}
    job.errors.append(
        {
            "line": line,
            "values": cells[: len(headers)],
            "problems": [
                {"column": columns.get(key, ""), "message": message}
                for key, message in problems.problems
            ],
        }
    )


def _run_row(
    job: ImportJob,
    ctx: Context,
    line: int,
    cells: list[str],
    values: dict[str, str],
    headers: list[str],
) -> None:
    upsert = UPSERTS[job.kind]
    try:
        with transaction.atomic():
            outcome = upsert(ctx, values)
    except RowProblems as problems:
        _record_failure(job, line, cells, problems, headers)
        return
    except DatabaseError as exc:
        # a constraint the checks did not foresee: the savepoint dropped the row, go on
        problem = RowProblems([("", f"The row could not be saved ({exc.__class__.__name__}).")])
        _record_failure(job, line, cells, problem, headers)
        return
    if outcome == CREATED:
        job.created_count += 1
    else:
        job.updated_count += 1
        if outcome == UNCHANGED:
            job.unchanged_count += 1


PROGRESS_FIELDS = [
    "status",
    "total",
    "processed",
    "created_count",
    "updated_count",
    "unchanged_count",
    "failed_count",
    "errors",
    "message",
    "finished_at",
    "updated_at",
]


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Upsert every row of the job's file; see the module docstring for the transactions."""
    try:
        table = import_job_table(job=job)
    except FileProblem as exc:
        job.status, job.message, job.finished_at = ImportJob.Status.FAILED, str(exc), timezone.now()
        job.save(update_fields=PROGRESS_FIELDS)
        return job
    job.status, job.total, job.processed, job.errors = (
        ImportJob.Status.RUNNING,
        len(table.rows),
        0,
        [],
    )
    job.created_count = job.updated_count = job.unchanged_count = job.failed_count = 0
    job.save(update_fields=PROGRESS_FIELDS)
    ctx = Context(workspace=job.workspace, by=job.created_by)
    for chunk in _chunks(table, job.mapping):
        with transaction.atomic():
            ctx.load(job.kind, [values for _, _, values in chunk])
            for line, cells, values in chunk:
                _run_row(job, ctx, line, cells, values, table.headers)
            job.processed += len(chunk)
            job.save(update_fields=PROGRESS_FIELDS)
    _finish(job, ctx)
    return job


@transaction.atomic
def _finish(job: ImportJob, ctx: Context) -> None:
    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
    job.save(update_fields=PROGRESS_FIELDS)
    audit_record(
        workspace=job.workspace,
        actor=job.created_by,
        action="import.finish",
        target=job,
        changes={
            name: [None, getattr(job, f"{name}_count")]
            for name in ("created", "updated", "unchanged", "failed")
        },
    )
    if ctx.touched_accounts:
        from infludesk.creators.search_texts import account_search_texts_changed
        from infludesk.creators.tasks import recompute_account_stats

        workspace_id, account_ids = job.workspace_id, sorted(ctx.touched_accounts)
        if job.kind == ImportJob.Kind.POSTS:  # new captions: searchable now, embedded later
            account_search_texts_changed(workspace=job.workspace, account_ids=account_ids)
        transaction.on_commit(
            lambda: recompute_account_stats.enqueue(
                workspace_id=workspace_id, account_ids=account_ids
            )
        )


def error_lines(job: ImportJob) -> list[str]:
    """Each bad row as 'Line 3, column followers: ...' for pages and the command line."""
    result = []
    for error in job.errors:
        for problem in error["problems"]:
            where = f", column {problem['column']}" if problem["column"] else ""
            result.append(f"Line {error['line']}{where}: {problem['message']}")
    return result


def error_file_csv(*, job: ImportJob) -> str:
    """The bad rows as CSV: the file's own columns, then ``line`` and ``error`` (all of the
    row's problems, '; '-joined). Fix the cells and upload it again; the two extra columns
    are ignored by the mapping."""
    headers = import_job_table(job=job).headers
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*headers, "line", "error"])
    for error in job.errors:
        values = list(error["values"]) + [""] * (len(headers) - len(error["values"]))
        message = "; ".join(
            f"{p['column']}: {p['message']}" if p["column"] else p["message"]
            for p in error["problems"]
        )
        writer.writerow([*values, error["line"], message])
    return out.getvalue()
