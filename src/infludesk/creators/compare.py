"""Reads for the side-by-side compare of 2-5 creators (the page and the API share them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from infludesk.core.models import Workspace
from infludesk.creators import costs, metrics
from infludesk.creators.cost_table import account_estimate, cost_table_get
from infludesk.creators.er_benchmarks import er_benchmarks_get
from infludesk.creators.models import AccountSnapshot, Creator, SocialAccount

MIN_COMPARE = 2
MAX_COMPARE = 5


@dataclass(frozen=True)
class CompareColumn:
    """One creator in the compare table; figures are for their main (most followed) account,
    except total_followers, summed over all their accounts."""

    creator: Creator
    account: SocialAccount | None
    total_followers: int
    er_benchmark: float | None
    er_ratio: float | None
    growth_30d_pct: float | None
    estimate: costs.CostEstimate | None
    series: tuple[dict[str, Any], ...] = ()
    """Each account's follower snapshots (the chart's lines): account_id, handle, platform,
    taken_at (ISO times) and followers."""


def parse_ids(values: list[str]) -> list[int] | str:
    """Creator ids from ``?ids=1,2,3`` or repeated ``ids``; a message string when bad."""
    parts = [p.strip() for value in values for p in value.split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        return "Creator ids must be whole numbers, e.g. ?ids=12,15."
    ids = list(dict.fromkeys(int(p) for p in parts))
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE:
        return (
            f"Pick between {MIN_COMPARE} and {MAX_COMPARE} creators to compare ({len(ids)} picked)."
        )
    return ids


def compare_columns(
    *, workspace: Workspace, creator_ids: list[int]
) -> tuple[list[CompareColumn], dict[str, Any]]:
    """The compare table and the follower chart, in four queries. Raises Http404 when an id
    is not a creator of this workspace (another workspace's included)."""
    creators = {c.pk: c for c in Creator.objects.filter(workspace=workspace, pk__in=creator_ids)}
    if len(creators) != len(creator_ids):
        raise Http404("No such creator in this workspace.")
    accounts: dict[int, list[SocialAccount]] = defaultdict(list)
    for account in SocialAccount.objects.filter(
        workspace=workspace, creator_id__in=creator_ids
    ).order_by("-followers", "pk"):
        accounts[account.creator_id].append(account)
    snapshots: dict[int, list[metrics.SnapshotPoint]] = defaultdict(list)
    for account_id, taken_at, followers in (
        AccountSnapshot.objects.filter(workspace=workspace, account__creator_id__in=creator_ids)
        .order_by("account_id", "taken_at")
        .values_list("account_id", "taken_at", "followers")
    ):
        snapshots[account_id].append(metrics.SnapshotPoint(taken_at, followers))
    table = cost_table_get(workspace=workspace)
    # The same benchmarks as the authenticity score: the workspace's own over the file.
    benchmarks = er_benchmarks_get(workspace=workspace)
    columns = []
    traces = []
    for creator_id in creator_ids:
        creator = creators[creator_id]
        owned = accounts[creator_id]
        main = owned[0] if owned else None
        er = float(main.engagement_rate) if main and main.engagement_rate is not None else None
        bench = benchmarks.rate(main.platform, main.tier) if main else None
        columns.append(
            CompareColumn(
                creator=creator,
                account=main,
                total_followers=sum(a.followers for a in owned),
                er_benchmark=bench,
                er_ratio=metrics.er_vs_benchmark(er, bench),
                growth_30d_pct=metrics.follower_growth_pct(snapshots[main.pk], 30)
                if main
                else None,
                estimate=account_estimate(main, table) if main else None,
                series=tuple(
                    {
                        "account_id": a.pk,
                        "handle": a.handle,
                        "platform": a.platform,
                        "taken_at": [p.taken_at.isoformat() for p in snapshots[a.pk]],
                        "followers": [p.followers for p in snapshots[a.pk]],
                    }
                    for a in owned
                    if snapshots.get(a.pk)
                ),
            )
        )
        for account in owned:
            points = snapshots.get(account.pk)
            if points:
                traces.append(
                    {
                        "name": f"{creator.name} @{account.handle} ({account.platform})",
                        "x": [p.taken_at.isoformat() for p in points],
                        "y": [p.followers for p in points],
                        "type": "scatter",
                        "mode": "lines+markers",
                    }
                )
    chart = {
        "data": traces,
        "layout": {"yaxis": {"title": {"text": "Followers"}, "rangemode": "tozero"}},
    }
    return columns, chart
