"""The dashboard (mounted at / as core:dashboard by the project urls.py) and the Analytics page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from infludesk.analytics.dashboard import dashboard_kpis
from infludesk.core.permissions import member_required


@member_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    kpis = dashboard_kpis(workspace=request.workspace)  # type: ignore[attr-defined]
    figure = None
    if kpis.has_traffic:
        days = [d.isoformat() for d in kpis.daily.days]
        figure = {
            "data": [
                {"name": "Clicks", "x": days, "y": kpis.daily.clicks, "type": "bar"},
                {
                    "name": "Orders",
                    "x": days,
                    "y": kpis.daily.orders,
                    "type": "scatter",
                    "mode": "lines+markers",
                    "yaxis": "y2",
                },
            ],
            "layout": {
                "yaxis": {"title": {"text": "Clicks"}, "rangemode": "tozero", "tickformat": ",d"},
                "yaxis2": {
                    "title": {"text": "Orders"},
                    "overlaying": "y",
                    "side": "right",
                    "rangemode": "tozero",
                    "tickformat": ",d",
                    "tickmode": "auto",
                    "showgrid": False,
                },
            },
        }
    return render(request, "analytics/dashboard.html", {"kpis": kpis, "figure": figure})


@member_required()
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/index.html")
