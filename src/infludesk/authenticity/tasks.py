"""Background jobs for authenticity. Thin: each calls a service and is idempotent."""

from __future__ import annotations

from django_tasks import task

from infludesk.authenticity.services import workspace_score_authenticity
from infludesk.core.models import Workspace


@task()
def score_accounts_authenticity(*, workspace_id: int, account_ids: list[int] | None = None) -> int:
    """Score these accounts of the workspace (all when ``account_ids`` is None) and store the
    score and explanation. Enqueue after an import, a sync or a stats recompute, e.g.
    ``score_accounts_authenticity.enqueue(workspace_id=ws.pk, account_ids=[...])``. Returns
    how many accounts were scored (0 when the workspace is gone)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    return len(workspace_score_authenticity(workspace=workspace, account_ids=account_ids))
