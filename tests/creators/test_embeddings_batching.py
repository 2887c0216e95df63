"""The embedding refresh after bio changes is enqueued once per workspace and transaction (an
import chunk of accounts queues one task, not one per account); a rollback queues nothing."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from infludesk.creators.models import SocialAccount
from infludesk.creators.search_texts import embeddings_refresh_later
from infludesk.creators.services import social_account_create, social_account_update
from tests.creators.import_helpers import counts, run_import
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

TASK = "infludesk.creators.tasks.refresh_account_embeddings"


class _Abort(Exception):
    pass


def _queued() -> list[dict]:
    """The kwargs of every enqueued embedding refresh, oldest first."""
    rows = DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at")
    return [row.args_kwargs["kwargs"] for row in rows]


def _create(workspace, owner, handle, bio="Trail runner"):
    creator = CreatorFactory(workspace=workspace)
    return social_account_create(
        workspace=workspace, creator=creator, by=owner, platform="instagram", handle=handle, bio=bio
    )


def test_given_two_accounts_with_bios_created_in_one_transaction_then_one_enqueue_with_both(
    workspace, owner, django_capture_on_commit_callbacks
):
    # when two accounts with bios are created in one transaction
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = _create(workspace, owner, "first.one")
        second = _create(workspace, owner, "second.one")

    # then one refresh is enqueued, with both ids sorted
    assert _queued() == [{"workspace_id": workspace.pk, "account_ids": [first.pk, second.pk]}]


def test_given_bio_edits_in_descending_id_order_and_twice_then_the_task_gets_sorted_unique_ids(
    workspace, owner, django_capture_on_commit_callbacks
):
    low = SocialAccountFactory(creator=CreatorFactory(workspace=workspace), bio="")
    high = SocialAccountFactory(creator=CreatorFactory(workspace=workspace), bio="")

    # when the higher id is edited first and twice, then the lower one, in one transaction
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        social_account_update(account=high, by=owner, bio="Pottery")
        social_account_update(account=high, by=owner, bio="Pottery and glaze")
        social_account_update(account=low, by=owner, bio="Knitting")

    # then one refresh with each id once, ascending
    assert _queued() == [{"workspace_id": workspace.pk, "account_ids": [low.pk, high.pk]}]


def test_given_two_workspaces_in_one_transaction_then_one_enqueue_per_workspace(
    workspace, other_workspace, owner, django_capture_on_commit_callbacks
):
    # when accounts of two workspaces get bios in one transaction, interleaved
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ours_a = _create(workspace, owner, "ours.a")
        theirs = _create(other_workspace, None, "theirs")
        ours_b = _create(workspace, owner, "ours.b")

    # then one refresh per workspace, each with its own ids, in the order first registered
    assert _queued() == [
        {"workspace_id": workspace.pk, "account_ids": [ours_a.pk, ours_b.pk]},
        {"workspace_id": other_workspace.pk, "account_ids": [theirs.pk]},
    ]


def test_given_a_rolled_back_savepoint_then_its_batch_is_not_reused_and_nothing_of_it_queued(
    workspace, owner, django_capture_on_commit_callbacks
):
    # when a savepoint that created an account rolls back, and another one then commits
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(_Abort), transaction.atomic():
            _create(workspace, owner, "rolled.back")
            raise _Abort
        with transaction.atomic():
            kept = _create(workspace, owner, "kept")

    # then only the later account is queued, by one hook
    assert len(callbacks) == 1
    assert _queued() == [{"workspace_id": workspace.pk, "account_ids": [kept.pk]}]


def test_given_hooks_already_run_in_a_test_block_then_a_later_block_gets_its_own_enqueue(
    workspace, owner, django_capture_on_commit_callbacks
):
    # the test's own transaction keeps run hooks in run_on_commit: a run batch is not reused
    with django_capture_on_commit_callbacks(execute=True):
        first = _create(workspace, owner, "first.block")
    with django_capture_on_commit_callbacks(execute=True):
        second = _create(workspace, owner, "second.block")

    assert _queued() == [
        {"workspace_id": workspace.pk, "account_ids": [first.pk]},
        {"workspace_id": workspace.pk, "account_ids": [second.pk]},
    ]


@pytest.mark.django_db(transaction=True)
def test_given_a_rolled_back_transaction_then_nothing_is_queued_and_the_next_batch_is_fresh(
    workspace, owner
):
    # when a transaction creating an account rolls back
    with pytest.raises(_Abort), transaction.atomic():
        _create(workspace, owner, "rolled.back")
        raise _Abort

    # then nothing is queued
    assert _queued() == []

    # when the next transaction creates another account and commits
    with transaction.atomic():
        kept = _create(workspace, owner, "kept")

    # then its refresh holds only its own id
    assert _queued() == [{"workspace_id": workspace.pk, "account_ids": [kept.pk]}]


@pytest.mark.django_db(transaction=True)
def test_given_autocommit_when_called_twice_then_each_call_enqueues_at_once(workspace):
    first = SocialAccountFactory(creator=CreatorFactory(workspace=workspace), bio="Hikes")
    second = SocialAccountFactory(creator=CreatorFactory(workspace=workspace), bio="Runs")

    # when called outside any atomic block
    embeddings_refresh_later(workspace_id=workspace.pk, account_ids=[second.pk, first.pk])
    assert _queued() == [{"workspace_id": workspace.pk, "account_ids": [first.pk, second.pk]}]
    embeddings_refresh_later(workspace_id=workspace.pk, account_ids=[second.pk])

    # then each call was enqueued on its own, at once
    assert _queued() == [
        {"workspace_id": workspace.pk, "account_ids": [first.pk, second.pk]},
        {"workspace_id": workspace.pk, "account_ids": [second.pk]},
    ]


ROWS = 30
IMPORT_CHUNK = 10


@pytest.mark.django_db(transaction=True)
def test_given_a_creators_file_with_bios_when_imported_then_one_enqueue_per_committed_chunk(
    workspace, monkeypatch
):
    # given 30 rows with bios, imported in chunks of 10 rows (one transaction each)
    monkeypatch.setattr("infludesk.creators.import_jobs.CHUNK", IMPORT_CHUNK)
    lines = ["handle,platform,followers,name,bio"]
    lines += [f"bio_{i:02d},instagram,{1000 + i},Creator {i},Climbs walls {i}" for i in range(ROWS)]

    # when the file is imported
    job = run_import(workspace, "\n".join(lines) + "\n")

    # then each chunk queued one refresh with its ten accounts, sorted
    assert counts(job) == (ROWS, 0, 0, 0)
    ids = list(
        SocialAccount.objects.filter(workspace=workspace)
        .order_by("handle")
        .values_list("pk", flat=True)
    )
    queued = sorted(_queued(), key=lambda kwargs: kwargs["account_ids"][0])
    assert queued == [
        {"workspace_id": workspace.pk, "account_ids": sorted(ids[start : start + IMPORT_CHUNK])}
        for start in range(0, ROWS, IMPORT_CHUNK)
    ]
