"""recompute_account_stats: enqueued on the database backend, run by the worker, values stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from infludesk.creators.models import SocialAccount
from infludesk.creators.stats import account_stats_recompute
from infludesk.creators.tasks import recompute_account_stats
from tests.factories import (
    AccountSnapshotFactory,
    CreatorFactory,
    PostFactory,
    SocialAccountFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _instagram_account(workspace, handle="maya.trails"):
    """10,000 followers; posts (300 likes, 20 comments) and (500, 30); 30 days from 8,000 to
    10,000 followers."""
    account = SocialAccountFactory(
        creator=CreatorFactory(workspace=workspace),
        handle=handle,
        platform="instagram",
        followers=10_000,
        tier="below_nano",
        engagement_rate=None,
    )
    PostFactory(account=account, likes=300, comments=20, posted_at=NOW - dt.timedelta(days=2))
    PostFactory(account=account, likes=500, comments=30, posted_at=NOW - dt.timedelta(days=1))
    AccountSnapshotFactory(account=account, taken_at=NOW - dt.timedelta(days=30), followers=8_000)
    AccountSnapshotFactory(account=account, taken_at=NOW - dt.timedelta(days=10), followers=9_000)
    AccountSnapshotFactory(account=account, taken_at=NOW, followers=10_000)
    return account


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    """The worker calls close_old_connections() between tasks, which closes a connection that
    is inside an atomic block: that would drop the test's transaction on PostgreSQL."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def _run_worker() -> None:
    call_command("worker", "--batch", verbosity=0)


def _stored(account_id: int) -> tuple:
    return tuple(
        SocialAccount.objects.filter(pk=account_id)
        .values_list(
            "tier", "engagement_rate", "avg_likes", "avg_comments", "avg_views", "growth_30d_pct"
        )
        .get()
    )


def test_given_an_instagram_account_when_the_task_runs_in_the_worker_then_stats_are_stored(
    workspace,
):
    # given an account whose stored stats are stale, and the task enqueued in the database
    account = _instagram_account(workspace)
    result = recompute_account_stats.enqueue(workspace_id=workspace.pk, account_ids=[account.pk])
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    # when the worker runs what is waiting
    _run_worker()
    # then ER = mean(320, 530) / 10,000 x 100 = 4.25, growth (10,000 - 8,000) / 8,000 = 25 %
    assert _stored(account.pk) == ("micro", Decimal("4.2500"), 400.0, 25.0, None, 25.0)
    task_row = DBTaskResult.objects.get(pk=result.id)
    assert (task_row.status, task_row.return_value) == ("SUCCESSFUL", 1)


def test_given_a_tiktok_account_when_recomputed_then_er_is_by_views(workspace):
    # given a TikTok account: (likes, comments, views) (900, 100, 20,000) and (250, 50, 10,000)
    account = SocialAccountFactory(
        creator=CreatorFactory(workspace=workspace),
        handle="kai.paddles",
        platform="tiktok",
        followers=5_000,
    )
    PostFactory(account=account, likes=900, comments=100, views=20_000, posted_at=NOW)
    PostFactory(
        account=account, likes=250, comments=50, views=10_000, posted_at=NOW - dt.timedelta(1)
    )
    recompute_account_stats.enqueue(workspace_id=workspace.pk, account_ids=[account.pk])
    # when
    _run_worker()
    # then ER = 1,300 / 30,000 x 100 = 4.3333 (by views); no snapshots -> no growth
    assert _stored(account.pk) == ("nano", Decimal("4.3333"), 575.0, 75.0, 15_000.0, None)


def test_given_more_than_12_posts_when_recomputed_then_only_the_last_12_count(workspace):
    # given 12 recent posts with 100 likes and 3 older ones with 10,000 likes
    account = SocialAccountFactory(
        creator=CreatorFactory(workspace=workspace), handle="x", followers=2_000
    )
    for day in range(12):
        PostFactory(account=account, likes=100, comments=0, posted_at=NOW - dt.timedelta(day))
    for day in range(20, 23):
        PostFactory(account=account, likes=10_000, comments=0, posted_at=NOW - dt.timedelta(day))
    # when
    account_stats_recompute(workspace=workspace, account_ids=[account.pk])
    # then ER = 100 / 2,000 x 100 = 5
    assert _stored(account.pk)[:3] == ("nano", Decimal("5.0000"), 100.0)


def test_given_the_task_ran_when_it_runs_again_then_values_are_unchanged(workspace):
    account = _instagram_account(workspace)
    recompute_account_stats.enqueue(workspace_id=workspace.pk, account_ids=[account.pk])
    _run_worker()
    first = _stored(account.pk)
    # when enqueued and run a second time (a retry)
    recompute_account_stats.enqueue(workspace_id=workspace.pk, account_ids=[account.pk])
    _run_worker()
    # then
    assert _stored(account.pk) == first


def test_given_another_workspaces_account_id_when_recomputed_then_it_is_not_touched(
    workspace, other_workspace
):
    # given an account of the other workspace with stale stats
    theirs = _instagram_account(other_workspace, handle="rival.account")
    # when workspace A's recompute is asked for B's account id
    updated = account_stats_recompute(workspace=workspace, account_ids=[theirs.pk])
    # then nothing is updated
    assert updated == 0
    assert _stored(theirs.pk) == ("below_nano", None, None, None, None, None)


def test_given_a_deleted_workspace_id_when_the_task_runs_then_it_returns_zero(workspace):
    result = recompute_account_stats.enqueue(workspace_id=987_654, account_ids=[1])
    _run_worker()
    assert DBTaskResult.objects.get(pk=result.id).return_value == 0
