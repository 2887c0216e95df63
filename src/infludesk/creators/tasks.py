"""Background jobs for creators. Thin: each calls a service (see STYLE.md) and is idempotent."""

from __future__ import annotations

from django_tasks import task

from infludesk.core.models import Workspace
from infludesk.creators.stats import account_stats_recompute


@task()
def recompute_account_stats(*, workspace_id: int, account_ids: list[int]) -> int:
    """Recompute the stored ER, averages, tier and 30-day growth of these accounts.

    Enqueue after an import or a sync, e.g.
    ``recompute_account_stats.enqueue(workspace_id=ws.pk, account_ids=[...])``.
    Also stores the accounts' recent captions for search (a sync's new captions reach the
    full-text index here) and queues their embeddings. Returns how many accounts were updated
    (0 when the workspace is gone).
    """
    from infludesk.creators.search_texts import account_search_texts_changed

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    updated = account_stats_recompute(workspace=workspace, account_ids=account_ids)
    account_search_texts_changed(workspace=workspace, account_ids=account_ids)
    return updated


@task()
def refresh_account_embeddings(*, workspace_id: int, account_ids: list[int]) -> int:
    """Re-embed the bio and recent captions of these accounts where they changed (for "fit to
    a brief" in search). Enqueued after a post import, a sync or a bio change. Returns how many
    embeddings were written or removed (0 when the workspace is gone)."""
    from infludesk.creators.search_texts import account_embeddings_refresh

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    return account_embeddings_refresh(workspace=workspace, account_ids=account_ids)
