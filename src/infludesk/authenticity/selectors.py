"""Reads for authenticity: gather an account's evidence from its posts, snapshots, comments
and follower sample. Every query is scoped to the workspace."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from infludesk.authenticity.audience import AudienceQuality, audience_quality
from infludesk.authenticity.model import (
    AccountFeatures,
    FakeAccountModel,
    load_model,
    username_digit_ratio,
)
from infludesk.authenticity.scoring import AccountEvidence
from infludesk.core.models import Workspace
from infludesk.creators import metrics
from infludesk.creators.er_benchmarks import er_benchmarks_default, er_benchmarks_get
from infludesk.creators.models import (
    AccountSnapshot,
    FollowerSample,
    Post,
    PostComment,
    SocialAccount,
)

MAX_COMMENTS = 500
"""Comments read for the quality signal: enough for a stable share, bounded for big accounts."""


def er_benchmarks(*, workspace: Workspace | None = None) -> metrics.ErBenchmarks:
    """The ER benchmarks in force: the workspace's own figures over the INFLUDESK_ER_BENCHMARKS
    file (else the shipped defaults); without a workspace, the file alone."""
    if workspace is None:
        return er_benchmarks_default()
    return er_benchmarks_get(workspace=workspace)


def fake_model() -> FakeAccountModel:
    return load_model(settings.FAKE_MODEL_PATH or None)


def accounts_for_scoring(*, workspace: Workspace) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(workspace=workspace).order_by("pk")


def follower_features(sample: FollowerSample) -> AccountFeatures:
    """A sampled follower as model input; the digit ratio comes from the handle."""
    return AccountFeatures(
        followers=sample.followers,
        following=sample.following,
        posts=sample.posts,
        has_profile_pic=sample.has_profile_pic,
        is_private=sample.is_private,
        username_digit_ratio=username_digit_ratio(sample.handle),
        bio_length=sample.bio_length,
    )


def follower_sample(*, workspace: Workspace, account: SocialAccount) -> list[FollowerSample]:
    return list(FollowerSample.objects.filter(workspace=workspace, account=account).order_by("pk"))


def account_audience_quality(
    *,
    workspace: Workspace,
    account: SocialAccount,
    model: FakeAccountModel | None = None,
    prior: float | None = None,
) -> AudienceQuality | None:
    """Audience quality from the account's follower sample (None without a sample)."""
    model = model or fake_model()
    prior = settings.FAKE_ACCOUNT_PRIOR if prior is None else prior
    rows = follower_sample(workspace=workspace, account=account)
    probabilities = [model.probability(follower_features(r), prior=prior) for r in rows]
    return audience_quality(probabilities, prior=prior, training_prior=model.training_prior)


@dataclass(frozen=True)
class AccountMetrics:
    """The metrics the score is built on, kept with the explanation."""

    tier: str
    engagement_rate: float | None
    er_basis: str
    er_benchmark: float | None
    avg_likes: float | None
    avg_comments: float | None
    avg_views: float | None
    posts_used: int
    snapshots: int


def account_evidence(
    *,
    workspace: Workspace,
    account: SocialAccount,
    benchmarks: metrics.ErBenchmarks | None = None,
    model: FakeAccountModel | None = None,
    prior: float | None = None,
    last_n: int = metrics.DEFAULT_LAST_N,
) -> tuple[AccountEvidence, AccountMetrics]:
    """Everything the score looks at for one account, read in four queries."""
    if account.workspace_id != workspace.pk:
        raise ValueError("account belongs to another workspace")
    benchmarks = benchmarks or er_benchmarks(workspace=workspace)
    posts = list(
        Post.objects.filter(workspace=workspace, account=account).order_by("-posted_at")[:last_n]
    )
    snapshots = list(
        AccountSnapshot.objects.filter(workspace=workspace, account=account).order_by("taken_at")
    )
    # The newest comments by post date, whichever posts carry them (imports often bring
    # comments for a few posts only, not necessarily the last N).
    comments = list(
        PostComment.objects.filter(workspace=workspace, post__account=account)
        .order_by("-post__posted_at", "pk")
        .values_list("text", flat=True)[:MAX_COMMENTS]
    )
    tier = metrics.tier(account.followers)
    basis = benchmarks.basis.get(account.platform, "followers")
    if basis == "views":
        er = metrics.engagement_rate_by_views(posts, last_n)
    else:
        er = metrics.engagement_rate(posts, account.followers, last_n)
    deltas = metrics.daily_follower_deltas(snapshots)
    found = AccountMetrics(
        tier=tier,
        engagement_rate=er,
        er_basis=basis,
        er_benchmark=benchmarks.rate(account.platform, tier),
        avg_likes=metrics.average_likes(posts, last_n),
        avg_comments=metrics.average_comments(posts, last_n),
        avg_views=metrics.average_views(posts, last_n),
        posts_used=len(posts),
        snapshots=len(snapshots),
    )
    evidence = AccountEvidence(
        platform=account.platform,
        followers=account.followers,
        following=account.following,
        tier=tier,
        engagement_rate=er,
        er_benchmark=found.er_benchmark,
        er_basis=basis,
        avg_likes=found.avg_likes,
        avg_comments=found.avg_comments,
        avg_views=found.avg_views,
        avg_likes_viewed=metrics.average_likes([p for p in posts if p.views is not None], last_n),
        posts_with_metrics=len(posts),
        posts_with_views=sum(1 for p in posts if p.views is not None),
        daily_deltas=[(d.day, d.delta) for d in deltas],
        comments=comments,
        audience=account_audience_quality(
            workspace=workspace, account=account, model=model, prior=prior
        ),
    )
    return evidence, found
