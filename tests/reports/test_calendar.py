"""Calendar: events from deliverables, shipments, payments and follow-ups; today's list; the
iCal feed and its secret token; isolation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from infludesk.campaigns.models import Deliverable, Payment, Shipment
from infludesk.outreach.models import EmailThread
from infludesk.reports.calendar import Event, calendar_events, feed_token, to_ical, today_list
from tests.factories import CreatorFactory, DealFactory

DAY = dt.date(2026, 12, 3)


@pytest.fixture
def deal(workspace):
    return DealFactory(
        workspace=workspace,
        creator=CreatorFactory(workspace=workspace, name="Anna"),
        stage="contracted",
    )


def test_given_dated_work_when_listed_then_each_kind_is_an_event(workspace, deal):
    Deliverable.objects.create(
        workspace=workspace, deal=deal, platform="instagram", format="reel", due_on=DAY
    )
    Shipment.objects.create(
        workspace=workspace, deal=deal, product="Trail shoes", status="shipped", shipped_on=DAY
    )
    Payment.objects.create(
        workspace=workspace, deal=deal, amount=Decimal("500.00"), currency="USD", due_on=DAY
    )
    Payment.objects.create(
        workspace=workspace,
        deal=deal,
        amount=Decimal("1.00"),
        currency="USD",
        due_on=DAY,
        status="paid",
    )

    events = calendar_events(workspace=workspace, start=DAY, end=DAY)

    assert [(e.kind, e.title) for e in events] == [
        ("deliverable", "Anna: 1 x Reel on Instagram due"),
        ("payment", "Pay Anna 500.00 USD"),
        ("shipment", "Trail shoes to Anna: shipped"),
    ]


def test_given_overdue_work_and_reviews_when_today_is_listed_then_they_need_action(workspace, deal):
    Deliverable.objects.create(
        workspace=workspace,
        deal=deal,
        platform="tiktok",
        format="video",
        due_on=DAY - dt.timedelta(days=2),
    )
    Deliverable.objects.create(
        workspace=workspace,
        deal=deal,
        platform="tiktok",
        format="short",
        due_on=DAY - dt.timedelta(days=1),
        status="approved",
    )
    DealFactory(workspace=workspace, creator__name="Bo", stage="in_review")

    items = today_list(workspace=workspace, today=DAY)

    assert [(i.day, i.title) for i in items] == [
        (dt.date(2026, 12, 1), "Anna: 1 x Video on TikTok due"),
        (DAY, "Review content from Bo"),
    ]


def test_given_a_thread_awaiting_reply_then_the_follow_up_day_is_an_event(workspace, deal):
    sent = timezone.make_aware(dt.datetime(2026, 11, 28, 9, 0))
    EmailThread.objects.create(
        workspace=workspace,
        deal=deal,
        subject="Hello",
        follow_up_after_days=5,
        last_outbound_at=sent,
    )
    events = calendar_events(workspace=workspace, start=DAY, end=DAY)
    assert [(e.kind, e.title) for e in events] == [("follow_up", "Follow up with Anna")]


def test_given_events_when_rendered_as_ical_then_rfc5545_lines_are_exact(settings):
    settings.SITE_URL = "https://app.acme.test"
    event = Event(
        uid="payment-7",
        day=DAY,
        kind="payment",
        title="Pay Anna, 500; now",
        deal_id=1,
        needs_action=True,
    )
    stamp = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    assert to_ical([event], name="Acme", stamp=stamp).split("\r\n") == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Infludesk//Calendar//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Acme",
        "BEGIN:VEVENT",
        "UID:payment-7@app.acme.test",
        "DTSTAMP:20261125T120000Z",
        "DTSTART;VALUE=DATE:20261203",
        "DTEND;VALUE=DATE:20261204",
        "SUMMARY:Pay Anna\\, 500\\; now",
        "CATEGORIES:PAYMENT",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_given_a_long_title_when_rendered_then_lines_fold_at_75_octets():
    event = Event(
        uid="x", day=DAY, kind="deliverable", title="é" * 80, deal_id=1, needs_action=True
    )
    text = to_ical([event], name="A", stamp=timezone.now())
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "SUMMARY:" + "é" * 33 in text


def test_given_the_feed_token_when_fetched_then_only_that_workspaces_events(
    workspace, other_workspace, deal, client
):
    today = timezone.localdate()
    Payment.objects.create(
        workspace=workspace, deal=deal, amount=Decimal("500"), currency="USD", due_on=today
    )
    other = DealFactory(workspace=other_workspace, creator__name="Rival creator")
    Payment.objects.create(
        workspace=other_workspace, deal=other, amount=Decimal("9"), currency="USD", due_on=today
    )

    response = client.get(f"/calendar/feed/{feed_token(workspace)}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "SUMMARY:Pay Anna 500.00 USD" in body
    assert "Rival" not in body
    assert client.get("/calendar/feed/forged.ics").status_code == 404


def test_given_a_member_when_the_calendar_page_is_opened_then_month_and_today_show(
    workspace, deal, viewer_client
):
    Payment.objects.create(
        workspace=workspace,
        deal=deal,
        amount=Decimal("500"),
        currency="USD",
        due_on=timezone.localdate(),
    )
    response = viewer_client.get("/calendar/")
    assert response.status_code == 200
    assert [e.title for e in response.context["today_items"]] == ["Pay Anna 500.00 USD"]
    listed = viewer_client.get("/calendar/?view=list&month=2026-13")
    assert listed.status_code == 200  # a bad month falls back to this month
