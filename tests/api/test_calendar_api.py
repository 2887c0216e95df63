"""The calendar through the API: events of a date range (the same as the calendar page) and the
"today" list, of the caller's workspace only, with 422s for bad ranges and pinned queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from infludesk.campaigns.models import Deliverable, Payment, Shipment
from infludesk.outreach.models import EmailThread
from tests.factories import CreatorFactory, DealFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 3)
# token lookup + deliverables, shipments, payments and follow-up threads
RANGE_QUERIES = 5


@pytest.fixture
def deal(workspace):
    return DealFactory(
        workspace=workspace,
        creator=CreatorFactory(workspace=workspace, name="Anna"),
        stage="contracted",
    )


@pytest.fixture
def dated_work(workspace, deal):
    Deliverable.objects.create(
        workspace=workspace, deal=deal, platform="instagram", format="reel", due_on=DAY
    )
    Deliverable.objects.create(
        workspace=workspace,
        deal=deal,
        platform="tiktok",
        format="video",
        due_on=DAY + dt.timedelta(days=1),
        status="live",
    )
    Shipment.objects.create(
        workspace=workspace, deal=deal, product="Trail shoes", status="shipped", shipped_on=DAY
    )
    Payment.objects.create(
        workspace=workspace, deal=deal, amount=Decimal("500.00"), currency="USD", due_on=DAY
    )
    EmailThread.objects.create(
        workspace=workspace,
        deal=deal,
        subject="Hello",
        follow_up_after_days=5,
        last_outbound_at=timezone.make_aware(dt.datetime(2026, 11, 28, 9, 0)),
    )


def test_when_listing_a_range_then_every_kind_of_event_by_day_then_kind(
    owner_api, deal, dated_work
):
    response = owner_api.get("/calendar", start="2026-12-01", end="2026-12-31")
    assert response.status_code == 200
    assert response.json() == [
        {
            "uid": f"deliverable-{Deliverable.objects.get(format='reel').pk}",
            "day": "2026-12-03",
            "kind": "deliverable",
            "title": "Anna: 1 x Reel on Instagram due",
            "deal_id": deal.pk,
            "needs_action": True,
        },
        {
            "uid": f"follow-up-{EmailThread.objects.get().pk}-0",
            "day": "2026-12-03",
            "kind": "follow_up",
            "title": "Follow up with Anna",
            "deal_id": deal.pk,
            "needs_action": True,
        },
        {
            "uid": f"payment-{Payment.objects.get().pk}",
            "day": "2026-12-03",
            "kind": "payment",
            "title": "Pay Anna 500.00 USD",
            "deal_id": deal.pk,
            "needs_action": True,
        },
        {
            "uid": f"shipment-{Shipment.objects.get().pk}",
            "day": "2026-12-03",
            "kind": "shipment",
            "title": "Trail shoes to Anna: shipped",
            "deal_id": deal.pk,
            "needs_action": False,
        },
        {
            "uid": f"deliverable-{Deliverable.objects.get(format='video').pk}",
            "day": "2026-12-04",
            "kind": "go_live",
            "title": "Anna: 1 x Video on TikTok due",
            "deal_id": deal.pk,
            "needs_action": False,
        },
    ]


def test_given_a_range_outside_the_work_when_listing_then_empty(owner_api, dated_work):
    assert owner_api.get("/calendar", start="2027-01-01", end="2027-01-31").json() == []


def test_when_listing_today_then_open_work_due_up_to_the_day_and_reviews(
    owner_api, workspace, deal
):
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
    Deliverable.objects.create(
        workspace=workspace, deal=deal, platform="tiktok", format="post", due_on=DAY.replace(day=9)
    )
    reviewing = DealFactory(workspace=workspace, creator__name="Bo", stage="in_review")

    response = owner_api.get("/calendar/today", today="2026-12-03")

    assert response.status_code == 200
    assert [(e["day"], e["kind"], e["title"]) for e in response.json()] == [
        ("2026-12-01", "deliverable", "Anna: 1 x Video on TikTok due"),
        ("2026-12-03", "review", "Review content from Bo"),
    ]
    assert response.json()[1]["deal_id"] == reviewing.pk


def test_given_another_workspaces_work_when_listing_then_none_of_it(
    other_api, dated_work, other_workspace
):
    DealFactory(workspace=other_workspace, stage="in_review")
    assert other_api.get("/calendar", start="2026-12-01", end="2026-12-31").json() == []
    assert [e["kind"] for e in other_api.get("/calendar/today", today="2026-12-03").json()] == [
        "review"
    ]


def test_given_a_viewer_when_listing_then_200(viewer_api, dated_work):
    response = viewer_api.get("/calendar", start="2026-12-03", end="2026-12-03")
    assert (response.status_code, len(response.json())) == (200, 4)


def test_given_an_end_before_the_start_when_listing_then_422_on_end(owner_api):
    response = owner_api.get("/calendar", start="2026-12-31", end="2026-12-01")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "end", "message": "The end is before the start."}
    ]


def test_given_more_than_a_year_when_listing_then_422_on_end(owner_api):
    response = owner_api.get("/calendar", start="2026-01-01", end="2027-01-03")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "end", "message": "Ask for at most 366 days at a time."}
    ]


def test_given_no_range_or_a_bad_date_when_listing_then_422_naming_the_fields(owner_api):
    missing = owner_api.get("/calendar")
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "start", "message": "This field is required."},
        {"field": "end", "message": "This field is required."},
    ]
    bad = owner_api.get("/calendar", start="2026-13-01", end="2026-12-01")
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["start"]


def test_given_an_ancient_day_when_listing_today_then_422_not_500(owner_api):
    response = owner_api.get("/calendar/today", today="0001-01-01")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["today"]


def test_given_no_token_when_listing_then_401(anonymous_api):
    assert anonymous_api.get("/calendar", start="2026-12-01", end="2026-12-31").status_code == 401


def test_when_listing_a_range_then_the_queries_do_not_grow_with_the_events(
    owner_api, workspace, deal, dated_work, django_assert_num_queries
):
    for n in range(5):
        more = DealFactory(workspace=workspace, creator__name=f"C{n}")
        Deliverable.objects.create(
            workspace=workspace, deal=more, platform="instagram", format="post", due_on=DAY
        )
        Payment.objects.create(
            workspace=workspace, deal=more, amount=Decimal("5"), currency="USD", due_on=DAY
        )
    owner_api.get("/kpis")  # the token's last-used stamp is written once a minute at most
    with django_assert_num_queries(RANGE_QUERIES):
        response = owner_api.get("/calendar", start="2026-12-01", end="2026-12-31")
    assert len(response.json()) == 15


def test_when_listing_today_then_the_queries_are_pinned(
    owner_api, dated_work, django_assert_num_queries
):
    owner_api.get("/kpis")  # the token's last-used stamp is written once a minute at most
    # the range's queries and one for the deals waiting for review
    with django_assert_num_queries(RANGE_QUERIES + 1):
        owner_api.get("/calendar/today", today="2026-12-05")
