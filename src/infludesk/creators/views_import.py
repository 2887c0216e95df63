"""Import pages: upload -> map the columns (with a preview) -> progress -> error file; and the
export of creators in the import's columns."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from infludesk.core.permissions import member_required
from infludesk.creators.exporting import export_csv, export_xlsx
from infludesk.creators.forms import CreatorFilterForm
from infludesk.creators.import_jobs import (
    error_file_csv,
    error_lines,
    import_job_create,
    import_job_start,
    import_job_table,
)
from infludesk.creators.importing import MAX_FILE_BYTES, PREVIEW_ROWS, TARGETS, FileProblem
from infludesk.creators.models import ImportJob
from infludesk.creators.selectors import CreatorFilters

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS = 10


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=ImportJob.Kind.choices)
    file = forms.FileField(label="File (.csv, .xlsx or .json)")

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
        return upload


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    """The workspace's job; another workspace's id is a 404."""
    return get_object_or_404(
        ImportJob.objects.defer("data"),
        pk=job_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def import_start_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                workspace=workspace,
                by=request.member,  # type: ignore[attr-defined]
                kind=form.cleaned_data["kind"],
                filename=upload.name or "upload",
                data=upload.read(),
            )
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                form.add_error("file", message)
        else:
            return redirect("creators_import:map", job_id=job.pk)
    jobs = (
        ImportJob.objects.filter(workspace=workspace)
        .defer("data", "errors")
        .order_by("-created_at", "-pk")[:RECENT_JOBS]
    )
    status = 400 if form.errors else 200
    return render(
        request, "creators/import/start.html", {"form": form, "jobs": jobs}, status=status
    )


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def import_map_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(
        ImportJob,
        pk=job_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    if job.status != ImportJob.Status.MAPPING:
        return redirect("creators_import:job", job_id=job.pk)
    try:
        table = import_job_table(job=job)
    except FileProblem as exc:  # readable at upload; kept for safety
        return render(request, "creators/import/job.html", {"job": job, "problem": str(exc)})
    mapping = dict(job.mapping)
    problems: list[str] = []
    if request.method == "POST":
        mapping = {t.key: request.POST.get(f"map_{t.key}", "") for t in TARGETS[job.kind]}
        try:
            import_job_start(job=job, by=request.member, mapping=mapping)  # type: ignore[attr-defined]
        except ValidationError as exc:
            problems = exc.message_dict.get("mapping", exc.messages)
        else:
            return redirect("creators_import:job", job_id=job.pk)
    fields = [
        {"key": t.key, "label": t.label, "required": t.required, "chosen": mapping.get(t.key, "")}
        for t in TARGETS[job.kind]
    ]
    preview = [row.values for row in table.rows[:PREVIEW_ROWS]]
    return render(
        request,
        "creators/import/map.html",
        {
            "job": job,
            "headers": table.headers,
            "fields": fields,
            "preview": preview,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


def _progress_context(job: ImportJob) -> dict[str, object]:
    percent = 100 if job.total == 0 else round(100 * job.processed / job.total)
    finished = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)
    return {
        "job": job,
        "percent": percent,
        "finished": finished,
        "polling": job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING),
        "error_lines": error_lines(job)[:50] if finished else [],
    }


@member_required()
def import_job_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    return render(request, "creators/import/job.html", _progress_context(job))


@member_required()
def import_progress_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress partial the job page polls every second until the job is finished."""
    job = _job(request, job_id)
    return render(request, "creators/import/_progress.html", _progress_context(job))


@member_required()
def import_errors_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(
        ImportJob,
        pk=job_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    response = HttpResponse(error_file_csv(job=job), content_type="text/csv; charset=utf-8")
    stem = job.filename.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-errors.csv"'
    return response


@member_required()
def export_view(request: HttpRequest) -> HttpResponse:
    """The creators list's filters (same query string) in the import's columns."""
    form = CreatorFilterForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items())
        return HttpResponse(f"Bad filters: {errors}", status=400, content_type="text/plain")
    filters = CreatorFilters.from_cleaned(form.cleaned_data)
    workspace = request.workspace  # type: ignore[attr-defined]
    fmt = request.GET.get("format", "csv")
    if fmt == "xlsx":
        response = HttpResponse(export_xlsx(workspace=workspace, filters=filters), XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="creators.xlsx"'
        return response
    if fmt != "csv":
        return HttpResponse("format must be csv or xlsx", status=400, content_type="text/plain")
    response = HttpResponse(
        export_csv(workspace=workspace, filters=filters), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="creators.csv"'
    return response


def job_url(job: ImportJob) -> str:
    return reverse("creators_import:job", args=[job.pk])
