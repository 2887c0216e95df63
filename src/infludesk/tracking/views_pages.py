"""The Tracking section's page (the webhooks and the redirect live in their own modules)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from infludesk.core.permissions import member_required
from infludesk.tracking.models import DiscountCode, StoreConnection, TrackedLink


@member_required()
def index(request: HttpRequest) -> HttpResponse:
    """Counts of what the workspace has set up, and which tracking pages are not built yet."""
    workspace = request.workspace  # type: ignore[attr-defined]
    counts = {
        "links": TrackedLink.objects.filter(workspace=workspace).count(),
        "codes": DiscountCode.objects.filter(workspace=workspace).count(),
        "stores": StoreConnection.objects.filter(workspace=workspace).count(),
    }
    return render(request, "tracking/index.html", {"counts": counts})
