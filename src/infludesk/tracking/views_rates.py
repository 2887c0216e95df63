"""Exchange-rate pages: the workspace's rate table (everyone reads it; owners and managers add,
change and delete rows through core/rates.py). No network: the user types the rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Min, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from infludesk.core.listing import Column, Listing
from infludesk.core.models import ExchangeRate, Workspace
from infludesk.core.permissions import member_required
from infludesk.core.rates import exchange_rate_create, exchange_rate_delete, exchange_rate_update
from infludesk.tracking.currency import MissingRate, Rate, rate_on
from infludesk.tracking.models import Order
from infludesk.tracking.selectors import exchange_rates


class RateFilterForm(forms.Form):
    currency = forms.CharField(required=False, max_length=3, label="Currency")


class RateForm(forms.Form):
    currency = forms.CharField(
        max_length=3, help_text="The order currency, a 3-letter ISO 4217 code such as EUR."
    )
    rate = forms.DecimalField(
        max_digits=18,
        decimal_places=8,
        help_text="How many units of the workspace currency 1 unit of this currency buys.",
    )
    valid_from = forms.DateField(
        label="Valid from",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Orders on or after this day use this rate until a newer row starts.",
    )

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()


def _rate_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


RATE_COLUMNS = [
    Column("currency", "Currency", "currency", sort="currency"),
    Column("rate", "Rate", "rate", sort="rate", display=_rate_text, numeric=True),
    Column(
        "valid_from", "Valid from", "valid_from", sort="valid_from",
        display=lambda v: v.isoformat(), csv_value=lambda v: v.isoformat(),
    ),
]  # fmt: skip

EDIT_COLUMN = Column(
    "edit",
    "",
    lambda r: "Edit",
    link=lambda r: reverse("tracking:rate_edit", args=[r.pk]),
    in_csv=False,
)


def currencies_without_rate(
    *, workspace: Workspace, rates: list[Rate] | None = None
) -> list[dict[str, Any]]:
    """Order currencies with at least one order that no rate covers (its day is before the
    currency's first valid_from, or the currency has no row): [{currency, since}] where
    `since` is the day of the earliest such order. One query, two without `rates`."""
    target = workspace.currency.upper()
    if rates is None:
        rates = exchange_rates(workspace=workspace)
    firsts = (
        Order.objects.filter(workspace=workspace)
        .exclude(currency__iexact=target)
        .values("currency")
        .annotate(first=Min("placed_at"))
        .order_by("currency")
    )
    missing = []
    for row in firsts:
        day: dt.date = row["first"].date()
        try:
            rate_on(rates=rates, currency=row["currency"], day=day)
        except MissingRate:
            missing.append({"currency": row["currency"].upper(), "since": day})
    return missing


def _rates(workspace: Workspace, data: dict[str, Any]) -> QuerySet[ExchangeRate]:
    rows = ExchangeRate.objects.filter(workspace=workspace)
    if data.get("currency"):
        rows = rows.filter(currency__iexact=data["currency"].strip())
    return rows


@require_GET
@member_required()
def rate_list_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    member = request.member  # type: ignore[attr-defined]
    form = RateFilterForm(request.GET)
    form.is_valid()
    columns = [*RATE_COLUMNS, EDIT_COLUMN] if member.can_write else RATE_COLUMNS
    listing = Listing(
        request=request,
        queryset=_rates(workspace, form.cleaned_data),
        form=form,
        columns=columns,
        default_sort="currency",
        page_size=50,
        csv_filename="exchange-rates.csv",
    )
    extra = {"missing": currencies_without_rate(workspace=workspace)}
    return listing.response(template="tracking/rates.html", extra=extra)


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def rate_create_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    initial = {"currency": request.GET.get("currency", "")[:3].upper()}
    form = RateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exchange_rate_create(
                workspace=workspace,
                by=request.member,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("tracking:rates")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "workspace": workspace, "row": None}
    return render(request, "tracking/rate_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def rate_edit_view(request: HttpRequest, rate_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    row = get_object_or_404(ExchangeRate, workspace=workspace, pk=rate_id)
    initial = {"currency": row.currency, "rate": row.rate, "valid_from": row.valid_from}
    form = RateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exchange_rate_update(
                row=row,
                by=request.member,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("tracking:rates")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "workspace": workspace, "row": row}
    return render(request, "tracking/rate_form.html", context, status=status)


@require_POST
@member_required(write=True)
def rate_delete_view(request: HttpRequest, rate_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    row = get_object_or_404(ExchangeRate, workspace=workspace, pk=rate_id)
    exchange_rate_delete(row=row, by=request.member)  # type: ignore[attr-defined]
    return redirect("tracking:rates")
