"""The work calendar: due deliverables, shipments, go-live dates, payments and follow-ups, as
events for the month and list views, the "today" list, and an iCalendar (RFC 5545) feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse

from infludesk.campaigns.models import (
    Deal,
    Deliverable,
    Payment,
    PaymentStatus,
    Shipment,
    ShipmentStatus,
    Stage,
)
from infludesk.core.models import Workspace
from infludesk.outreach.models import EmailThread

FEED_SALT = "infludesk.calendar.feed"


@dataclass(frozen=True)
class Event:
    uid: str
    day: dt.date
    kind: str  # deliverable | shipment | go_live | payment | follow_up
    title: str
    deal_id: int
    needs_action: bool


def _deliverables(workspace: Workspace, start: dt.date, end: dt.date) -> list[Event]:
    rows = Deliverable.objects.filter(
        workspace=workspace, due_on__range=(start, end)
    ).select_related("deal__creator")
    return [
        Event(
            uid=f"deliverable-{d.pk}",
            day=d.due_on,
            kind="go_live" if d.status == "live" else "deliverable",
            title=f"{d.deal.creator.name}: {d.count} x {d.get_format_display()} on "
            f"{d.get_platform_display()} due",
            deal_id=d.deal_id,
            needs_action=d.status not in ("approved", "live"),
        )
        for d in rows
        if d.due_on is not None
    ]


def _shipments(workspace: Workspace, start: dt.date, end: dt.date) -> list[Event]:
    rows = (
        Shipment.objects.filter(workspace=workspace)
        .filter(Q(shipped_on__range=(start, end)) | Q(delivered_on__range=(start, end)))
        .select_related("deal__creator")
    )
    events = []
    for s in rows:
        day = s.delivered_on if s.delivered_on and start <= s.delivered_on <= end else s.shipped_on
        assert day is not None
        events.append(
            Event(
                uid=f"shipment-{s.pk}",
                day=day,
                kind="shipment",
                title=f"{s.product} to {s.deal.creator.name}: {s.get_status_display().lower()}",
                deal_id=s.deal_id,
                needs_action=s.status == ShipmentStatus.PENDING,
            )
        )
    return events


def _payments(workspace: Workspace, start: dt.date, end: dt.date) -> list[Event]:
    rows = Payment.objects.filter(
        workspace=workspace, status=PaymentStatus.DUE, due_on__range=(start, end)
    ).select_related("deal__creator")
    return [
        Event(
            uid=f"payment-{p.pk}",
            day=p.due_on,
            kind="payment",
            title=f"Pay {p.deal.creator.name} {p.amount} {p.currency}",
            deal_id=p.deal_id,
            needs_action=True,
        )
        for p in rows
        if p.due_on is not None
    ]


def _follow_ups(workspace: Workspace, start: dt.date, end: dt.date) -> list[Event]:
    threads = EmailThread.objects.filter(
        workspace=workspace, follow_up_after_days__isnull=False, last_outbound_at__isnull=False
    ).select_related("deal__creator")
    events = []
    for t in threads:
        if not t.awaiting_reply:
            continue
        assert t.last_outbound_at is not None and t.follow_up_after_days is not None
        day = (t.last_outbound_at + dt.timedelta(days=t.follow_up_after_days)).date()
        if start <= day <= end:
            events.append(
                Event(
                    uid=f"follow-up-{t.pk}-{t.follow_ups_sent}",
                    day=day,
                    kind="follow_up",
                    title=f"Follow up with {t.deal.creator.name}",
                    deal_id=t.deal_id,
                    needs_action=True,
                )
            )
    return events


def calendar_events(*, workspace: Workspace, start: dt.date, end: dt.date) -> list[Event]:
    """Every event of the workspace between start and end (inclusive), by day then kind."""
    events = [
        *_deliverables(workspace, start, end),
        *_shipments(workspace, start, end),
        *_payments(workspace, start, end),
        *_follow_ups(workspace, start, end),
    ]
    return sorted(events, key=lambda e: (e.day, e.kind, e.uid))


def today_list(*, workspace: Workspace, today: dt.date) -> list[Event]:
    """What needs action now: anything due up to today that is still open (overdue included),
    plus deals whose content waits for review."""
    past = today - dt.timedelta(days=365)
    due = [e for e in calendar_events(workspace=workspace, start=past, end=today) if e.needs_action]
    reviews = Deal.objects.filter(workspace=workspace, stage=Stage.IN_REVIEW).select_related(
        "creator"
    )
    due += [
        Event(
            uid=f"review-{d.pk}",
            day=today,
            kind="review",
            title=f"Review content from {d.creator.name}",
            deal_id=d.pk,
            needs_action=True,
        )
        for d in reviews
    ]
    return sorted(due, key=lambda e: (e.day, e.kind, e.uid))


def feed_token(workspace: Workspace) -> str:
    return signing.dumps(workspace.pk, salt=FEED_SALT)


def feed_workspace_id(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def feed_url(workspace: Workspace) -> str:
    return settings.SITE_URL + reverse("calendar:feed", args=[feed_token(workspace)])


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def to_ical(events: list[Event], *, name: str, stamp: dt.datetime) -> str:
    """An iCalendar document with one all-day VEVENT per event."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Infludesk//Calendar//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    host = settings.SITE_URL.split("//")[-1].split("/")[0]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}@{host}",
            f"DTSTAMP:{stamp.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(e.title)}",
            f"CATEGORIES:{e.kind.upper()}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
