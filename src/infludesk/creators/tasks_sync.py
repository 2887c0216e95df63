"""Background sync of social accounts. Thin: each task calls a service and is idempotent
(a retried sync upserts the same posts and adds or refreshes one snapshot)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from infludesk.connectors.social import SocialConnectorError
from infludesk.creators.models import SocialAccount
from infludesk.creators.social_connect import credentials_refresh_due
from infludesk.creators.sync import account_sync, accounts_sync_due


@task()
def sync_social_account(*, workspace_id: int, account_id: int) -> dict[str, object]:
    """Sync one account of one workspace; returns the per-account report (never raises for a
    platform failure, so the worker records the reason instead of a traceback)."""
    account = SocialAccount.objects.filter(workspace_id=workspace_id, pk=account_id).first()
    if account is None:
        return {"account_id": account_id, "ok": False, "error": "no such account"}
    try:
        result = account_sync(account=account, now=timezone.now())
    except SocialConnectorError as exc:
        return {"account_id": account_id, "ok": False, "error": str(exc)}
    return {
        "account_id": account_id,
        "ok": True,
        "followers": result.followers,
        "posts_created": result.posts_created,
        "posts_updated": result.posts_updated,
        "comments": result.comments,
        "snapshot_id": result.snapshot_id,
        "warning": result.warning,
    }


@task()
def enqueue_due_syncs() -> int:
    """Enqueue a sync for every account that is due (not synced for 24 h by default)."""
    count = 0
    for account in accounts_sync_due(now=timezone.now()).only("pk", "workspace_id"):
        sync_social_account.enqueue(workspace_id=account.workspace_id, account_id=account.pk)
        count += 1
    return count


@task()
def refresh_due_tokens() -> dict[str, int]:
    """Refresh Instagram Login tokens expiring within 7 days and mark expired ones (idempotent:
    a refreshed token is no longer due)."""
    results = credentials_refresh_due(now=timezone.now())
    return {o: sum(r.outcome == o for r in results) for o in ("refreshed", "expired", "failed")}
