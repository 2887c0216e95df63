"""The workspace's ER benchmarks over the REST API (mounted by infludesk.api.api): every member
reads them; owners and managers set one (with its source) or go back to the defaults."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import StrictIn
from infludesk.creators import er_benchmarks as service

router = Router(tags=["costs"])


class ErBenchmarkOut(Schema):
    platform: str
    tier: str
    basis: str
    rate: float | None
    default_rate: float | None
    source: str
    is_default: bool


class ErBenchmarksOut(Schema):
    default_source: str
    rows: list[ErBenchmarkOut]


class ErBenchmarkIn(StrictIn):
    rate: Annotated[Decimal, Field(gt=0, le=100, max_digits=7, decimal_places=3)]
    source: Annotated[str, Field(min_length=1, max_length=service.MAX_SOURCE)]


def _row(member: Any, platform: str, tier: str) -> dict[str, Any]:
    rows = service.er_benchmark_rows(workspace=member.workspace)
    return next(r.__dict__ for r in rows if (r.platform, r.tier) == (platform, tier))


@router.get("/er-benchmarks", response={200: ErBenchmarksOut, **ERROR_RESPONSES})
def er_benchmarks_read(request: HttpRequest) -> Any:
    """Typical ER per platform and tier in force for the workspace, each with its source;
    ``is_default`` is true where the deployment's figure applies."""
    member = member_of(request)
    return {
        "default_source": service.er_benchmarks_default().source,
        "rows": [r.__dict__ for r in service.er_benchmark_rows(workspace=member.workspace)],
    }


@router.put(
    "/er-benchmarks/{platform}/{tier}",
    response={200: ErBenchmarkOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Set the workspace's typical ER (percent) for one platform and tier, with its source",
)
def er_benchmark_put(request: HttpRequest, platform: str, tier: str, payload: ErBenchmarkIn) -> Any:
    member = member_of(request)
    service.er_benchmark_set(
        workspace=member.workspace,
        platform=platform,
        tier=tier,
        rate=payload.rate,
        source=payload.source,
        by=member,
    )
    return _row(member, platform, tier)


@router.delete(
    "/er-benchmarks/{platform}/{tier}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Go back to the default ER benchmark for one platform and tier",
)
def er_benchmark_delete(request: HttpRequest, platform: str, tier: str) -> Any:
    member = member_of(request)
    service.er_benchmark_reset(workspace=member.workspace, platform=platform, tier=tier, by=member)
    return Status(204, None)


@router.delete(
    "/er-benchmarks",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    summary="Go back to the default ER benchmarks for every platform and tier",
)
def er_benchmarks_delete(request: HttpRequest) -> Any:
    member = member_of(request)
    service.er_benchmarks_reset_all(workspace=member.workspace, by=member)
    return Status(204, None)
