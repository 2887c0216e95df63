"""Background jobs for campaigns; thin wrappers around services, safe to retry."""

from __future__ import annotations

from django_tasks import task

from infludesk.campaigns import posts


@task()
def snapshot_live_posts(workspace_pk: int) -> int:
    """Snapshot the live posts of a workspace that a connector sync changed (idempotent)."""
    from infludesk.core.models import Workspace

    return posts.live_posts_snapshot(workspace=Workspace.objects.get(pk=workspace_pk))
