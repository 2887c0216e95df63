"""A campaign's deals as a table (the other view next to the kanban board): filter by stage,
wave and creator name, sort by creator, pipeline stage, cash fee or next due date, CSV export.

Built on the house list pattern (core/listing.py); the rows come from one query whatever
their number (creator and wave joined, deliverable figures as subqueries).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import (
    Case,
    IntegerField,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from infludesk.campaigns.models import PIPELINE, Campaign, Deal, Deliverable, Stage, Wave
from infludesk.campaigns.selectors import ENDED_STAGES, campaign_get
from infludesk.core.listing import Column, Listing, choices_with_any
from infludesk.core.models import Workspace
from infludesk.core.permissions import member_required

NO_WAVE = "none"
# Where each stage sits in the pipeline; declined and cancelled come after paid.
STAGE_ORDER = [*PIPELINE, *ENDED_STAGES]


class DealTableFilterForm(forms.Form):
    """The deal table's filters; all optional, read from the query string."""

    q = forms.CharField(
        label="Creator",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Creator name"}),
    )
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=choices_with_any([(s.value, s.label) for s in STAGE_ORDER]),
    )
    wave = forms.ChoiceField(label="Wave", required=False)

    def __init__(self, *args: Any, waves: list[Wave], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wave_field = self.fields["wave"]
        assert isinstance(wave_field, forms.ChoiceField)
        wave_field.choices = choices_with_any(
            [*((str(w.pk), str(w)) for w in waves), (NO_WAVE, "No wave")]
        )


@dataclass(frozen=True)
class DealTableFilters:
    """Empty values mean 'any'. q matches part of the creator's name; wave is a wave id of
    the campaign or NO_WAVE for deals outside any wave."""

    q: str = ""
    stage: str = ""
    wave: str = ""

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> DealTableFilters:
        return cls(
            q=(data.get("q") or "").strip(),
            stage=data.get("stage") or "",
            wave=data.get("wave") or "",
        )


def campaign_deal_table(
    *, workspace: Workspace, campaign: Campaign, filters: DealTableFilters
) -> QuerySet[Deal]:
    """The campaign's deals matching the filters, with creator and wave joined and:

    - ``stage_order``: the stage's place in the pipeline (prospect 0 ... paid 8, declined 9,
      cancelled 10), so sorting by stage follows the pipeline rather than the alphabet;
    - ``pieces``: the pieces of content agreed, the sum of the deliverables' counts (0 without
      deliverables);
    - ``next_due``: the earliest due date among the deliverables not yet live (None when none
      is left with a date).
    """
    deliverables = Deliverable.objects.filter(workspace=workspace, deal=OuterRef("pk"))
    pieces = deliverables.values("deal").annotate(n=Sum("count")).values("n")
    next_due = (
        deliverables.exclude(status="live").values("deal").annotate(d=Min("due_on")).values("d")
    )
    deals = Deal.objects.filter(workspace=workspace, campaign=campaign)
    if filters.stage:
        deals = deals.filter(stage=filters.stage)
    if filters.wave == NO_WAVE:
        deals = deals.filter(wave__isnull=True)
    elif filters.wave:
        deals = deals.filter(wave_id=int(filters.wave))
    if filters.q:
        deals = deals.filter(creator__name__icontains=filters.q)
    return deals.select_related("creator", "wave").annotate(
        stage_order=Case(
            *(When(stage=s.value, then=Value(i)) for i, s in enumerate(STAGE_ORDER)),
            output_field=IntegerField(),
        ),
        pieces=Coalesce(Subquery(pieces), 0),
        next_due=Subquery(next_due),
    )


STAGE_LABELS = dict(Stage.choices)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _pct(value: Decimal) -> str:
    return f"{value}%"


def _deal_link(deal: Deal) -> str:
    return reverse("deals:detail", args=[deal.pk])


def _text(value: Any) -> str:
    return "" if value is None else str(value)


DEAL_COLUMNS = [
    Column("creator", "Creator", "creator.name", sort="creator__name", link=_deal_link),
    Column(
        "stage", "Stage", "stage", sort="stage_order",
        display=lambda v: str(STAGE_LABELS.get(v, v)),
    ),
    Column("wave", "Wave", "wave", display=_text, csv_value=_text),
    Column(
        "fee_cash", "Cash fee", "fee_cash", sort="fee_cash", display=_money,
        csv_value=lambda v: f"{v:.2f}", numeric=True,
    ),
    Column(
        "product_value", "Product value", "product_value", display=_money,
        csv_value=lambda v: f"{v:.2f}", numeric=True,
    ),
    Column("commission_pct", "Commission", "commission_pct", display=_pct, numeric=True),
    Column("currency", "Currency", "currency"),
    Column("deliverables", "Deliverables", "pieces", numeric=True),
    Column("next_due", "Next due", "next_due", sort="next_due", display=_date, csv_value=_date),
    Column(
        "last_change", "Last change", "updated_at", display=_when,
        csv_value=lambda v: v.isoformat() if v else "",
    ),
]  # fmt: skip


@member_required()
def campaign_deals_table(request: HttpRequest, campaign_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    campaign = campaign_get(workspace=workspace, campaign_id=campaign_id)
    waves = list(Wave.objects.filter(workspace=workspace, campaign=campaign).order_by("number"))
    form = DealTableFilterForm(request.GET, waves=waves)
    form.is_valid()  # invalid fields show their error and are left out; the others still apply
    filters = DealTableFilters.from_cleaned(form.cleaned_data)
    listing = Listing(
        request=request,
        queryset=campaign_deal_table(workspace=workspace, campaign=campaign, filters=filters),
        form=form,
        columns=DEAL_COLUMNS,
        default_sort="stage",
        page_size=25,
        csv_filename=f"{campaign.slug or 'campaign'}-deals.csv",
    )
    return listing.response(template="campaigns/deals_table.html", extra={"campaign": campaign})
