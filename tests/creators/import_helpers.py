"""Helpers shared by the import tests: run a file through the import in the foreground."""

from __future__ import annotations

from infludesk.creators.import_jobs import import_job_create, import_job_run, import_job_start
from infludesk.creators.models import ImportJob

CREATORS_CSV = (
    "Username,Platform,Follower Count,Following,Posts,Full Name,Email,Country,Language,Bio,"
    "Categories,Verified\n"
    "@Maya.Trails,Instagram,12500,310,420,Maya Lind,maya@example.com,se,en,Hikes,"
    "Travel; Outdoor,yes\n"
    'tom_runs,tiktok,"1,200,000",15,88,Tom Berg,,DE,de,,Running,no\n'
)


def run_import(workspace, data, *, kind="creators", filename="creators.csv", by=None, mapping=None):
    """Upload, map (guessed unless given) and run an import; returns the finished job."""
    raw = data.encode() if isinstance(data, str) else data
    job = import_job_create(workspace=workspace, by=by, kind=kind, filename=filename, data=raw)
    import_job_start(job=job, by=by, mapping=mapping or job.mapping, enqueue=False)
    import_job_run(job=job)
    job.refresh_from_db()
    return job


def counts(job: ImportJob) -> tuple[int, int, int, int]:
    return job.created_count, job.updated_count, job.unchanged_count, job.failed_count
