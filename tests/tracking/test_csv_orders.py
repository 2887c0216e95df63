"""CSV import of orders: errors by line and field, good rows land, re-import never duplicates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.tracking.csv_orders import RowError, orders_import_csv, parse_orders_csv
from infludesk.tracking.models import Conversion, Order
from tests.factories import DiscountCodeFactory

HEADER = (
    "order_id,placed_at,currency,total,refunded,status,cancelled,discount_codes,landing_url,"
    "customer_email\n"
)
GOOD = (
    HEADER
    + "1001,2026-11-20T10:00:00+01:00,EUR,59.90,10.00,paid,false,ANNA15,"
    + "https://shop.example/?ifd_click=abc,a@example.com\n"
    + "1002,2026-11-21,USD,20.00,,paid,,,,b@example.com\n"
)


def test_good_rows_parse_with_offsets_and_dates():
    good, errors = parse_orders_csv(GOOD)
    assert errors == []
    (line1, first), (line2, second) = good
    assert (line1, first.external_id, first.gross, first.click_id) == (
        2,
        "1001",
        Decimal("59.90"),
        "abc",
    )
    assert first.placed_at.isoformat() == "2026-11-20T09:00:00+00:00"
    assert first.refunds[0].amount == Decimal("10.00")
    assert (line2, second.placed_at.isoformat()) == (3, "2026-11-21T00:00:00+00:00")


def test_row_errors_name_line_and_field():
    text = (
        HEADER
        + "1001,2026-11-20,EUR,59.90,,,,,,\n"
        + ",2026-11-20,EUR,1.00,,,,,,\n"
        + "1003,yesterday,EURO,abc,,,maybe,,,\n"
        + "1004,2026-11-20,EUR,5.00,9.00,,,,,\n"
    )
    good, errors = parse_orders_csv(text)
    assert [line for line, _ in good] == [2]
    assert [str(e) for e in errors] == [
        "line 3, field order_id: is required",
        "line 4, field placed_at: is not an ISO 8601 date-time: 'yesterday'",
        "line 4, field currency: must be a 3-letter ISO 4217 code",
        "line 4, field total: must be a decimal amount, got 'abc'",
        "line 4, field cancelled: must be true or false",
        "line 5, field refunded: 9.00 is more than the total 5.00",
    ]


def test_missing_required_column_is_reported_on_line_1():
    good, errors = parse_orders_csv("order_id,placed_at,total\n1,2026-01-01,5\n")
    assert good == []
    assert errors == [RowError(1, "currency", "column is missing from the header")]


@pytest.mark.django_db
def test_import_lands_good_rows_and_matches_codes(workspace):
    DiscountCodeFactory(workspace=workspace, code="ANNA15")
    text = GOOD + "bad,not-a-date,EUR,1.00,,,,,,\n"
    result = orders_import_csv(workspace=workspace, text=text)
    assert (result.created, result.updated) == (2, 0)
    assert [str(e) for e in result.errors] == [
        "line 4, field placed_at: is not an ISO 8601 date-time: 'not-a-date'"
    ]
    order = Order.objects.get(external_id="1001")
    assert (order.source, order.gross, order.refunded, order.net) == (
        "csv",
        Decimal("59.90"),
        Decimal("10.00"),
        Decimal("49.90"),
    )
    assert Conversion.objects.get().order == order


@pytest.mark.django_db
def test_reimport_never_duplicates(workspace):
    orders_import_csv(workspace=workspace, text=GOOD)
    result = orders_import_csv(workspace=workspace, text=GOOD.replace("59.90,10.00", "59.90,20.00"))
    assert (result.created, result.updated) == (0, 2)
    assert Order.objects.filter(workspace=workspace).count() == 2
    assert Order.objects.get(external_id="1001").refunded == Decimal("20.00")


@pytest.mark.django_db
def test_import_writes_only_into_its_workspace(workspace, other_workspace):
    orders_import_csv(workspace=workspace, text=GOOD)
    orders_import_csv(workspace=other_workspace, text=GOOD)
    assert Order.objects.filter(workspace=workspace).count() == 2
    assert Order.objects.filter(workspace=other_workspace).count() == 2
