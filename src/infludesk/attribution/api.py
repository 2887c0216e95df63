"""REST endpoints for attribution, mounted by infludesk.api.api at /api/v1/.

- GET /campaigns/{id}/attribution?model=markov: the credits per creator under one model, with
  the bootstrap intervals of the credit shares and the unattributed share: the same numbers as
  the campaign's attribution page (attribution/selectors.py computes both).
- GET /attribution/journeys: the workspace's (or one campaign's) journeys in the grouped
  ``path,conversions,null,value`` format that `infludesk attribute` reads.

Another workspace's campaign is a 404, exactly like a missing one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from infludesk.api.auth import member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.attribution.engine import MODELS, format_journeys
from infludesk.attribution.journeys import build_journeys, channel_names
from infludesk.attribution.selectors import (
    MODEL_LABELS,
    CampaignAttribution,
    campaign_attribution,
    campaign_rows,
)
from infludesk.attribution.views import MAX_WINDOW_DAYS
from infludesk.campaigns.models import Campaign, Deal

router = Router(tags=["attribution"])

Model = Literal[MODELS]  # type: ignore[valid-type]
CodeRule = Literal["code_wins", "touchpoint"]  # journeys.CODE_RULES
WindowDays = Annotated[int, Field(ge=0, le=MAX_WINDOW_DAYS)]


class AttributionParams(Schema):
    model: Model = Field(description="an engine model; see docs/attribution.md")
    window_days: WindowDays = Field(30, description="clicks this many days before an order count")
    code_rule: CodeRule = Field(
        "code_wins",
        description="code_wins: a creator's code takes the order; touchpoint: it is one touch",
    )


class JourneyParams(Schema):
    campaign_id: Id | None = Field(
        None, description="only journeys touching this campaign's creators (others: one channel)"
    )
    window_days: WindowDays = 30
    code_rule: CodeRule = "code_wins"


class CreditOut(Schema):
    channel: str = Field(description="the creator's handle, or the channel of other creators")
    creator_id: int | None = Field(description="null for creators outside the campaign")
    conversions: float
    revenue: float = Field(description="net revenue in the workspace currency")
    share: float = Field(description="credit share of the conversions, 0..1")
    share_low: float = Field(description="bootstrap 95% interval of the share")
    share_high: float


class AttributionOut(Schema):
    campaign_id: int
    model: str
    model_label: str
    window_days: int
    code_rule: str
    currency: str = Field(description="the workspace currency of `revenue`")
    journeys: int = Field(description="converting and non-converting journeys")
    converting_journeys: int
    revenue: float
    creators: list[CreditOut]
    total_conversions: float = Field(description="the credits summed: the campaign's conversions")
    total_revenue: float
    unattributed_orders: int = Field(description="orders in the period with no touchpoint")
    unattributed_share: float = Field(description="unattributed / (converting + unattributed)")
    orders_without_rate: list[str] = Field(description="order ids counted with value 0")
    bootstrap_replicates: int


def _report_out(report: CampaignAttribution, currency: str) -> dict[str, Any]:
    model = report.models[0]
    creators = [
        {
            "channel": row.channel,
            "creator_id": row.creator_id,
            "conversions": row.cells[0].conversions,
            "revenue": row.cells[0].revenue,
            "share": row.cells[0].share,
            "share_low": row.cells[0].low,
            "share_high": row.cells[0].high,
        }
        for row in report.rows
    ]
    return {
        "campaign_id": report.campaign.pk,
        "model": model,
        "model_label": MODEL_LABELS[model],
        "window_days": report.window_days,
        "code_rule": report.code_rule,
        "currency": currency,
        "journeys": report.journeys,
        "converting_journeys": report.converting_journeys,
        "revenue": report.revenue,
        "creators": creators,
        "total_conversions": sum(c["conversions"] for c in creators),
        "total_revenue": sum(c["revenue"] for c in creators),
        "unattributed_orders": report.unattributed_orders,
        "unattributed_share": report.unattributed_share,
        "orders_without_rate": report.orders_without_rate,
        "bootstrap_replicates": report.n_boot,
    }


@router.get(
    "/campaigns/{campaign_id}/attribution",
    response={200: AttributionOut, **ERROR_RESPONSES},
)
def get_campaign_attribution(
    request: HttpRequest, campaign_id: Id, params: Query[AttributionParams]
) -> dict[str, Any]:
    """Credits per creator of the campaign under one model, with bootstrap 95% intervals of the
    credit shares and the unattributed share (the numbers of the campaign's attribution page).
    Touches of creators outside the campaign are one channel, "Other creators ..."."""
    member = member_of(request)
    campaign = get_object_or_404(Campaign, workspace_id=member.workspace_id, pk=campaign_id)
    report = campaign_attribution(
        workspace=member.workspace,
        campaign=campaign,
        window_days=params.window_days,
        code_rule=params.code_rule,
        models=(params.model,),
    )
    return _report_out(report, member.workspace.currency)


@router.get(
    "/attribution/journeys",
    response={200: None, **ERROR_RESPONSES},
    openapi_extra={
        "responses": {
            200: {
                "description": 'path,conversions,null,value (channels joined by " > ")',
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_journeys(request: HttpRequest, params: Query[JourneyParams]) -> HttpResponse:
    """The journeys as the grouped CSV `infludesk attribute` reads. With `campaign_id`, only the
    journeys touching that campaign's creators, other creators merged into one channel (the
    table the campaign page attributes)."""
    member = member_of(request)
    workspace = member.workspace
    campaign = None
    if params.campaign_id is not None:
        campaign = get_object_or_404(
            Campaign, workspace_id=member.workspace_id, pk=params.campaign_id
        )
    export = build_journeys(
        workspace=workspace, window_days=params.window_days, code_rule=params.code_rule
    )
    rows = export.rows
    if campaign is not None:
        names = channel_names(workspace=workspace)
        creator_ids = Deal.objects.filter(workspace=workspace, campaign=campaign).values_list(
            "creator_id", flat=True
        )
        rows = campaign_rows(export=export, channels={names[c] for c in creator_ids if c in names})
    response = HttpResponse(format_journeys(rows), content_type="text/csv; charset=utf-8")
    name = f"journeys-campaign-{campaign.pk}" if campaign else "journeys"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["X-Unattributed-Orders"] = str(len(export.unattributed_orders))
    return response
