"""Reads for the explained authenticity score of one account (the page and the API share
them): the stored explanation (``SocialAccount.authenticity_explanation``, written by
``services.account_score_authenticity``) and the follower chart with the spike and drop dates
the growth signal found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404

from infludesk.authenticity import selectors
from infludesk.core.models import Workspace
from infludesk.creators import metrics
from infludesk.creators.models import AccountSnapshot, Post, SocialAccount


def account_get(*, workspace: Workspace, account_id: int) -> SocialAccount:
    """One account of the workspace; another workspace's account is a 404."""
    return get_object_or_404(
        SocialAccount.objects.select_related("creator"), workspace=workspace, pk=account_id
    )


@dataclass(frozen=True)
class Explanation:
    account: SocialAccount
    scored: bool
    score: int | None
    confidence: str
    signals_with_data: int
    signals_total: int
    verdict: str
    reasons: list[str]
    signals: list[dict[str, Any]]
    metrics: dict[str, Any]
    scored_at: str
    spikes: list[dict[str, Any]]
    drops: list[dict[str, Any]]
    audience: dict[str, Any] | None


def explanation(account: SocialAccount) -> Explanation:
    """The stored explanation as plain data; ``scored`` is False before the first scoring."""
    data = account.authenticity_explanation or {}
    signals = list(data.get("signals") or [])
    growth: dict[str, Any] = next((s for s in signals if s.get("key") == "growth"), {})
    details = growth.get("details") or {}
    audience = next((s for s in signals if s.get("key") == "audience"), None)
    return Explanation(
        account=account,
        scored=bool(data) and account.authenticity_score is not None,
        score=account.authenticity_score,
        confidence=str(data.get("confidence", "")),
        signals_with_data=int(data.get("signals_with_data", 0)),
        signals_total=int(data.get("signals_total", 0)),
        verdict=str(data.get("verdict", "")),
        reasons=list(data.get("reasons") or []),
        signals=signals,
        metrics=dict(data.get("metrics") or {}),
        scored_at=str(data.get("scored_at", "")),
        spikes=list(details.get("spikes") or []),
        drops=list(details.get("drops") or []),
        audience=(audience.get("details") or None) if audience else None,
    )


def snapshots_of(*, workspace: Workspace, account: SocialAccount) -> list[AccountSnapshot]:
    """The account's snapshots, oldest first (one query, only the fields charts need)."""
    return list(
        AccountSnapshot.objects.filter(workspace=workspace, account=account)
        .only("taken_at", "followers")
        .order_by("taken_at")
    )


def account_figures(
    *, workspace: Workspace, account: SocialAccount, snapshots: list[AccountSnapshot]
) -> dict[str, float | None]:
    """The account's metrics the issue lists beside ER (formulas in ``creators.metrics``):
    posts per week over the last 12 posts, follower growth over 7, 30 and 90 days, and the
    stored ER against its tier benchmark (the workspace's). Two queries: the posts' dates and
    the workspace's benchmarks."""
    posted = list(
        Post.objects.filter(workspace=workspace, account=account)
        .order_by("-posted_at")
        .values_list("posted_at", flat=True)[: metrics.DEFAULT_LAST_N]
    )
    growth = metrics.follower_growth(snapshots)
    er = float(account.engagement_rate) if account.engagement_rate is not None else None
    benchmark = selectors.er_benchmarks(workspace=workspace).rate(
        account.platform, metrics.tier(account.followers)
    )
    return {
        "posts_per_week": _round(metrics.posting_frequency_per_week(posted), 2),
        "growth_weekly_pct": _round(growth.weekly_pct, 2),
        "growth_30d_pct": _round(growth.d30_pct, 2),
        "growth_90d_pct": _round(growth.d90_pct, 2),
        "engagement_rate": er,
        "er_benchmark": benchmark,
        "er_vs_benchmark": _round(metrics.er_vs_benchmark(er, benchmark), 2),
    }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def growth_chart(
    *, explained: Explanation, snapshots: list[AccountSnapshot]
) -> dict[str, Any] | None:
    """Followers over time (Plotly figure) with a red marker on each spike date and an orange
    one on each drop date; None without snapshots."""
    rows = [(s.taken_at, s.followers) for s in snapshots]
    if not rows:
        return None
    by_day = {t.date().isoformat(): f for t, f in rows}
    data: list[dict[str, Any]] = [
        {
            "name": "Followers",
            "x": [t.isoformat() for t, _ in rows],
            "y": [f for _, f in rows],
            "type": "scatter",
            "mode": "lines",
        }
    ]
    for name, events, color in (
        ("Spike", explained.spikes, "#c0392b"),
        ("Sudden drop", explained.drops, "#d35400"),
    ):
        if events:
            data.append(
                {
                    "name": name,
                    "x": [e["date"] for e in events],
                    "y": [by_day.get(e["date"]) for e in events],
                    "text": [f"{e['change']:+,} followers (z {e['z']})" for e in events],
                    "type": "scatter",
                    "mode": "markers",
                    "marker": {"size": 12, "color": color, "symbol": "triangle-up"},
                }
            )
    return {
        "data": data,
        "layout": {"yaxis": {"title": {"text": "Followers"}, "rangemode": "tozero"}},
    }
