"""Outreach reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import F, Q, QuerySet

from infludesk.campaigns.models import Deal
from infludesk.core.models import Workspace
from infludesk.outreach.models import EmailMessage, EmailTemplate, EmailThread


def templates_list(*, workspace: Workspace) -> QuerySet[EmailTemplate]:
    return EmailTemplate.objects.filter(workspace=workspace).order_by("name")


def thread_messages(*, workspace: Workspace, deal: Deal) -> QuerySet[EmailMessage]:
    return EmailMessage.objects.filter(workspace=workspace, thread__deal=deal).order_by("at", "id")


def threads_due_follow_up(
    *, now: dt.datetime, max_follow_ups: int, workspace: Workspace | None = None
) -> Iterator[EmailThread]:
    """Threads awaiting a reply for at least follow_up_after_days (of one workspace, or of
    every workspace when none is given), oldest mail first in one query."""
    scope = EmailThread.objects.all()
    if workspace is not None:
        scope = scope.filter(workspace=workspace)
    candidates = (
        scope.filter(
            follow_up_after_days__isnull=False,
            last_outbound_at__isnull=False,
            follow_ups_sent__lt=max_follow_ups,
            deal__creator__do_not_contact=False,
        )
        .filter(Q(last_inbound_at__isnull=True) | Q(last_inbound_at__lt=F("last_outbound_at")))
        .select_related("deal__creator", "deal__campaign", "deal__workspace")
        .order_by("last_outbound_at", "id")
    )
    for thread in candidates.iterator():
        assert thread.last_outbound_at is not None and thread.follow_up_after_days is not None
        if thread.last_outbound_at + dt.timedelta(days=thread.follow_up_after_days) <= now:
            yield thread
