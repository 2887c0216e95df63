"""REST endpoints for the work calendar, mounted by infludesk.api.api at /api/v1/: the events
of a date range (deliverables due, shipments, go-live dates, payments due, follow-ups) and the
"today" list of what needs action. The same data as the calendar page (reports/calendar.py),
always of the caller's workspace.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from infludesk.api.auth import member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.reports.calendar import Event, calendar_events, today_list

router = Router(tags=["calendar"])

MAX_RANGE_DAYS = 366


class RangeParams(Schema):
    start: dt.date = Field(description="first day, e.g. 2026-12-01")
    end: dt.date = Field(description="last day (inclusive), at most 366 days after start")


class TodayParams(Schema):
    today: dt.date | None = Field(
        None, ge=dt.date(1900, 1, 1), description="the day to list for; the server's today"
    )


class EventOut(Schema):
    uid: str
    day: dt.date
    kind: str = Field(
        description="deliverable | shipment | go_live | payment | follow_up | review (today only)"
    )
    title: str
    deal_id: int
    needs_action: bool


@router.get("/calendar", response={200: list[EventOut], **ERROR_RESPONSES})
def list_events(request: HttpRequest, params: Query[RangeParams]) -> list[Event]:
    """Every event between start and end (inclusive), by day then kind."""
    if params.end < params.start:
        raise ValidationError({"end": ["The end is before the start."]})
    if (params.end - params.start).days > MAX_RANGE_DAYS:
        raise ValidationError({"end": [f"Ask for at most {MAX_RANGE_DAYS} days at a time."]})
    workspace = member_of(request).workspace
    return calendar_events(workspace=workspace, start=params.start, end=params.end)


@router.get("/calendar/today", response={200: list[EventOut], **ERROR_RESPONSES})
def list_today(request: HttpRequest, params: Query[TodayParams]) -> Any:
    """What needs action: anything due up to the day that is still open (overdue included,
    a year back) and the deals whose content waits for review."""
    today = params.today or timezone.localdate()
    return today_list(workspace=member_of(request).workspace, today=today)
