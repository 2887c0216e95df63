"""A tracked link's page: short URL, redirect target, UTM values and their edit form, status
changes, QR codes; and a new link for a creator outside any deal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from infludesk.core.listing import Column, Listing, choices_with_any
from infludesk.core.models import Workspace
from infludesk.core.permissions import member_required
from infludesk.creators.models import Creator
from infludesk.tracking.links import (
    UTM_KEYS,
    link_utm,
    short_url,
    tracked_link_create,
    tracked_link_qr,
    tracked_link_set_status,
    tracked_link_update,
)
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


def _errors_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


@require_POST
@member_required(write=True)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the destination and UTM values; a field left out of the form stays as it is,
    an empty UTM value leaves that parameter out of the target."""
    link = _link(request, pk)
    fields = {
        name: request.POST[name] for name in ("destination_url", *UTM_KEYS) if name in request.POST
    }
    try:
        tracked_link_update(link=link, by=request.member, **fields)  # type: ignore[attr-defined]
    except ValidationError as exc:
        return HttpResponse(_errors_text(exc), status=400, content_type="text/plain; charset=utf-8")
    messages.success(request, "Destination and UTM values saved.")
    return redirect("links:detail", pk=link.pk)


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def create(request: HttpRequest) -> HttpResponse:
    """A link for a creator outside any deal (deal links come with the deal, see
    tracking/defaults.py, or from the deal page). Blank UTM values get their defaults."""
    workspace = request.workspace  # type: ignore[attr-defined]
    creators = Creator.objects.filter(workspace=workspace).order_by("name", "pk")
    error = ""
    if request.method == "POST":
        creator_id = request.POST.get("creator", "")
        creator = creators.filter(pk=creator_id).first() if creator_id.isdigit() else None
        if creator is None:
            error = "creator: Pick a creator of this workspace."
        else:
            utm = {k: request.POST.get(k, "").strip() or None for k in UTM_KEYS}
            try:
                link = tracked_link_create(
                    workspace=workspace,
                    creator=creator,
                    destination_url=request.POST.get("destination_url", "").strip(),
                    by=request.member,  # type: ignore[attr-defined]
                    utm_source=utm["utm_source"],
                    utm_medium=utm["utm_medium"],
                    utm_campaign=utm["utm_campaign"],
                    utm_content=utm["utm_content"],
                )
            except ValidationError as exc:
                error = _errors_text(exc)
            else:
                messages.success(request, f"Tracked link {short_url(link)} created.")
                return redirect("links:detail", pk=link.pk)
    return render(
        request,
        "tracking/link_new.html",
        {"creators": creators, "error": error, "utm_keys": UTM_KEYS, "data": request.POST},
        status=400 if error else 200,
    )


LINK_COLUMNS = [
    Column("slug", "Short link", lambda link: f"/l/{link.slug}", sort="slug",
           link=lambda link: reverse("links:detail", args=[link.pk])),
    Column("creator", "Creator", "creator.name", sort="creator__name"),
    Column("campaign", "Campaign", lambda link: link.deal.campaign.name if link.deal else ""),
    Column("destination", "Destination", "destination_url", sort="destination_url"),
    Column("status", "Status", lambda link: link.get_status_display(), sort="status"),
    Column("clicks", "Human clicks", "human_clicks", sort="human_clicks", numeric=True),
    Column("created", "Created", lambda link: f"{link.created_at:%Y-%m-%d}", sort="created_at"),
]  # fmt: skip


class LinkFilterForm(forms.Form):
    q = forms.CharField(label="Slug or destination", required=False, max_length=200)
    creator = forms.ModelChoiceField(
        queryset=Creator.objects.none(), required=False, empty_label="Any"
    )
    status = forms.ChoiceField(required=False, choices=choices_with_any(LinkStatus.choices))

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creator"].queryset = Creator.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        ).order_by("name", "pk")


def links_filtered(*, workspace: Workspace, data: dict[str, Any]) -> QuerySet[TrackedLink]:
    rows = (
        TrackedLink.objects.filter(workspace=workspace)
        .select_related("creator", "deal__campaign")
        .annotate(human_clicks=Count("clicks", filter=Q(clicks__is_bot=False)))
    )
    if data.get("q"):
        text = data["q"].strip()
        rows = rows.filter(Q(slug__icontains=text) | Q(destination_url__icontains=text))
    if data.get("creator"):
        rows = rows.filter(creator=data["creator"])
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    return rows


@require_GET
@member_required()
def link_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = LinkFilterForm(request.GET, workspace=workspace)
    form.is_valid()
    listing = Listing(
        request=request,
        queryset=links_filtered(workspace=workspace, data=form.cleaned_data),
        form=form,
        columns=LINK_COLUMNS,
        default_sort="-created",
        page_size=50,
        csv_filename="tracked-links.csv",
    )
    return listing.response(template="tracking/links.html")
