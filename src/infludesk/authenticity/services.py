"""Writes for authenticity: classify sampled followers, score accounts and store the score
with its explanation (``SocialAccount.authenticity_score`` / ``authenticity_explanation``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
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
    benchmarks = selectors.er_benchmarks(workspace=workspace)
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


@dataclass(frozen=True)
class FollowerRow:
    """One sampled follower as imported (API or file): what any platform shows of an account."""

    handle: str
    followers: int
    following: int
    posts: int
    has_profile_pic: bool
    is_private: bool
    bio_length: int | None = None


MAX_SAMPLE_ROWS = 5_000


@transaction.atomic
def follower_sample_import(
    *,
    workspace: Workspace,
    account: SocialAccount,
    rows: list[FollowerRow],
    by: Member | None,
    replace: bool = False,
) -> dict[str, int]:
    """Store a sample of the account's followers (upsert by handle, case-blind; ``replace``
    drops the previous sample first), classify each with the fake-account model and audit
    the import. Returns {"created", "updated", "deleted", "sample_size"}.

    Raises ValueError for an empty or oversized sample or a handle given twice."""
    _check_workspace(workspace, account)
    if not rows:
        raise ValueError("The sample is empty: send at least one follower.")
    if len(rows) > MAX_SAMPLE_ROWS:
        raise ValueError(f"At most {MAX_SAMPLE_ROWS:,} followers per import.")
    handles = [r.handle.strip().lstrip("@").lower() for r in rows]
    if any(not h for h in handles):
        raise ValueError("Every follower needs a handle.")
    twice = sorted(h for h, n in Counter(handles).items() if n > 1)
    if twice:
        raise ValueError(f"Handle given twice: {', '.join(twice[:5])}.")
    deleted = 0
    existing_qs = FollowerSample.objects.filter(workspace=workspace, account=account)
    if replace:
        deleted, _ = existing_qs.exclude(handle__in=handles).delete()
    existing = {f.handle: f for f in existing_qs.filter(handle__in=handles)}
    created, updated = [], []
    fields = ["followers", "following", "posts", "has_profile_pic", "is_private", "bio_length"]
    for handle, row in zip(handles, rows, strict=True):
        values = {f: getattr(row, f) for f in fields}
        found = existing.get(handle)
        if found is None:
            created.append(
                FollowerSample(workspace=workspace, account=account, handle=handle, **values)
            )
        else:
            for f, v in values.items():
                setattr(found, f, v)
            updated.append(found)
    FollowerSample.objects.bulk_create(created, batch_size=500)
    FollowerSample.objects.bulk_update(updated, fields, batch_size=500)
    size = follower_sample_classify(workspace=workspace, account=account)
    audit_record(
        workspace=workspace,
        actor=by,
        action="follower_sample.import",
        target=account,
        changes={
            "created": [None, len(created)],
            "updated": [None, len(updated)],
            "deleted": [None, deleted],
        },
    )
    return {
        "created": len(created),
        "updated": len(updated),
        "deleted": deleted,
        "sample_size": size,
    }
