"""A tracked link's page: short URL, redirect target, UTM values, status changes, QR codes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from infludesk.core.permissions import member_required
from infludesk.tracking.links import link_utm, short_url, tracked_link_qr, tracked_link_set_status
from infludesk.tracking.models import LinkStatus, TrackedLink

QR_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def _link(request: HttpRequest, pk: int) -> TrackedLink:
    # scoped to the member's workspace: another workspace's link is a 404, not a 403
    return get_object_or_404(
        TrackedLink.objects.select_related("creator", "deal__campaign"),
        workspace=request.workspace,  # type: ignore[attr-defined]
        pk=pk,
    )


@require_GET
@member_required()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    context = {
        "link": link,
        "short_url": short_url(link),
        "utm": link_utm(link),
        "statuses": LinkStatus.choices,
    }
    return render(request, "tracking/link_detail.html", context)


@require_GET
@member_required()
def qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in QR_TYPES:
        raise Http404("QR codes come as .svg or .png")
    link = _link(request, pk)
    response = HttpResponse(tracked_link_qr(link, fmt=fmt), content_type=QR_TYPES[fmt])  # type: ignore[arg-type]
    response["Content-Disposition"] = f'inline; filename="link-{link.slug}.{fmt}"'
    return response


@require_POST
@member_required(write=True)
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    fallback = request.POST.get("fallback_url")
    try:
        tracked_link_set_status(
            link=link,
            status=request.POST.get("status", ""),
            fallback_url=fallback.strip() if fallback is not None else None,
            by=request.member,  # type: ignore[attr-defined]
        )
    except ValidationError as exc:
        text = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    messages.success(request, f"The link is now {link.get_status_display().lower()}.")
    return redirect("links:detail", pk=link.pk)
