"""Background jobs for tracking; thin wrappers around services, safe to retry."""

from __future__ import annotations

from django_tasks import task

from infludesk.tracking import services


@task()
def process_webhook_delivery(delivery_pk: int) -> str:
    """Apply a stored, verified webhook delivery (idempotent: a processed one is skipped)."""
    return services.webhook_delivery_process(delivery_pk=delivery_pk)


@task()
def sync_store_orders(connection_pk: int, since: str | None = None) -> int:
    """Pull past orders of a store connection through its connector (backfill)."""
    from infludesk.tracking.models import StoreConnection

    connection = StoreConnection.objects.select_related("workspace").get(pk=connection_pk)
    return services.orders_sync_pull(connection=connection, since=since).orders


@task()
def push_code_to_store(push_id: int) -> str:
    """Create a queued discount code in its store (idempotent: a pushed code is skipped)."""
    from infludesk.tracking.codes import code_push_attempt

    return code_push_attempt(push_id=push_id)
