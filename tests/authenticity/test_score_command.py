"""`infludesk score-authenticity`: scores one workspace and says what it found."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from infludesk.creators.models import SocialAccount
from tests.authenticity.test_services import account_with_history

pytestmark = pytest.mark.django_db


def test_scores_the_named_workspace_only(workspace, other_workspace):
    flagged = account_with_history(workspace, followers=150_000, likes=150, comments=3)
    clean = account_with_history(workspace, followers=50_000, likes=800, comments=25)
    theirs = account_with_history(other_workspace, followers=150_000, likes=150, comments=3)
    out = io.StringIO()
    call_command("score_authenticity", "--workspace", workspace.slug, stdout=out)
    assert out.getvalue() == "2 accounts scored in acme: 1 suspicious, 0 to watch, 1 clean\n"
    scores = dict(SocialAccount.objects.values_list("pk", "authenticity_score"))
    assert scores == {flagged.pk: 70, clean.pk: 100, theirs.pk: None}


def test_unknown_workspace_and_bad_prior_are_clear_errors(workspace):
    with pytest.raises(CommandError, match="no workspace with the slug 'nope'"):
        call_command("score_authenticity", "--workspace", "nope")
    with pytest.raises(CommandError, match="--prior must be strictly between 0 and 1"):
        call_command("score_authenticity", "--workspace", workspace.slug, "--prior", "2")
