"""A campaign's attribution: its journeys as an engine table, every model side by side.

Journeys come from `journeys.build_journeys` (the workspace's orders, clicks and codes, a fixed
handful of queries). A campaign keeps the journeys that touch at least one of its creators
(creators with a deal in the campaign); a touch of any other creator stays on the path under
one channel, OTHER, so the campaign's creators are not credited for it.

Per model and creator: credit (conversions) and value (net revenue in the workspace currency)
from `engine.attribute`, and the percentile bootstrap interval of the creator's credit share
(share = creator credit / total credit) from `engine.bootstrap_shares`, resampling journeys.

Unattributed share = U / (C + U), where C = the conversions of the campaign's journeys and U =
the orders placed during the campaign (starts_on .. ends_on + window, open ends when a date is
missing) that had no touchpoint at all, so no model can credit anyone for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from infludesk.attribution.engine import PathTable, attribute, bootstrap_shares
from infludesk.attribution.engine import table_from_rows as engine_table
from infludesk.attribution.journeys import (
    CODE_WINS,
    JourneyExport,
    build_journeys,
    channel_names,
)
from infludesk.campaigns.models import Campaign, Deal
from infludesk.core.models import Workspace
from infludesk.tracking.models import Order

OTHER = "Other creators (outside this campaign)"
N_BOOT = 200
BOOT_SEED = 0
MODEL_LABELS: dict[str, str] = {
    "last_touch": "Last touch",
    "first_touch": "First touch",
    "linear": "Linear",
    "time_decay": "Time decay",
    "position_based": "Position based",
    "markov": "Markov",
    "shapley": "Shapley",
}
MODEL_ORDER = (
    "last_touch",
    "first_touch",
    "linear",
    "time_decay",
    "position_based",
    "markov",
    "shapley",
)


@dataclass(frozen=True)
class Cell:
    """One creator under one model."""

    conversions: float
    revenue: float
    share: float
    low: float
    high: float

    @property
    def share_pct(self) -> float:
        return self.share * 100

    @property
    def low_pct(self) -> float:
        return self.low * 100

    @property
    def high_pct(self) -> float:
        return self.high * 100


@dataclass
class CreatorRow:
    channel: str
    creator_id: int | None  # None for OTHER
    cells: list[Cell] = field(default_factory=list)


@dataclass
class CampaignAttribution:
    campaign: Campaign
    window_days: int
    code_rule: str
    models: tuple[str, ...]
    rows: list[CreatorRow]
    journeys: int  # converting + non-converting journeys on the campaign's paths
    converting_journeys: int
    revenue: float
    n_boot: int
    unattributed_orders: int
    orders_without_rate: list[str]
    table: PathTable | None

    @property
    def unattributed_share(self) -> float:
        denominator = self.converting_journeys + self.unattributed_orders
        return self.unattributed_orders / denominator if denominator else 0.0

    @property
    def unattributed_pct(self) -> float:
        return self.unattributed_share * 100

    @property
    def model_labels(self) -> list[str]:
        return [MODEL_LABELS[m] for m in self.models]

    def totals(self) -> list[tuple[float, float]]:
        """(conversions, revenue) credited per model; equal to the campaign's totals."""
        return [
            (
                sum(r.cells[i].conversions for r in self.rows),
                sum(r.cells[i].revenue for r in self.rows),
            )
            for i in range(len(self.models))
        ]


def campaign_rows(
    *, export: JourneyExport, channels: set[str]
) -> list[tuple[tuple[str, ...], int, int, Decimal]]:
    """The grouped journeys touching one of `channels`; other channels become OTHER."""
    rows = []
    for path, conv, null, value in export.rows:
        if not any(name in channels for name in path):
            continue
        rows.append((tuple(n if n in channels else OTHER for n in path), conv, null, value))
    return rows


