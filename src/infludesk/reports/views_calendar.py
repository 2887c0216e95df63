"""Calendar pages (month and list), the "today" list and the secret iCal feed."""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from infludesk.core.models import Workspace
from infludesk.core.permissions import member_required
from infludesk.reports.calendar import (
    calendar_events,
    feed_url,
    feed_workspace_id,
    to_ical,
    today_list,
)

FEED_PAST_DAYS = 90
FEED_FUTURE_DAYS = 365


def _month(request: HttpRequest, today: dt.date) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


@member_required()
def calendar_page(request: HttpRequest) -> HttpResponse:
    workspace: Workspace = request.workspace  # type: ignore[attr-defined]
    today = timezone.localdate()
    year, month = _month(request, today)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycal.monthrange(year, month)[1])
    events = calendar_events(workspace=workspace, start=first, end=last)
    by_day: dict[dt.date, list] = {}
    for event in events:
        by_day.setdefault(event.day, []).append(event)
    weeks = [
        [(day, by_day.get(day, []), day.month == month) for day in week]
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    prev_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (last + dt.timedelta(days=1)).strftime("%Y-%m")
    return render(
        request,
        "reports/calendar.html",
        {
            "view": request.GET.get("view", "month"),
            "title": first.strftime("%B %Y"),
            "weeks": weeks,
            "events": events,
            "today": today,
            "today_items": today_list(workspace=workspace, today=today),
            "prev_month": prev_month,
            "next_month": next_month,
            "feed_url": feed_url(workspace),
        },
    )


def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The workspace's calendar for calendar apps; the token in the URL is the only key."""
    workspace_id = feed_workspace_id(token)
    workspace = Workspace.objects.filter(pk=workspace_id).first() if workspace_id else None
    if workspace is None:
        raise Http404("Unknown calendar feed")
    today = timezone.localdate()
    events = calendar_events(
        workspace=workspace,
        start=today - dt.timedelta(days=FEED_PAST_DAYS),
        end=today + dt.timedelta(days=FEED_FUTURE_DAYS),
    )
    body = to_ical(events, name=f"{workspace.name} · Infludesk", stamp=timezone.now())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
