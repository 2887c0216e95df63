"""Add creators to a campaign from the creator page (one) or the search page (the ticked ones).

This lives in campaigns because creators may not import campaigns (import-linter layers): the
creator page and the search page pull the form in with htmx (``add_form``), and it posts here
(``add_creators``), which calls the same service as the shortlist and the API (``deals_add``):
one prospect deal per creator and wave, creators already there are named, not duplicated.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from infludesk.campaigns.models import Campaign, Wave
from infludesk.campaigns.selectors import campaign_get
from infludesk.campaigns.waves import deals_add
from infludesk.core.permissions import member_required
from infludesk.creators.models import Creator


def _next(request: HttpRequest, value: str) -> str:
    """Where to go back to: a path on this site, else the creators list."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("creators:list")


@member_required()
def add_form(request: HttpRequest) -> HttpResponse:
    """The htmx partial: ``?creator=<id>`` gives a form for that creator (creator page);
    ``?bulk=1`` gives fields and a button for the search page's bulk form (the ticked
    ``ids``). ``next`` is where to come back. Read-only members get nothing to render."""
    member = request.member  # type: ignore[attr-defined]
    if not member.can_write:
        return HttpResponse("")
    workspace = request.workspace  # type: ignore[attr-defined]
    creator = None
    creator_id = request.GET.get("creator", "")
    if creator_id:
        if not creator_id.isdigit():
            raise Http404("No such creator.")
        creator = get_object_or_404(Creator, workspace=workspace, pk=int(creator_id))
    context = {
        "creator": creator,
        "bulk": creator is None,
        "next": _next(request, request.GET.get("next", "")),
        "campaigns": list(Campaign.objects.filter(workspace=workspace).order_by("name", "pk")),
        "waves": list(
            Wave.objects.filter(workspace=workspace)
            .select_related("campaign")
            .order_by("campaign__name", "campaign_id", "number")
        ),
    }
    return render(request, "campaigns/_add_to_campaign.html", context)


def _bad(request: HttpRequest, text: str, back: str) -> HttpResponse:
    return render(
        request,
        "campaigns/add_to_campaign_error.html",
        {"message": text, "back": back},
        status=400,
    )


@require_POST
@member_required(write=True)
def add_creators(request: HttpRequest) -> HttpResponse:
    """Add the posted creators (``ids``) to ``campaign`` (and optional ``wave``) as prospects,
    then go back to ``next`` with a message naming who was added and who was already there."""
    workspace = request.workspace  # type: ignore[attr-defined]
    back = _next(request, request.POST.get("next", ""))
    raw_ids = request.POST.getlist("ids")
    if not raw_ids or not all(value.isdigit() for value in raw_ids):
        return _bad(request, "Tick at least one creator.", back)
    ids = list(dict.fromkeys(int(value) for value in raw_ids))
    campaign_id = request.POST.get("campaign", "")
    if not campaign_id.isdigit():
        return _bad(request, "Pick a campaign.", back)
    campaign = campaign_get(workspace=workspace, campaign_id=int(campaign_id))
    if Creator.objects.filter(workspace=workspace, pk__in=ids).count() != len(ids):
        raise Http404("No such creator.")
    wave = None
    wave_id = request.POST.get("wave", "")
    if wave_id:
        if not wave_id.isdigit():
            return _bad(request, "Pick a wave of that campaign.", back)
        wave = get_object_or_404(Wave, workspace=workspace, pk=int(wave_id))
        if wave.campaign_id != campaign.pk:
            return _bad(request, f"{wave} belongs to another campaign than {campaign.name}.", back)
    try:
        result = deals_add(
            campaign=campaign,
            creator_ids=ids,
            wave=wave,
            by=request.member,  # type: ignore[attr-defined]
        )
    except ValidationError as exc:
        return _bad(request, " ".join(exc.messages), back)
    target = f"{campaign.name} ({wave})" if wave else campaign.name
    text = f"Added {len(result.added)} creator(s) to {target} as prospects."
    if result.skipped:
        text += " Skipped: " + " ".join(result.skipped)
    messages.success(request, text)
    return redirect(back)
