"""The workspace's editable cost table (``CostBenchmark`` rows over the defaults in
``creators.costs``) and cost estimates for accounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction

from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators import costs
from infludesk.creators.models import CostBenchmark, CostFormat, Tier


def cost_table_get(*, workspace: Workspace) -> costs.CostTable:
    """The workspace's overrides, (tier, format) -> (low, high), in one query."""
    rows = CostBenchmark.objects.filter(workspace=workspace).values_list(
        "tier", "format", "low", "high"
    )
    return {(tier, fmt): (low, high) for tier, fmt, low, high in rows}


@dataclass(frozen=True)
class CostTableRow:
    tier: str
    tier_label: str
    format: str
    format_label: str
    low: Decimal
    high: Decimal
    is_default: bool


def cost_table_rows(*, workspace: Workspace) -> list[CostTableRow]:
    """Every tier x format with the price in force and whether it is the default."""
    table = cost_table_get(workspace=workspace)
    rows = []
    for tier, tier_label in Tier.choices:
        for fmt, fmt_label in CostFormat.choices:
            price = costs.cost_range(tier, fmt, table)
            rows.append(
                CostTableRow(
                    tier=tier,
                    tier_label=str(tier_label),
                    format=fmt,
                    format_label=str(fmt_label),
                    low=price.low,
                    high=price.high,
                    is_default=(tier, fmt) not in table,
                )
            )
    return rows


@transaction.atomic
def cost_benchmark_set(
    *, workspace: Workspace, tier: str, fmt: str, low: Decimal, high: Decimal, by: Member
) -> CostBenchmark:
    """Set the workspace's price range for one tier and format (in the workspace currency)."""
    errors: dict[str, list[str]] = {}
    if tier not in Tier.values:
        errors["tier"] = [f"Unknown tier {tier!r}."]
    if fmt not in CostFormat.values:
        errors["format"] = [f"Unknown format {fmt!r}."]
    if low < 0:
        errors["low"] = ["The low price cannot be negative."]
    if high < low:
        errors["high"] = ["The high price must be at least the low price."]
    if errors:
        raise ValidationError(errors)
    row, created = CostBenchmark.objects.update_or_create(
        workspace=workspace,
        tier=tier,
        format=fmt,
        defaults={"low": low, "high": high, "currency": workspace.currency},
    )
    audit_record(
        workspace=workspace,
        actor=by,
        action="cost_benchmark.create" if created else "cost_benchmark.update",
        target=row,
        changes={"low": [None, str(low)], "high": [None, str(high)]},
    )
    return row


@transaction.atomic
def cost_benchmark_reset(*, workspace: Workspace, tier: str, fmt: str, by: Member) -> None:
    """Go back to the default price for one tier and format."""
    row = CostBenchmark.objects.filter(workspace=workspace, tier=tier, format=fmt).first()
    if row is None:
        return
    audit_record(workspace=workspace, actor=by, action="cost_benchmark.delete", target=row)
    row.delete()


class SizedAccount(Protocol):
    """What a cost estimate reads of an account (a SocialAccount or a search result)."""

    @property
    def followers(self) -> int: ...
    @property
    def platform(self) -> str: ...
    @property
    def tier(self) -> str: ...
    @property
    def engagement_rate(self) -> Decimal | None: ...


def account_estimate(
    account: SizedAccount, table: costs.CostTable, fmt: str = "post"
) -> costs.CostEstimate:
    """A cost estimate for one deliverable by this account (stored tier, followers, ER)."""
    return costs.estimate(
        followers=account.followers,
        platform=account.platform,
        tier=account.tier,
        er_pct=account.engagement_rate,
        fmt=fmt,
        table=table,
    )


@dataclass(frozen=True)
class DefaultSource:
    """One default of the cost table with its basis, for the cost page and the API."""

    kind: str  # "post_price" | "format_multiplier" | "reach_rate"
    key: str  # the tier, format or platform
    label: str
    value: str  # the default as shown, e.g. "10.00-100.00" or "x1.5" or "35/30/20/15/10%"
    basis: costs.Basis


def default_sources() -> list[DefaultSource]:
    """Every default (post price per tier, format multiplier, reach rates per platform) with
    its source or "our assumption", in the order the cost page lists them."""
    rows = []
    for tier, tier_label in Tier.choices:
        low, high = costs.DEFAULT_POST_RANGES[tier]
        rows.append(
            DefaultSource(
                "post_price",
                tier,
                str(tier_label),
                f"{low:,.2f}-{high:,.2f}",
                costs.POST_RANGE_BASIS[tier],
            )
        )
    for fmt, fmt_label in CostFormat.choices:
        rows.append(
            DefaultSource(
                "format_multiplier",
                fmt,
                str(fmt_label),
                f"x{costs.FORMAT_MULTIPLIERS[fmt]}",
                costs.FORMAT_BASIS[fmt],
            )
        )
    for platform, rates in costs.DEFAULT_REACH_RATES.items():
        shown = "/".join(f"{round(rates[t] * 100)}" for t in costs.TIERS)
        rows.append(
            DefaultSource(
                "reach_rate",
                platform,
                platform.capitalize(),
                f"{shown}%",
                costs.REACH_BASIS[platform],
            )
        )
    return rows
