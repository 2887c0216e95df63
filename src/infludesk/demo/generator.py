"""The demo workspace: one brand ("Northwind Outdoor", USD), its owner, creators and commerce.

Deterministic: the same ``seed``, ``creators``, ``days`` and ``end`` give the same rows (numpy
``Generator`` streams, no wall clock inside). Idempotent: when the workspace already holds
creators nothing is generated (``reset=True`` rebuilds it). Everything happens in one
transaction, so an interrupted run leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict, dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from infludesk.campaigns.models import Deal
from infludesk.core.models import Member, Role, User, Workspace
from infludesk.creators.models import (
    AccountSnapshot,
    Creator,
    FollowerSample,
    Post,
    PostComment,
    SocialAccount,
)
from infludesk.demo import vocab
from infludesk.demo.commerce import Commerce
from infludesk.demo.feedback import Feedback
from infludesk.demo.population import Population
from infludesk.tracking.models import Click

DEMO_SLUG = "demo"
DEMO_EMAIL = "demo@infludesk.local"
DEMO_PASSWORD = "infludesk-demo"  # noqa: S105 (the published demo login)
DEFAULT_CREATORS = 300
DEFAULT_SEED = 20_261_125
DEFAULT_DAYS = 90
MIN_CREATORS = 20


@dataclass
class DemoResult:
    created: bool
    workspace: Workspace
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def demo_end_of_history(now: dt.datetime | None = None) -> dt.datetime:
    """The last snapshot's time: today at 00:00 UTC (history ends today, not in the future)."""
    now = now or timezone.now()
    return now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _demo_owner() -> User:
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        user = User.objects.create_user(DEMO_EMAIL, DEMO_PASSWORD, full_name="Demo Owner")
    return user


def _delete_workspace(workspace: Workspace) -> None:
    """Delete the demo workspace. The big tables go first with one DELETE each (the ORM's
    collector would load millions of rows into memory); the collector handles the rest."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (PostComment, Post, AccountSnapshot, FollowerSample, Click):
            table = quote(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE workspace_id = %s", [workspace.pk])  # noqa: S608
    # deals first: a creator PROTECTs its deals, which the collector would trip over
    Deal.objects.filter(workspace=workspace).delete()
    workspace.delete()


def demo_size(workspace: Workspace) -> tuple[int, int]:
    """(creators, social accounts) in a workspace, for the command's summary."""
    return (
        Creator.objects.filter(workspace=workspace).count(),
        SocialAccount.objects.filter(workspace=workspace).count(),
    )


@transaction.atomic
def demo_generate(
    *,
    creators: int = DEFAULT_CREATORS,
    seed: int = DEFAULT_SEED,
    days: int = DEFAULT_DAYS,
    reset: bool = False,
    end: dt.datetime | None = None,
) -> DemoResult:
    """Create the demo workspace with ``creators`` creators unless it already holds data.

    ``end`` is the time of the last daily snapshot (default: today 00:00 UTC); clicks and
    orders fall in the 30 days before it.
    """
    if creators < MIN_CREATORS:
        raise ValueError(f"--creators must be at least {MIN_CREATORS} (got {creators})")
    if not 31 <= days <= 3_650:
        raise ValueError(f"--days must be between 31 and 3650 (got {days})")
    workspace = Workspace.objects.filter(slug=DEMO_SLUG).first()
    if workspace is not None and reset:
        _delete_workspace(workspace)
        workspace = None
    owner = _demo_owner()
    if workspace is not None and Creator.objects.filter(workspace=workspace).exists():
        Member.objects.get_or_create(workspace=workspace, user=owner, defaults={"role": Role.OWNER})
        return DemoResult(created=False, workspace=workspace)
    started = time.perf_counter()
    if workspace is None:
        workspace = Workspace.objects.create(
            slug=DEMO_SLUG, name=vocab.BRAND, currency="USD", time_zone="America/Denver"
        )
    Member.objects.get_or_create(workspace=workspace, user=owner, defaults={"role": Role.OWNER})
    end = demo_end_of_history() if end is None else end
    # a third stream for the feedback keeps population and commerce as they were for a seed
    population_seed, commerce_seed, feedback_seed = np.random.SeedSequence(seed).spawn(3)
    population = Population(
        workspace=workspace, rng=np.random.default_rng(population_seed), end=end, days=days
    ).generate(creators)
    commerce = Commerce(
        workspace=workspace, rng=np.random.default_rng(commerce_seed), end=end
    ).generate()
    feedback = Feedback(
        workspace=workspace, rng=np.random.default_rng(feedback_seed), end=end
    ).generate()
    counts = {**asdict(population), **asdict(commerce), **asdict(feedback)}
    return DemoResult(
        created=True,
        workspace=workspace,
        seconds=time.perf_counter() - started,
        counts=counts,
    )
