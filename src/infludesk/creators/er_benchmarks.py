"""The workspace's ER benchmarks: the deployment's file (``benchmarks_er.json``, or the file
named by INFLUDESK_ER_BENCHMARKS) with the workspace's own figures over it.

A workspace figure is one ``ErBenchmark`` row (platform, tier, rate in percent, and where the
figure comes from, which is required: a benchmark without a source cannot be judged).
``er_benchmarks_get`` is what every ER-vs-benchmark comparison reads (the authenticity score's
engagement signal, its explanation page, the compare page); resetting deletes the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators import metrics
from infludesk.creators.models import ErBenchmark

BENCHMARK_TIERS = ("nano", "micro", "macro", "mega")  # accounts under 1k are not benchmarked
MAX_RATE = Decimal("100")
MAX_SOURCE = 2_000


def er_benchmarks_default() -> metrics.ErBenchmarks:
    """The deployment's file: INFLUDESK_ER_BENCHMARKS, else the shipped defaults."""
    return metrics.load_er_benchmarks(settings.ER_BENCHMARKS_PATH or None)


def er_benchmarks_get(*, workspace: Workspace) -> metrics.ErBenchmarks:
    """The benchmarks in force for the workspace (its rows over the file), in one query."""
    defaults = er_benchmarks_default()
    rates = {platform: dict(tiers) for platform, tiers in defaults.rates.items()}
    rows = ErBenchmark.objects.filter(workspace=workspace).values_list("platform", "tier", "rate")
    for platform, tier, rate in rows:
        rates.setdefault(platform, {})[tier] = float(rate)
    return metrics.ErBenchmarks(rates=rates, source=defaults.source, basis=defaults.basis)


@dataclass(frozen=True)
class ErBenchmarkRow:
    platform: str
    tier: str
    basis: str
    rate: float | None
    default_rate: float | None
    source: str
    is_default: bool


def er_benchmark_rows(*, workspace: Workspace) -> list[ErBenchmarkRow]:
    """Every platform x tier of the file, with the figure in force and its source."""
    defaults = er_benchmarks_default()
    own = {
        (b.platform, b.tier): b
        for b in ErBenchmark.objects.filter(workspace=workspace).order_by("platform", "tier")
    }
    rows = []
    for platform in sorted(set(defaults.rates) | {p for p, _ in own}):
        for tier in BENCHMARK_TIERS:
            default = defaults.rate(platform, tier)
            mine = own.get((platform, tier))
            rows.append(
                ErBenchmarkRow(
                    platform=platform,
                    tier=tier,
                    basis=defaults.basis.get(platform, "followers"),
                    rate=float(mine.rate) if mine else default,
                    default_rate=default,
                    source=mine.source if mine else defaults.source,
                    is_default=mine is None,
                )
            )
    return rows


def _check_cell(platform: str, tier: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    platforms = sorted(er_benchmarks_default().rates)
    if platform not in platforms:
        errors["platform"] = [
            f"Unknown platform {platform!r}; expected one of {', '.join(platforms)}."
        ]
    if tier not in BENCHMARK_TIERS:
        errors["tier"] = [f"Unknown tier {tier!r}; expected one of {', '.join(BENCHMARK_TIERS)}."]
    return errors


@transaction.atomic
def er_benchmark_set(
    *, workspace: Workspace, platform: str, tier: str, rate: Decimal, source: str, by: Member
) -> ErBenchmark:
    """Set the workspace's typical ER (percent) for one platform and tier, with its source."""
    errors = _check_cell(platform, tier)
    if not rate.is_finite() or rate <= 0 or rate > MAX_RATE or not math.isfinite(float(rate)):
        errors["rate"] = ["The rate is a percentage above 0 and at most 100, e.g. 1.6."]
    source = source.strip()
    if not source:
        errors["source"] = ["Say where the figure comes from (report, year, or 'our own data')."]
    elif len(source) > MAX_SOURCE:
        errors["source"] = [f"Keep the source under {MAX_SOURCE} characters."]
    if errors:
        raise ValidationError(errors)
    before = ErBenchmark.objects.filter(workspace=workspace, platform=platform, tier=tier).first()
    row, _ = ErBenchmark.objects.update_or_create(
        workspace=workspace,
        platform=platform,
        tier=tier,
        defaults={"rate": rate.quantize(Decimal("0.001")), "source": source},
    )
    audit_record(
        workspace=workspace,
        actor=by,
        action="er_benchmark.set",
        target=row,
        changes={
            "rate": [str(before.rate) if before else None, str(row.rate)],
            "source": [before.source if before else None, source],
        },
    )
    return row


@transaction.atomic
def er_benchmark_reset(*, workspace: Workspace, platform: str, tier: str, by: Member) -> bool:
    """Go back to the file's figure for one platform and tier; False when it already was."""
    errors = _check_cell(platform, tier)
    if errors:
        raise ValidationError(errors)
    row = ErBenchmark.objects.filter(workspace=workspace, platform=platform, tier=tier).first()
    if row is None:
        return False
    audit_record(
        workspace=workspace,
        actor=by,
        action="er_benchmark.reset",
        target=row,
        changes={"rate": [str(row.rate), None]},
    )
    row.delete()
    return True


@transaction.atomic
def er_benchmarks_reset_all(*, workspace: Workspace, by: Member) -> int:
    """Drop all of the workspace's figures; returns how many there were."""
    rows = list(ErBenchmark.objects.filter(workspace=workspace))
    for row in rows:
        audit_record(
            workspace=workspace,
            actor=by,
            action="er_benchmark.reset",
            target=row,
            changes={"rate": [str(row.rate), None]},
        )
    ErBenchmark.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)
