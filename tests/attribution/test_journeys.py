"""Journeys built from a workspace's orders, clicks and codes, and `--export-journeys`."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from infludesk.attribution.journeys import CODE_TOUCHPOINT, build_journeys
from infludesk.core.models import ExchangeRate
from infludesk.tracking.models import Conversion, MatchedBy
from tests.factories import (
    ClickFactory,
    CreatorFactory,
    DiscountCodeFactory,
    OrderFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
)

T = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def shop(workspace, other_workspace):
    """anna (handle anna.trails), ben (no account: his name), carl (carl.runs, code CARL10)."""
    anna = CreatorFactory(workspace=workspace, name="Anna Berg")
    SocialAccountFactory(workspace=workspace, creator=anna, handle="anna.trails")
    ben = CreatorFactory(workspace=workspace, name="Ben Ode")
    carl = CreatorFactory(workspace=workspace, name="Carl Lind")
    SocialAccountFactory(workspace=workspace, creator=carl, handle="carl.runs")
    DiscountCodeFactory(workspace=workspace, creator=carl, code="CARL10")
    link_a = TrackedLinkFactory(workspace=workspace, creator=anna)
    link_b = TrackedLinkFactory(workspace=workspace, creator=ben)

    def click(link, at, visitor, **kw):
        return ClickFactory(
            workspace=workspace, link=link, clicked_at=at, visitor_hash=visitor, **kw
        )

    def order(external_id, **kw):
        kw.setdefault("placed_at", T)
        return OrderFactory(workspace=workspace, external_id=external_id, **kw)

    # Visitor v1: anna 40 days before (outside the window), anna 10 days before, a bot hit on
    # anna (ignored), ben 2 days before; the order came back with ben's click id.
    click(link_a, T - 40 * DAY, "v1")
    click(link_a, T - 10 * DAY, "v1")
    click(link_a, T - DAY, "v1", is_bot=True)
    b1 = click(link_b, T - 2 * DAY, "v1")
    order("1001", click_id=b1.click_id, gross=Decimal("100.00"))
    # Order 1002: ben's click and carl's code (typed in lower case with spaces); net 40.
    b2 = click(link_b, T - DAY, "v3")
    order(
        "1002",
        click_id=b2.click_id,
        discount_codes=[" carl10 "],
        gross=Decimal("50.00"),
        refunded=Decimal("10.00"),
    )
    order("1003", gross=Decimal("70.00"))  # no click, no code: unattributed
    order("1004", gross=Decimal("80.00"), cancelled=True)  # excluded
    ExchangeRate.objects.create(
        workspace=workspace, currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2026, 1, 1)
    )
    order("1005", currency="EUR", gross=Decimal("20.00"), discount_codes=["CARL10"])
    order("1006", currency="GBP", gross=Decimal("30.00"), discount_codes=["CARL10"])
    # Visitor v2 clicked anna then ben and never ordered; one click has no visitor id.
    click(link_a, T - 5 * DAY, "v2")
    click(link_b, T - 4 * DAY, "v2")
    click(link_b, T - 3 * DAY, "")
    # Another workspace: its creator, click and order must not appear.
    rival = CreatorFactory(workspace=other_workspace, name="Rival")
    rival_link = TrackedLinkFactory(workspace=other_workspace, creator=rival)
    rc = ClickFactory(
        workspace=other_workspace, link=rival_link, clicked_at=T - DAY, visitor_hash="v1"
    )
    OrderFactory(workspace=other_workspace, external_id="9001", click_id=rc.click_id, placed_at=T)
    return workspace


def rows(export):
    return [(" > ".join(p), c, n, str(v)) for p, c, n, v in export.rows]


def test_given_orders_when_code_beats_clicks_then_grouped_journeys(shop):
    export = build_journeys(workspace=shop)
    assert rows(export) == [
        ("Ben Ode", 0, 1, "0"),  # the click without a visitor id
        ("anna.trails > Ben Ode", 1, 1, "100.00"),  # order 1001 + visitor v2's null journey
        ("carl.runs", 3, 0, "62.00"),  # 1002 (net 40) + 1005 (20 EUR x 1.10) + 1006 (no rate)
    ]


def test_given_orders_when_code_counts_as_touchpoint_then_code_is_the_last_touch(shop):
    export = build_journeys(workspace=shop, code_rule=CODE_TOUCHPOINT)
    assert rows(export) == [
        ("Ben Ode", 0, 1, "0"),
        ("Ben Ode > carl.runs", 1, 0, "40.00"),
        ("anna.trails > Ben Ode", 1, 1, "100.00"),
        ("carl.runs", 2, 0, "22.00"),
    ]


def test_given_orders_when_exported_then_unattributed_excluded_and_missing_rates_reported(shop):
    summary = build_journeys(workspace=shop).summary()
    assert summary == {
        "orders": 6,
        "attributed_orders": 4,
        "unattributed_orders": 1,
        "unattributed_order_ids": ["1003"],
        "excluded_orders": 1,
        "orders_without_rate": ["1006"],
        "null_journeys": 2,
    }


def test_given_short_window_when_exported_then_older_clicks_drop_out(shop):
    export = build_journeys(workspace=shop, window_days=3)
    assert ("Ben Ode", 1, 1, "100.00") in rows(export)  # order 1001: anna's click is 10 days old


def test_given_other_workspace_when_exported_then_only_its_own_rows(other_workspace, shop):
    export = build_journeys(workspace=other_workspace)
    assert rows(export) == [("Rival", 1, 0, "120.00")]
    assert export.summary()["orders"] == 1


def test_given_conversion_with_click_when_order_has_no_click_id_then_click_is_used(workspace):
    dana = CreatorFactory(workspace=workspace, name="Dana")
    link = TrackedLinkFactory(workspace=workspace, creator=dana)
    c = ClickFactory(workspace=workspace, link=link, clicked_at=T - DAY, visitor_hash="")
    o = OrderFactory(workspace=workspace, external_id="2001", placed_at=T, gross=Decimal("15.00"))
    Conversion.objects.create(
        workspace=workspace, order=o, creator=dana, matched_by=MatchedBy.CLICK, click=c
    )
    assert rows(build_journeys(workspace=workspace)) == [("Dana", 1, 0, "15.00")]


def test_given_output_file_when_export_command_then_csv_written_and_summary_printed(shop, tmp_path):
    target = tmp_path / "journeys.csv"
    out = StringIO()
    call_command(
        "attribute", export_journeys=True, workspace="acme", output=str(target), stdout=out
    )
    assert target.read_text() == (
        "path,conversions,null,value\n"
        "Ben Ode,0,1,0\n"
        "anna.trails > Ben Ode,1,1,100.00\n"
        "carl.runs,3,0,62.00\n"
    )
    assert json.loads(out.getvalue())["unattributed_order_ids"] == ["1003"]


def test_given_exported_file_when_attributed_then_round_trip_works(shop, tmp_path):
    target = tmp_path / "journeys.csv"
    call_command(
        "attribute", export_journeys=True, workspace="acme", output=str(target), stdout=StringIO()
    )
    out = StringIO()
    call_command("attribute", str(target), model="last_touch", format="json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "model": "last_touch",
        "credit": {"Ben Ode": 1.0, "anna.trails": 0.0, "carl.runs": 3.0},
        "value": {"Ben Ode": 100.0, "anna.trails": 0.0, "carl.runs": 62.0},
    }


def test_given_unknown_workspace_when_export_command_then_command_error(db):
    with pytest.raises(CommandError, match="no workspace with slug 'nope'"):
        call_command("attribute", export_journeys=True, workspace="nope", stdout=StringIO())


def test_given_no_output_file_when_export_command_then_csv_on_stdout_summary_on_stderr(shop):
    out, err = StringIO(), StringIO()
    call_command("attribute", export_journeys=True, workspace="acme", stdout=out, stderr=err)
    assert out.getvalue().splitlines()[0] == "path,conversions,null,value"
    assert out.getvalue().count("\n") == 4
    assert json.loads(err.getvalue())["orders"] == 6
