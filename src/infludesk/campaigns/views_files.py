"""A deal's files: the list (loaded into the deal page with HTMX, or as its own page), upload,
download through this signed-in, workspace-scoped view only, and delete."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from infludesk.campaigns import files
from infludesk.campaigns.models import Deal, DealFile
from infludesk.core.permissions import member_required

READ_ONLY = "Your role in this workspace is read-only."


def _deal(request: HttpRequest, deal_id: int) -> Deal:
    return get_object_or_404(
        Deal.objects.select_related("campaign", "creator", "workspace"),
        pk=deal_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )


def _file(request: HttpRequest, deal_id: int, file_id: int) -> DealFile:
    return get_object_or_404(
        DealFile,
        pk=file_id,
        deal_id=deal_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


def files_context(deal: Deal, errors: list[str] | None = None) -> dict[str, Any]:
    return {
        "deal": deal,
        "files": DealFile.objects.filter(deal=deal)
        .select_related("uploaded_by__user")
        .prefetch_related("drafts"),
        "errors": errors or [],
        "max_mb": f"{files.max_bytes() / 1024 / 1024:g}",
        "accept": ",".join(files.ALLOWED),
        "allowed_text": files.ALLOWED_TEXT,
    }


@member_required()
@require_http_methods(["GET", "POST"])
def deal_files(request: HttpRequest, deal_id: int) -> HttpResponse:
    """GET: the files (a partial for HTMX or ?partial=1). POST: upload one (multipart `file`)."""
    deal = _deal(request, deal_id)
    member = request.member  # type: ignore[attr-defined]
    partial = bool(getattr(request, "htmx", False)) or request.GET.get("partial") == "1"
    errors: list[str] = []
    if request.method == "POST":
        if not member.can_write:
            return HttpResponse(READ_ONLY, status=403)
        upload = request.FILES.get("file")
        if upload is None:
            errors = ["Choose a file to upload."]
        else:
            try:
                row = files.deal_file_upload(deal=deal, upload=upload, by=member)
            except ValidationError as exc:
                errors = _messages(exc)
            else:
                if not partial:
                    messages.success(request, f"{row.original_name} uploaded.")
                    return redirect("deals:detail", deal_id=deal.pk)
    template = "campaigns/_deal_files.html" if partial else "campaigns/deal_files.html"
    return render(request, template, files_context(deal, errors), status=400 if errors else 200)


@member_required()
@require_GET
def deal_file_download(request: HttpRequest, deal_id: int, file_id: int) -> HttpResponse:
    """The file's bytes as a download (``?inline=1`` shows images, videos and PDFs in the
    browser, sandboxed). Only members of the deal's workspace get here."""
    row = _file(request, deal_id, file_id)
    # a streaming response; the decorators' View type only knows HttpResponse
    return cast(HttpResponse, file_response(row, inline=request.GET.get("inline") == "1"))


def file_response(row: DealFile, *, inline: bool = False) -> FileResponse:
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404("The content of this file is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=not (inline and row.content_type in files.INLINE_TYPES),
        filename=row.original_name,
        content_type=row.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@member_required()
@require_POST
def deal_file_delete(request: HttpRequest, deal_id: int, file_id: int) -> HttpResponse:
    row = _file(request, deal_id, file_id)
    if not request.member.can_write:  # type: ignore[attr-defined]
        return HttpResponse(READ_ONLY, status=403)
    try:
        files.deal_file_delete(file=row, by=request.member)  # type: ignore[attr-defined]
    except ValidationError as exc:
        deal = _deal(request, deal_id)
        context = files_context(deal, _messages(exc))
        return render(request, "campaigns/deal_files.html", context, status=400)
    messages.success(request, f"{row.original_name} deleted.")
    return redirect("deals:detail", deal_id=deal_id)
