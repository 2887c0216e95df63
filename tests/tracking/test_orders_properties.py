"""Property tests for the parsers, signatures and money rules."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infludesk.tracking.csv_orders import parse_orders_csv
from infludesk.tracking.models import Order
from infludesk.tracking.services import order_upsert
from infludesk.tracking.stores import click_id_from_url, parse_json_bytes
from infludesk.tracking.stores.common import NormalizedOrder, NormalizedRefund
from infludesk.tracking.stores.shopify import parse_order
from infludesk.tracking.stores.signatures import (
    sign_base64,
    sign_generic,
    verify_base64,
    verify_generic,
)

URL_SAFE = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
    min_size=1,
    max_size=32,
)
AMOUNTS = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("99999.99"), places=2)


@given(
    click=URL_SAFE,
    path=st.sampled_from(["/", "/products/x", "/collections/all/"]),
    absolute=st.booleans(),
    before=st.booleans(),
)
def test_click_id_is_found_in_relative_and_absolute_landing_urls(click, path, absolute, before):
    query = (
        f"ifd_click={click}&utm_source=instagram"
        if before
        else f"utm_source=instagram&ifd_click={click}"
    )
    url = ("https://shop.example.com" if absolute else "") + f"{path}?{query}"
    assert click_id_from_url(url) == click


@given(order_id=st.integers(min_value=1, max_value=2**63 - 1))
def test_integer_ids_survive_parsing_exactly(order_id):
    body = json.dumps({"id": order_id, "currency": "USD", "total_price": "1.00"}).encode()
    assert parse_order(parse_json_bytes(body)).external_id == str(order_id)


@given(
    secret=st.text(min_size=8, max_size=40),
    body=st.binary(min_size=1, max_size=200),
    flip=st.integers(min_value=0),
)
def test_signatures_verify_and_any_changed_byte_fails(secret, body, flip):
    assert verify_base64(secret, body, sign_base64(secret, body))
    assert verify_generic(secret, body, sign_generic(secret, body))
    index = flip % len(body)
    changed = body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]
    assert not verify_base64(secret, changed, sign_base64(secret, body))
    assert not verify_generic(secret, changed, sign_generic(secret, body))


@given(
    rows=st.lists(
        st.tuples(
            URL_SAFE,
            AMOUNTS,
            st.sampled_from(["EUR", "USD", "GBP"]),
            st.integers(min_value=0, max_value=23),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda r: r[0],
    )
)
def test_csv_rows_parse_back_to_their_values(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["order_id", "placed_at", "currency", "total"])
    for order_id, total, currency, hour in rows:
        writer.writerow([order_id, f"2026-11-20T{hour:02d}:00:00+00:00", currency, str(total)])
    good, errors = parse_orders_csv(out.getvalue())
    assert errors == []
    assert [(o.external_id, o.gross, o.currency, o.placed_at.hour) for _, o in good] == list(rows)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    gross=AMOUNTS,
    refunds=st.lists(st.tuples(st.sampled_from(["r1", "r2", "r3", "r4"]), AMOUNTS), max_size=6),
    cancelled=st.booleans(),
)
def test_money_rules_hold_for_any_refunds(workspace, gross, refunds, cancelled):
    # given refunds possibly repeating an id (the last amount seen for an id wins)
    key = f"p-{Order.objects.count()}"
    normalized = NormalizedOrder(
        source="webhook",
        external_id=key,
        currency="USD",
        gross=gross,
        placed_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        cancelled=cancelled,
        refunds=tuple(NormalizedRefund(external_id=i, amount=a) for i, a in refunds),
    )
    order = order_upsert(workspace=workspace, order=normalized)
    distinct = dict(refunds)
    expected_refunded = Decimal(0) if cancelled else min(gross, sum(distinct.values(), Decimal(0)))
    order.refresh_from_db()
    assert order.refunded == expected_refunded
    assert order.net == (Decimal(0) if cancelled else gross - expected_refunded)
    assert Decimal(0) <= order.net <= gross
