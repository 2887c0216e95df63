"""Background job for imports. Thin: calls the import service (see STYLE.md)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from infludesk.creators.import_jobs import import_job_run
from infludesk.creators.models import ImportJob


@task()
def run_import_job(*, job_id: int) -> dict[str, int]:
    """Run a queued import job; returns its counts. A finished job is left as it is, so a
    duplicate enqueue does nothing; a crash marks the job failed with the reason."""
    job = (
        ImportJob.objects.select_related("workspace", "created_by__user").filter(pk=job_id).first()
    )
    if job is None or job.status in (ImportJob.Status.DONE, ImportJob.Status.MAPPING):
        return {}
    try:
        import_job_run(job=job)
    except Exception as exc:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            message=f"The import stopped unexpectedly ({exc.__class__.__name__}); "
            "rows before it were saved. Upload the file again to finish it.",
            finished_at=timezone.now(),
        )
        raise
    return {
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "failed": job.failed_count,
    }
