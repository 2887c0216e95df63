"""Shortlist pages: the list (with a create form), a shortlist's creators with their cost
estimates, rename/delete, entries add/remove/note, and the workspace's cost table."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from infludesk.core.permissions import member_required
from infludesk.creators import cost_table, costs
from infludesk.creators import shortlists as svc
from infludesk.creators.models import CostFormat, Shortlist, Tier


def _errors(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(m for msgs in error.message_dict.values() for m in msgs)
    return " ".join(error.messages)


def _ids(request: HttpRequest) -> list[int] | None:
    """Creator ids from repeated ``ids`` fields or one comma-separated value; None if bad."""
    raw = [part for value in request.POST.getlist("ids") for part in value.split(",")]
    try:
        return [int(part) for part in raw if part.strip()]
    except ValueError:
        return None


@member_required()
def shortlist_list_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    if request.method == "POST":
        if not request.member.can_write:  # type: ignore[attr-defined]
            raise PermissionDenied("Your role in this workspace is read-only.")
        try:
            shortlist = svc.shortlist_create(
                workspace=workspace,
                name=request.POST.get("name", ""),
                description=request.POST.get("description", ""),
                by=request.member,  # type: ignore[attr-defined]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
            return render(
                request,
                "creators/shortlists/list.html",
                {
                    "shortlists": svc.shortlist_list(workspace=workspace),
                    "name": request.POST.get("name", ""),
                },
                status=400,
            )
        messages.success(request, f"Shortlist {shortlist.name!r} created.")
        return redirect("shortlists:detail", shortlist_id=shortlist.pk)
    return render(
        request,
        "creators/shortlists/list.html",
        {"shortlists": svc.shortlist_list(workspace=workspace)},
    )


@member_required()
def shortlist_detail_view(request: HttpRequest, shortlist_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    shortlist = svc.shortlist_get(workspace=workspace, shortlist_id=shortlist_id)
    fmt = request.GET.get("format") or CostFormat.POST
    if fmt not in CostFormat.values:
        return _bad(request, f"Unknown format {fmt!r}; pick one of {', '.join(CostFormat.values)}.")
    rows = svc.shortlist_rows(workspace=workspace, shortlist=shortlist, fmt=fmt)
    return render(
        request,
        "creators/shortlists/detail.html",
        {
            "shortlist": shortlist,
            "rows": rows,
            "currency": workspace.currency,
            "format": fmt,
            "formats": CostFormat.choices,
        },
    )


@require_POST
@member_required(write=True)
def shortlist_rename_view(request: HttpRequest, shortlist_id: int) -> HttpResponse:
    shortlist = svc.shortlist_get(workspace=request.workspace, shortlist_id=shortlist_id)  # type: ignore[attr-defined]
    try:
        svc.shortlist_rename(
            shortlist=shortlist,
            name=request.POST.get("name", ""),
            by=request.member,  # type: ignore[attr-defined]
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _back(shortlist, status=400, request=request)
    messages.success(request, f"Renamed to {shortlist.name!r}.")
    return redirect("shortlists:detail", shortlist_id=shortlist.pk)


@require_POST
@member_required(write=True)
def shortlist_delete_view(request: HttpRequest, shortlist_id: int) -> HttpResponse:
    shortlist = svc.shortlist_get(workspace=request.workspace, shortlist_id=shortlist_id)  # type: ignore[attr-defined]
    name = shortlist.name
    svc.shortlist_delete(shortlist=shortlist, by=request.member)  # type: ignore[attr-defined]
    messages.success(request, f"Shortlist {name!r} deleted.")
    return redirect("shortlists:list")


def _back(shortlist: Shortlist, *, status: int, request: HttpRequest) -> HttpResponse:
    """The detail page again, with the error message shown and a 4xx status."""
    rows = svc.shortlist_rows(workspace=shortlist.workspace, shortlist=shortlist)
    return render(
        request,
        "creators/shortlists/detail.html",
        {
            "shortlist": shortlist,
            "rows": rows,
            "currency": shortlist.workspace.currency,
            "format": CostFormat.POST,
            "formats": CostFormat.choices,
        },
        status=status,
    )


@require_POST
@member_required(write=True)
def shortlist_add_view(request: HttpRequest) -> HttpResponse:
    """Add creators (``ids``) to a shortlist: ``shortlist`` (an id) or ``shortlist_name``
    (an existing shortlist's name, or a new one to create)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    member = request.member  # type: ignore[attr-defined]
    ids = _ids(request)
    if not ids:
        return _bad(request, "Pick at least one creator (creator ids are whole numbers).")
    shortlist_id = request.POST.get("shortlist", "").strip()
    name = request.POST.get("shortlist_name", "").strip()
    try:
        if shortlist_id:
            if not shortlist_id.isdigit():
                return _bad(request, "Pick a shortlist.")
            shortlist = svc.shortlist_get(workspace=workspace, shortlist_id=int(shortlist_id))
        elif name:
            found = Shortlist.objects.filter(workspace=workspace, name__iexact=name).first()
            shortlist = found or svc.shortlist_create(workspace=workspace, name=name, by=member)
        else:
            return _bad(request, "Pick a shortlist or type a name for a new one.")
        result = svc.shortlist_entries_add(
            shortlist=shortlist, creator_ids=ids, note=request.POST.get("note", ""), by=member
        )
    except ValidationError as error:
        return _bad(request, _errors(error))
    text = f"Added {len(result.added)} creator(s) to {shortlist.name!r}."
    if result.already:
        text += " Already on it: " + ", ".join(c.name for c in result.already) + "."
    messages.success(request, text)
    return redirect("shortlists:detail", shortlist_id=shortlist.pk)


def _bad(request: HttpRequest, text: str) -> HttpResponse:
    """A 400 page saying what was wrong, with a way back."""
    return render(
        request,
        "creators/shortlists/error.html",
        {"message": text, "back": request.META.get("HTTP_REFERER") or reverse("creators:list")},
        status=400,
    )


@require_POST
@member_required(write=True)
def entry_note_view(request: HttpRequest, shortlist_id: int, entry_id: int) -> HttpResponse:
    shortlist = svc.shortlist_get(workspace=request.workspace, shortlist_id=shortlist_id)  # type: ignore[attr-defined]
    entry = svc.shortlist_entry_get(shortlist=shortlist, entry_id=entry_id)
    try:
        svc.shortlist_entry_note(entry=entry, note=request.POST.get("note", ""), by=request.member)  # type: ignore[attr-defined]
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _back(shortlist, status=400, request=request)
    messages.success(request, "Note saved.")
    return redirect("shortlists:detail", shortlist_id=shortlist.pk)


@require_POST
@member_required(write=True)
def entry_remove_view(request: HttpRequest, shortlist_id: int, entry_id: int) -> HttpResponse:
    shortlist = svc.shortlist_get(workspace=request.workspace, shortlist_id=shortlist_id)  # type: ignore[attr-defined]
    entry = svc.shortlist_entry_get(shortlist=shortlist, entry_id=entry_id)
    name = entry.creator.name
    svc.shortlist_entry_remove(entry=entry, by=request.member)  # type: ignore[attr-defined]
    messages.success(request, f"Removed {name} from {shortlist.name!r}.")
    return redirect("shortlists:detail", shortlist_id=shortlist.pk)


# --- the cost table ------------------------------------------------------------------------


def _money(value: str) -> Decimal | None:
    try:
        amount = Decimal(value.strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        return None
    return amount if amount.is_finite() else None


@member_required()
def cost_table_view(request: HttpRequest) -> HttpResponse:
    """GET shows the price per tier and format; POST (owner/manager) sets one, or resets it
    to the default with ``reset``."""
    workspace = request.workspace  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        if not request.member.can_write:  # type: ignore[attr-defined]
            raise PermissionDenied("Your role in this workspace is read-only.")
        tier = request.POST.get("tier", "")
        fmt = request.POST.get("format", "")
        if "reset" in request.POST:
            member = request.member  # type: ignore[attr-defined]
            cost_table.cost_benchmark_reset(workspace=workspace, tier=tier, fmt=fmt, by=member)
            messages.success(request, "Back to the default price.")
            return redirect("shortlists:costs")
        low, high = _money(request.POST.get("low", "")), _money(request.POST.get("high", ""))
        if low is None or high is None:
            messages.error(request, "Low and high must be amounts, e.g. 250 or 1200.50.")
            status = 400
        else:
            try:
                cost_table.cost_benchmark_set(
                    workspace=workspace,
                    tier=tier,
                    fmt=fmt,
                    low=low,
                    high=high,
                    by=request.member,  # type: ignore[attr-defined]
                )
            except ValidationError as error:
                messages.error(request, _errors(error))
                status = 400
            else:
                messages.success(request, "Price saved.")
                return HttpResponseRedirect(reverse("shortlists:costs"))
    return render(
        request,
        "creators/shortlists/costs.html",
        {
            "rows": cost_table.cost_table_rows(workspace=workspace),
            "currency": workspace.currency,
            "multipliers": costs.FORMAT_MULTIPLIERS,
            "reach_rates": costs.DEFAULT_REACH_RATES,
            "sources": cost_table.default_sources(),
            "tiers": Tier.choices,
            "formats": CostFormat.choices,
        },
        status=status,
    )
