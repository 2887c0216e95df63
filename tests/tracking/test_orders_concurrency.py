"""Two deliveries of the same new order processed at once still make one order (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from infludesk.tracking.models import Order, Refund
from infludesk.tracking.services import order_upsert
from infludesk.tracking.stores.common import NormalizedOrder, NormalizedRefund
from tests.factories import WorkspaceFactory


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_upserts_of_one_order_make_one_row():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent writers")
    workspace = WorkspaceFactory(slug="race")
    snapshot = NormalizedOrder(
        source="shopify",
        external_id="9007199254740993",
        currency="USD",
        gross=Decimal("50.00"),
        placed_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        refunds=(NormalizedRefund(external_id="r1", amount=Decimal("5.00")),),
    )
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait()
            order_upsert(workspace=workspace, order=snapshot)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    order = Order.objects.get(workspace=workspace)
    assert (order.gross, order.refunded) == (Decimal("50.00"), Decimal("5.00"))
    assert Refund.objects.filter(order=order).count() == 1
