"""Writes for authenticity: classify sampled followers, score accounts and store the score
with its explanation (``SocialAccount.authenticity_score`` / ``authenticity_explanation``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from infludesk.authenticity import selectors
from infludesk.authenticity.model import FakeAccountModel
from infludesk.authenticity.scoring import AuthenticityResult, authenticity_score
from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators import metrics
from infludesk.creators.models import FollowerSample, SocialAccount


def _check_workspace(workspace: Workspace, account: SocialAccount) -> None:
    if account.workspace_id != workspace.pk:
        raise ValueError("account belongs to another workspace")


@transaction.atomic
def follower_sample_classify(
    *,
    workspace: Workspace,
    account: SocialAccount,
    model: FakeAccountModel | None = None,
    prior: float | None = None,
) -> int:
    """Store each sampled follower's P(fake) at the deployment prior; returns the row count."""
    _check_workspace(workspace, account)
    model = model or selectors.fake_model()
    prior = settings.FAKE_ACCOUNT_PRIOR if prior is None else prior
    rows = selectors.follower_sample(workspace=workspace, account=account)
    for row in rows:
        row.fake_probability = model.probability(selectors.follower_features(row), prior=prior)
    FollowerSample.objects.bulk_update(rows, ["fake_probability"], batch_size=500)
    return len(rows)


def _explanation(
    result: AuthenticityResult, found: selectors.AccountMetrics, prior: float
) -> dict[str, Any]:
    data = result.to_dict()
    data["metrics"] = asdict(found)
    data["fake_prior"] = prior
    data["scored_at"] = timezone.now().isoformat()
    return data


@transaction.atomic
def account_score_authenticity(
    *,
    workspace: Workspace,
    account: SocialAccount,
    by: Member | None = None,
    benchmarks: metrics.ErBenchmarks | None = None,
    model: FakeAccountModel | None = None,
    prior: float | None = None,
) -> AuthenticityResult:
    """Score one account from its stored evidence and save the score and its explanation.

    Idempotent: scoring twice with the same data stores the same score. ``by`` is set when a
    person asked for it (then the change is audited); background jobs pass None.
    """
    _check_workspace(workspace, account)
    model = model or selectors.fake_model()
    prior = settings.FAKE_ACCOUNT_PRIOR if prior is None else prior
    if FollowerSample.objects.filter(workspace=workspace, account=account).exists():
        follower_sample_classify(workspace=workspace, account=account, model=model, prior=prior)
    evidence, found = selectors.account_evidence(
        workspace=workspace, account=account, benchmarks=benchmarks, model=model, prior=prior
    )
    result = authenticity_score(evidence)
    before = account.authenticity_score
    account.authenticity_score = result.score
    account.authenticity_explanation = _explanation(result, found, prior)
    account.save(update_fields=["authenticity_score", "authenticity_explanation", "updated_at"])
    if by is not None:
        audit_record(
            workspace=workspace,
            actor=by,
            action="account.score_authenticity",
            target=account,
            changes={"authenticity_score": [before, result.score]},
        )
    return result


def workspace_score_authenticity(
    *,
    workspace: Workspace,
    by: Member | None = None,
    prior: float | None = None,
    account_ids: list[int] | None = None,
) -> dict[int, AuthenticityResult]:
    """Score the accounts of a workspace (all, or those in ``account_ids``; ids of other
    workspaces are ignored), one transaction per account so a long run keeps what it has
    done; returns the results by account id."""
    benchmarks = selectors.er_benchmarks()
    model = selectors.fake_model()
    accounts = selectors.accounts_for_scoring(workspace=workspace)
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    results = {}
    for account in accounts:
        results[account.pk] = account_score_authenticity(
            workspace=workspace,
            account=account,
            by=by,
            benchmarks=benchmarks,
            model=model,
            prior=prior,
        )
    return results
