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
    Returns how many accounts were updated (0 when the workspace is gone).
    """
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    return account_stats_recompute(workspace=workspace, account_ids=account_ids)
