"""Add a whole shortlist to a campaign (optionally to one of its waves) in one action.

This lives in campaigns because creators may not import campaigns (import-linter layers);
the shortlist page links here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from infludesk.campaigns.models import Campaign, Wave
from infludesk.campaigns.selectors import campaign_get
from infludesk.campaigns.waves import deals_add
from infludesk.core.permissions import member_required
from infludesk.creators.shortlists import shortlist_get


def _form(
    request: HttpRequest, shortlist: object, *, error: str = "", status: int = 200
) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    campaigns = list(Campaign.objects.filter(workspace=workspace).order_by("name", "pk"))
    waves = list(
        Wave.objects.filter(workspace=workspace)
        .select_related("campaign")
        .order_by("campaign__name", "campaign_id", "number")
    )
    return render(
        request,
        "creators/shortlists/to_campaign.html",
        {"shortlist": shortlist, "campaigns": campaigns, "waves": waves, "error": error},
        status=status,
    )


@member_required(write=True)
def shortlist_to_campaign_view(request: HttpRequest, shortlist_id: int) -> HttpResponse:
    """GET: pick a campaign and an optional wave. POST: add every creator of the shortlist as
    a prospect with ``deals_add``; those already there are skipped and named."""
    workspace = request.workspace  # type: ignore[attr-defined]
    shortlist = shortlist_get(workspace=workspace, shortlist_id=shortlist_id)
    if request.method != "POST":
        return _form(request, shortlist)
    campaign_id = request.POST.get("campaign", "")
    if not campaign_id.isdigit():
        return _form(request, shortlist, error="Pick a campaign.", status=400)
    campaign = campaign_get(workspace=workspace, campaign_id=int(campaign_id))
    wave = None
    wave_id = request.POST.get("wave", "")
    if wave_id:
        if not wave_id.isdigit():
            return _form(request, shortlist, error="Pick a wave of that campaign.", status=400)
        wave = get_object_or_404(Wave, workspace=workspace, pk=int(wave_id))
        if wave.campaign_id != campaign.pk:
            error = f"{wave} belongs to another campaign than {campaign.name}."
            return _form(request, shortlist, error=error, status=400)
    try:
        result = deals_add(campaign=campaign, shortlist=shortlist, wave=wave, by=request.member)  # type: ignore[attr-defined]
    except ValidationError as exc:
        return _form(request, shortlist, error=" ".join(exc.messages), status=400)
    text = f"Added {len(result.added)} creator(s) from {shortlist.name!r} as prospects."
    if result.skipped:
        text += " Skipped: " + " ".join(result.skipped)
    messages.success(request, text)
    return redirect("campaigns:detail", campaign_id=campaign.pk)
