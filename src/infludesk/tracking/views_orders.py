"""Order and leak pages: every order with its match, and the code-leak report with evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Case, DecimalField, F, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from infludesk.campaigns.models import Campaign, Deal
from infludesk.core.listing import Column, Listing, choices_with_any
from infludesk.core.models import Workspace
from infludesk.core.permissions import member_required
from infludesk.creators.models import Creator
from infludesk.tracking.currency import Rate
from infludesk.tracking.models import Conversion, MatchedBy, Order, StorePlatform
from infludesk.tracking.selectors import exchange_rates, in_workspace_currency, leak_suspects
from infludesk.tracking.views_rates import currencies_without_rate


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _money_csv(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _iso(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


def _conversion(order: Order) -> Conversion | None:
    return getattr(order, "conversion", None)


def _matched(order: Order) -> str:
    """'code ANNA15' / 'click c1' / '' for an order credited to no one."""
    conversion = _conversion(order)
    if conversion is None:
        return ""
    if conversion.matched_by == MatchedBy.CODE and conversion.code is not None:
        return f"code {conversion.code.code}"
    if conversion.click is not None:
        return f"click {conversion.click.click_id}"
    return conversion.matched_by


def _creator(order: Order) -> str:
    conversion = _conversion(order)
    return conversion.creator.name if conversion else ""


def creator_choices(workspace: Workspace) -> QuerySet[Creator]:
    return Creator.objects.filter(workspace=workspace).order_by("name", "pk")


class OrderFilterForm(forms.Form):
    source = forms.ChoiceField(required=False, choices=choices_with_any(StorePlatform.choices))
    creator = forms.ModelChoiceField(
        queryset=Creator.objects.none(), required=False, empty_label="Any"
    )
    matched = forms.ChoiceField(
        required=False,
        choices=choices_with_any([("yes", "Matched to a creator"), ("no", "Unmatched")]),
    )
    placed_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    placed_until = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creator"].queryset = creator_choices(workspace)  # type: ignore[attr-defined]


def orders_filtered(*, workspace: Workspace, data: dict[str, Any]) -> QuerySet[Order]:
    """The workspace's orders with net annotated (0 when cancelled), filtered by `data`."""
    rows = (
        Order.objects.filter(workspace=workspace)
        .select_related("conversion__creator", "conversion__code", "conversion__click")
        .annotate(
            net_amount=Case(
                When(cancelled=True, then=Value(Decimal(0))),
                default=F("gross") - F("refunded"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        )
    )
    if data.get("source"):
        rows = rows.filter(source=data["source"])
    if data.get("creator"):
        rows = rows.filter(conversion__creator=data["creator"])
    if data.get("matched") == "yes":
        rows = rows.filter(conversion__isnull=False)
    elif data.get("matched") == "no":
        rows = rows.filter(conversion__isnull=True)
    if data.get("placed_from"):
        rows = rows.filter(placed_at__date__gte=data["placed_from"])
    if data.get("placed_until"):
        rows = rows.filter(placed_at__date__lte=data["placed_until"])
    return rows


def _money_column(key: str, label: str, value: Any, *, sort: str | None = None) -> Column:
    return Column(key, label, value, sort=sort, display=_money, csv_value=_money_csv, numeric=True)


NET_COLUMN = _money_column("net", "Net", "net_amount", sort="net_amount")

ORDER_COLUMNS = [
    Column("source", "Source", "source", sort="source"),
    Column("id", "Order", "external_id", sort="external_id"),
    Column("placed_at", "Date", "placed_at", sort="placed_at", display=_when, csv_value=_iso),
    Column("status", "Status", lambda o: "cancelled" if o.cancelled else o.status, sort="status"),
    Column("currency", "Currency", "currency"),
    _money_column("gross", "Gross", "gross", sort="gross"),
    _money_column("refunded", "Refunded", "refunded", sort="refunded"),
    NET_COLUMN,
    Column("matched", "Matched by", _matched),
    Column("creator", "Credited creator", _creator, sort="conversion__creator__name"),
]  # fmt: skip


NO_RATE = "no rate"


def _net_in_workspace_currency(workspace: Workspace, rates: list[Rate]) -> Column:
    """Net converted into the workspace currency with the rate table (loaded once per request);
    an order no rate covers says "no rate" and links to the rate page."""
    target = workspace.currency

    def value(order: Order) -> Decimal | None:
        return in_workspace_currency(order=order, amount=order.net, rates=rates, currency=target)

    def display(amount: Decimal | None) -> str:
        return NO_RATE if amount is None else _money(amount)

    def link(order: Order) -> str:
        if value(order) is not None:
            return ""
        return reverse("tracking:rates") + f"?currency={order.currency.upper()}"

    return Column(
        "net_workspace_currency",
        f"Net in {target}",
        value,
        display=display,
        csv_value=_money_csv,
        link=link,
        numeric=True,
    )


@require_GET
@member_required()
def order_list_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = OrderFilterForm(request.GET, workspace=workspace)
    form.is_valid()  # invalid fields show their error and are left out; the others still apply
    rates = exchange_rates(workspace=workspace)
    columns = list(ORDER_COLUMNS)
    columns.insert(columns.index(NET_COLUMN) + 1, _net_in_workspace_currency(workspace, rates))
    listing = Listing(
        request=request,
        queryset=orders_filtered(workspace=workspace, data=form.cleaned_data),
        form=form,
        columns=columns,
        default_sort="-placed_at",
        page_size=50,
        csv_filename="orders.csv",
    )
    extra = {"missing_rates": currencies_without_rate(workspace=workspace, rates=rates)}
    return listing.response(template="tracking/orders.html", extra=extra)


# --- leaks -----------------------------------------------------------------------------------


def evidence_text(evidence: list[dict[str, Any]]) -> str:
    """The leak evidence in words, one clause per rule that fired (see tracking/leaks.py)."""
    parts = []
    for item in evidence or []:
        rule = item.get("rule")
        if rule == "no_click":
            parts.append(
                f"no click on the creator's links in the {item.get('window_days')} days before"
            )
        elif rule == "coupon_site":
            parts.append(f"referred by coupon site {item.get('referrer_host')}")
        elif rule == "burst":
            parts.append(
                f"burst on {item.get('day')}: {item.get('code_orders')} code orders, "
                f"{item.get('clicks')} clicks (threshold {item.get('threshold')})"
            )
        else:
            parts.append(str(item))
    return "; ".join(parts)


class LeakFilterForm(forms.Form):
    creator = forms.ModelChoiceField(
        queryset=Creator.objects.none(), required=False, empty_label="Any"
    )
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(), required=False, empty_label="Any"
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creator"].queryset = creator_choices(workspace)  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = Campaign.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        ).order_by("name", "pk")


def _deal_label(conversion: Conversion) -> str:
    deal = conversion.deal
    return f"{deal.campaign.name} · {conversion.creator.name}" if deal else ""


def _deal_link(conversion: Conversion) -> str:
    return reverse("deals:detail", args=[conversion.deal_id]) if conversion.deal_id else ""


LEAK_COLUMNS = [
    Column(
        "placed_at", "Order date", "order.placed_at", sort="order__placed_at",
        display=_when, csv_value=_iso,
    ),
    Column(
        "order", "Order", lambda c: f"{c.order.source} {c.order.external_id}",
        sort="order__external_id",
    ),
    Column("creator", "Creator", "creator.name", sort="creator__name"),
    Column("deal", "Deal", _deal_label, link=_deal_link),
    Column("code", "Code", lambda c: c.code.code if c.code else ""),
    _money_column("net", "Net", lambda c: c.order.net),
    Column("currency", "Currency", "order.currency"),
    Column("evidence", "Evidence", lambda c: evidence_text(c.leak_evidence)),
]  # fmt: skip


@require_GET
@member_required()
def leak_list_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = LeakFilterForm(request.GET, workspace=workspace)
    form.is_valid()
    rows = leak_suspects(workspace=workspace).select_related("deal__campaign")
    if form.cleaned_data.get("creator"):
        rows = rows.filter(creator=form.cleaned_data["creator"])
    if form.cleaned_data.get("campaign"):
        rows = rows.filter(deal__campaign=form.cleaned_data["campaign"])
    listing = Listing(
        request=request,
        queryset=rows,
        form=form,
        columns=LEAK_COLUMNS,
        default_sort="-placed_at",
        page_size=50,
        csv_filename="leaks.csv",
    )
    return listing.response(template="tracking/leaks.html")


@require_GET
@member_required()
def deal_leaks_view(request: HttpRequest, deal_id: int) -> HttpResponse:
    """A small partial for the deal page: the deal's probable code leaks with their evidence."""
    workspace = request.workspace  # type: ignore[attr-defined]
    deal = get_object_or_404(Deal, workspace=workspace, pk=deal_id)
    leaks = [
        {"conversion": c, "evidence": evidence_text(c.leak_evidence)}
        for c in leak_suspects(workspace=workspace, deal_id=deal.pk)
    ]
    return render(request, "tracking/_deal_leaks.html", {"deal": deal, "leaks": leaks})
