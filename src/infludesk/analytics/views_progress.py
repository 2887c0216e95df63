"""A campaign's progress against its goals (loaded into the campaign page with HTMX)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from infludesk.analytics.progress import campaign_actuals, goal_progress
from infludesk.campaigns.models import Campaign
from infludesk.core.permissions import member_required


@member_required()
def campaign_progress(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.select_related("workspace"),
        pk=campaign_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    actuals = campaign_actuals(campaign=campaign)
    return render(
        request,
        "analytics/_progress.html",
        {
            "campaign": campaign,
            "rows": goal_progress(campaign=campaign, actuals=actuals),
            "notes": actuals.notes,
            "values": actuals.values,
        },
    )