def _unattributed_in_period(
    *, workspace: Workspace, campaign: Campaign, export: JourneyExport, window_days: int
) -> int:
    if not export.unattributed_orders:
        return 0
    orders = Order.objects.filter(workspace=workspace)
    if campaign.starts_on:
        orders = orders.filter(placed_at__date__gte=campaign.starts_on)
    if campaign.ends_on:
        end = campaign.ends_on + dt.timedelta(days=window_days)
        orders = orders.filter(placed_at__date__lte=end)
    wanted = set(export.unattributed_orders)
    return sum(1 for eid in orders.values_list("external_id", flat=True) if eid in wanted)


def campaign_attribution(
    *,
    workspace: Workspace,
    campaign: Campaign,
    window_days: int = 30,
    code_rule: str = CODE_WINS,
    n_boot: int = N_BOOT,
    models: tuple[str, ...] = MODEL_ORDER,
) -> CampaignAttribution:
    """Every model (or the `models` asked for, e.g. one for the API) on the campaign's journeys
    (see the module doc for the definitions); each model's numbers do not depend on the others."""
    export = build_journeys(workspace=workspace, window_days=window_days, code_rule=code_rule)
    names = channel_names(workspace=workspace)
    creator_ids = sorted(
        set(
            Deal.objects.filter(workspace=workspace, campaign=campaign).values_list(
                "creator_id", flat=True
            )
        )
    )
    by_channel = {names[c]: c for c in creator_ids if c in names}
    rows = campaign_rows(export=export, channels=set(by_channel))
    unattributed = _unattributed_in_period(
        workspace=workspace, campaign=campaign, export=export, window_days=window_days
    )
    report = CampaignAttribution(
        campaign=campaign,
        window_days=window_days,
        code_rule=code_rule,
        models=models,
        rows=[],
        journeys=sum(r[1] + r[2] for r in rows),
        converting_journeys=sum(r[1] for r in rows),
        revenue=float(sum((r[3] for r in rows), Decimal(0))),
        n_boot=n_boot,
        unattributed_orders=unattributed,
        orders_without_rate=list(export.orders_without_rate),
        table=None,
    )
    if not rows:
        return report
    table = engine_table((path, conv, null, float(value)) for path, conv, null, value in rows)
    report.table = table
    ordered = sorted(by_channel, key=str.casefold)
    if OTHER in table.channels:
        ordered.append(OTHER)
    report.rows = [CreatorRow(channel=c, creator_id=by_channel.get(c)) for c in ordered]
    index = {name: i for i, name in enumerate(table.channels)}
    for model in models:
        result = attribute(table, model)
        ci = bootstrap_shares(table, model, n_boot=n_boot, seed=BOOT_SEED)
        for row in report.rows:
            i = index.get(row.channel)
            if i is None:  # a campaign creator on no journey: nothing to credit
                row.cells.append(Cell(0.0, 0.0, 0.0, 0.0, 0.0))
                continue
            row.cells.append(
                Cell(
                    conversions=float(result.credit[i]),
                    revenue=float(result.value[i]),
                    share=float(ci.share[i]),
                    low=float(ci.low[i]),
                    high=float(ci.high[i]),
                )
            )
    return report


def chart_figure(report: CampaignAttribution) -> dict[str, object]:
    """A Plotly grouped bar chart: conversions credited per creator, one bar per model."""
    creators = [r.channel for r in report.rows]
    data = [
        {
            "type": "bar",
            "name": MODEL_LABELS[model],
            "x": creators,
            "y": [round(r.cells[i].conversions, 4) for r in report.rows],
        }
        for i, model in enumerate(report.models)
    ]
    layout = {
        "barmode": "group",
        "height": 360,
        "margin": {"t": 20, "r": 10, "b": 60, "l": 50},
        "yaxis": {"title": {"text": "Conversions credited"}, "rangemode": "tozero"},
        "legend": {"orientation": "h"},
    }
    return {"data": data, "layout": layout}
