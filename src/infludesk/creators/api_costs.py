"""The workspace's cost table and per-account cost estimates over the REST API (mounted by
infludesk.api.api). Every member reads; owners and managers change prices (audited by
``cost_table``). Another workspace's account is a 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.creators import cost_table, costs
from infludesk.creators.models import SocialAccount

router = Router(tags=["costs"])


class CostRowOut(Schema):
    tier: str
    format: str
    low: Decimal
    high: Decimal
    is_default: bool


class SourceOut(Schema):
    title: str
    publisher: str
    year: str
    url: str


class DefaultOut(Schema):
    kind: str
    key: str
    label: str
    value: str
    note: str
    is_assumption: bool
    sources: list[SourceOut]


class CostTableOut(Schema):
    currency: str
    rows: list[CostRowOut]
    defaults: list[DefaultOut]


class CostIn(Schema):
    low: Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
    high: Annotated[Decimal, Field(max_digits=12, decimal_places=2)]


class EstimateOut(Schema):
    account_id: int
    platform: str
    tier: str
    currency: str
    format: str
    cost_low: Decimal
    cost_high: Decimal
    reach: int
    engagements: int | None
    cpm_low: Decimal | None
    cpm_high: Decimal | None
    cpe_low: Decimal | None
    cpe_high: Decimal | None


@router.get("/cost-table", response={200: CostTableOut, **ERROR_RESPONSES})
def cost_table_read(request: HttpRequest) -> Any:
    """Price per tier and format in force (the workspace's or the default) and every
    default's source, or "our assumption"."""
    member = member_of(request)
    return {
        "currency": member.workspace.currency,
        "rows": [r.__dict__ for r in cost_table.cost_table_rows(workspace=member.workspace)],
        "defaults": [
            {
                "kind": d.kind,
                "key": d.key,
                "label": d.label,
                "value": d.value,
                "note": d.basis.note,
                "is_assumption": d.basis.is_assumption,
                "sources": [s.__dict__ for s in d.basis.sources],
            }
            for d in cost_table.default_sources()
        ],
    }


@router.put(
    "/cost-table/{tier}/{fmt}",
    response={200: CostRowOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Set the workspace's price range for one tier and format",
)
def cost_table_set(request: HttpRequest, tier: str, fmt: str, payload: CostIn) -> Any:
    member = member_of(request)
    row = cost_table.cost_benchmark_set(
        workspace=member.workspace,
        tier=tier,
        fmt=fmt,
        low=payload.low,
        high=payload.high,
        by=member,
    )
    row.refresh_from_db(fields=["low", "high"])  # as stored: two decimals
    return {
        "tier": row.tier,
        "format": row.format,
        "low": row.low,
        "high": row.high,
        "is_default": False,
    }


@router.delete(
    "/cost-table/{tier}/{fmt}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Go back to the default price for one tier and format",
)
def cost_table_reset(request: HttpRequest, tier: str, fmt: str) -> Any:
    member = member_of(request)
    cost_table.cost_benchmark_reset(workspace=member.workspace, tier=tier, fmt=fmt, by=member)
    return Status(204, None)


@router.get(
    "/social-accounts/{account_id}/cost-estimate",
    response={200: EstimateOut, **ERROR_RESPONSES},
    summary="Cost, expected reach, engagements, CPM and CPE of one deliverable",
)
def account_cost_estimate(request: HttpRequest, account_id: Id, format: str = "post") -> Any:
    member = member_of(request)
    account = get_object_or_404(SocialAccount, workspace_id=member.workspace_id, pk=account_id)
    if format not in costs.FORMATS:
        raise ValidationError(
            {"format": [f"Unknown format {format!r}; expected one of {', '.join(costs.FORMATS)}."]}
        )
    estimate = cost_table.account_estimate(
        account, cost_table.cost_table_get(workspace=member.workspace), format
    )
    return {
        "account_id": account.pk,
        "platform": account.platform,
        "tier": account.tier,
        "currency": member.workspace.currency,
        "format": estimate.format,
        "cost_low": estimate.cost.low,
        "cost_high": estimate.cost.high,
        "reach": estimate.reach,
        "engagements": estimate.engagements,
        "cpm_low": estimate.cpm_low,
        "cpm_high": estimate.cpm_high,
        "cpe_low": estimate.cpe_low,
        "cpe_high": estimate.cpe_high,
    }
