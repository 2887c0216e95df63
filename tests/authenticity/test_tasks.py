"""score_accounts_authenticity: enqueued on the database backend, run by the worker."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from infludesk.authenticity.tasks import score_accounts_authenticity
from infludesk.creators.models import SocialAccount
from tests.authenticity.test_services import account_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    # the worker closes old connections between tasks, which would drop the test transaction
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def test_the_worker_scores_only_the_listed_accounts_of_the_workspace(workspace, other_workspace):
    # given two accounts here and one in another workspace, the task enqueued for one of ours
    # plus the other workspace's id
    listed = account_with_history(workspace, followers=150_000, likes=150, comments=3)
    unlisted = account_with_history(workspace, followers=150_000, likes=150, comments=3)
    theirs = account_with_history(other_workspace, followers=150_000, likes=150, comments=3)
    result = score_accounts_authenticity.enqueue(
        workspace_id=workspace.pk, account_ids=[listed.pk, theirs.pk]
    )
    # when the worker runs
    call_command("worker", "--batch", verbosity=0)
    # then only the listed account of this workspace is scored
    scores = dict(SocialAccount.objects.values_list("pk", "authenticity_score"))
    assert scores == {listed.pk: 70, unlisted.pk: None, theirs.pk: None}
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == ("SUCCESSFUL", 1)


def test_a_deleted_workspace_scores_nothing(workspace):
    result = score_accounts_authenticity.enqueue(workspace_id=999_999)
    call_command("worker", "--batch", verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).return_value == 0
