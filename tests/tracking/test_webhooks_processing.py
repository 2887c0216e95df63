"""Deliveries are acknowledged first and processed by a task; processing is idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.tracking.models import Order, WebhookDelivery
from infludesk.tracking.services import webhook_delivery_process
from tests.tracking.test_webhooks_support import (  # noqa: F401
    connection,
    dumps,
    immediate_tasks,
    load,
    post_shopify,
    shopify_order,
)

pytestmark = pytest.mark.django_db


def run_queued_tasks() -> list[str]:
    """What `infludesk worker` does with each ready task (db_worker itself closes the test
    database connection on PostgreSQL, so the queue is drained here the same way)."""
    from django_tasks_db.models import DBTaskResult

    outcomes = []
    for row in DBTaskResult.objects.ready().order_by("enqueued_at", "id"):
        outcomes.append(row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
        row.set_successful(outcomes[-1])
    return outcomes


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.usefixtures("database_tasks")
def test_delivery_is_acknowledged_before_the_worker_processes_it(client, workspace):
    # given the database queue (as in production)
    conn = connection(workspace)
    # when an order arrives
    response = post_shopify(client, conn, dumps(shopify_order()))
    # then it is acknowledged and stored, but not applied yet
    assert response.json() == {"status": "accepted"}
    assert Order.objects.count() == 0
    assert WebhookDelivery.objects.get().processed_at is None
    # and the worker applies it
    assert run_queued_tasks() == ["processed"]
    assert Order.objects.get().gross == Decimal("404.95")
    assert WebhookDelivery.objects.get().processed_at is not None


@pytest.mark.usefixtures("database_tasks")
def test_redelivery_of_an_unprocessed_delivery_is_enqueued_again(client, workspace):
    from django_tasks_db.models import DBTaskResult

    conn = connection(workspace)
    post_shopify(client, conn, dumps(shopify_order()), webhook_id="same")
    response = post_shopify(client, conn, dumps(shopify_order()), webhook_id="same")
    assert response.json() == {"status": "duplicate"}
    assert WebhookDelivery.objects.count() == 1
    assert DBTaskResult.objects.count() == 2
    assert run_queued_tasks() == ["processed", "already processed"]
    assert Order.objects.count() == 1


@pytest.mark.usefixtures("immediate_tasks")
def test_processing_again_is_a_no_op(client, workspace):
    conn = connection(workspace)
    post_shopify(client, conn, dumps(shopify_order()))
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_process(delivery_pk=delivery.pk) == "already processed"
    assert Order.objects.count() == 1


@pytest.mark.usefixtures("immediate_tasks")
def test_reapplying_the_same_data_changes_no_money(client, workspace):
    # given an order and its refund, both applied
    conn = connection(workspace)
    post_shopify(client, conn, dumps(shopify_order()), webhook_id="o")
    post_shopify(
        client,
        conn,
        dumps(load("shopify_refunds_create.json")),
        topic="refunds/create",
        webhook_id="r",
    )
    # when both deliveries are forced to run again (as after a crash between apply and mark)
    WebhookDelivery.objects.update(processed_at=None)
    for delivery in WebhookDelivery.objects.order_by("pk"):
        webhook_delivery_process(delivery_pk=delivery.pk)
    # then nothing is counted twice
    order = Order.objects.get()
    assert (order.gross, order.refunded, order.net) == (
        Decimal("404.95"),
        Decimal("85.00"),
        Decimal("319.95"),
    )
