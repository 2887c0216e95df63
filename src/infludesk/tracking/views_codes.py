"""Discount code pages: the list, one readable code, a batch of single-use codes, batch CSV."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from infludesk.campaigns.models import Deal
from infludesk.core.listing import Column, Listing, choices_with_any
from infludesk.core.models import Workspace
from infludesk.core.permissions import member_required
from infludesk.creators.models import Creator
from infludesk.tracking.codes import (
    MAX_BATCH,
    DiscountCodeError,
    discount_code_batch_create,
    discount_code_create,
    discount_codes_csv,
)
from infludesk.tracking.models import DiscountCode, DiscountKind
from infludesk.tracking.views_orders import creator_choices


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _value(code: DiscountCode) -> str:
    return f"{code.value:.2f}%" if code.kind == DiscountKind.PERCENT else f"{code.value:.2f}"


CODE_COLUMNS = [
    Column("code", "Code", "code", sort="code"),
    Column("creator", "Creator", "creator.name", sort="creator__name"),
    Column("deal", "Campaign", lambda c: c.deal.campaign.name if c.deal else ""),
    Column("kind", "Kind", "kind", sort="kind"),
    Column(
        "value", "Value", lambda c: c, sort="value", display=_value,
        csv_value=lambda c: f"{c.value:.2f}", numeric=True,
    ),
    Column("valid_from", "Valid from", "valid_from", sort="valid_from", display=_date),
    Column("valid_until", "Valid until", "valid_until", sort="valid_until", display=_date),
    Column("single_use", "Single use", lambda c: "yes" if c.single_use else "no"),
    Column("batch", "Batch", "batch", sort="batch"),
]  # fmt: skip


PUSH_COLUMN = Column(
    "push",
    "",
    lambda c: "Push to store",
    link=lambda c: reverse("tracking:code_push", args=[c.pk]),
    in_csv=False,
)


class CodeFilterForm(forms.Form):
    q = forms.CharField(label="Code", required=False, max_length=64)
    creator = forms.ModelChoiceField(
        queryset=Creator.objects.none(), required=False, empty_label="Any"
    )
    batch = forms.CharField(required=False, max_length=60)
    single_use = forms.ChoiceField(
        label="Single use", required=False, choices=choices_with_any([("yes", "Yes"), ("no", "No")])
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creator"].queryset = creator_choices(workspace)  # type: ignore[attr-defined]


def codes_filtered(*, workspace: Workspace, data: dict[str, Any]) -> QuerySet[DiscountCode]:
    rows = DiscountCode.objects.filter(workspace=workspace).select_related(
        "creator", "deal__campaign"
    )
    if data.get("q"):
        rows = rows.filter(code__icontains=data["q"].strip())
    if data.get("creator"):
        rows = rows.filter(creator=data["creator"])
    if data.get("batch"):
        rows = rows.filter(batch=data["batch"].strip())
    if data.get("single_use") in ("yes", "no"):
        rows = rows.filter(single_use=data["single_use"] == "yes")
    return rows


@require_GET
@member_required()
def code_list_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = CodeFilterForm(request.GET, workspace=workspace)
    form.is_valid()
    batches = list(
        DiscountCode.objects.filter(workspace=workspace)
        .exclude(batch="")
        .order_by("batch")
        .values_list("batch", flat=True)
        .distinct()
    )
    listing = Listing(
        request=request,
        queryset=codes_filtered(workspace=workspace, data=form.cleaned_data),
        form=form,
        columns=[*CODE_COLUMNS, PUSH_COLUMN] if request.member.can_write else CODE_COLUMNS,  # type: ignore[attr-defined]
        default_sort="code",
        page_size=50,
        csv_filename="discount-codes.csv",
    )
    return listing.response(template="tracking/codes.html", extra={"batches": batches})


class _CodeTermsForm(forms.Form):
    creator = forms.ModelChoiceField(queryset=Creator.objects.none())
    deal = forms.ModelChoiceField(
        queryset=Deal.objects.none(), required=False, empty_label="No deal"
    )
    kind = forms.ChoiceField(choices=DiscountKind.choices, initial=DiscountKind.PERCENT)
    value = forms.DecimalField(min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    valid_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creator"].queryset = creator_choices(workspace)  # type: ignore[attr-defined]
        self.fields["deal"].queryset = (  # type: ignore[attr-defined]
            Deal.objects.filter(workspace=workspace)
            .select_related("campaign", "creator")
            .order_by("campaign__name", "creator__name", "pk")
        )
        self.fields["deal"].label_from_instance = (  # type: ignore[attr-defined]
            lambda d: f"{d.campaign.name} · {d.creator.name}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        deal, creator = data.get("deal"), data.get("creator")
        if deal is not None and creator is not None and deal.creator_id != creator.pk:
            self.add_error("deal", "This deal belongs to another creator.")
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "Must not be before the start date.")
        if data.get("kind") == DiscountKind.PERCENT and (data.get("value") or 0) > 100:
            self.add_error("value", "A percent discount cannot exceed 100.")
        return data


class CodeForm(_CodeTermsForm):
    code = forms.CharField(
        required=False,
        max_length=64,
        help_text="Leave blank for the readable pattern: first name + value (ANNA15).",
    )
    single_use = forms.BooleanField(required=False)


class BatchForm(_CodeTermsForm):
    batch = forms.CharField(label="Batch name", max_length=60)
    count = forms.IntegerField(min_value=1, max_value=MAX_BATCH, initial=100)
    # not "prefix": Form.prefix is the HTML name prefix of every field
    code_prefix = forms.CharField(label="Prefix", required=False, max_length=16)
    length = forms.IntegerField(min_value=6, max_value=32, initial=8)


def _error_field(message: str, fields: tuple[str, ...]) -> str | None:
    """The form field a service error is about (its message names it), else None."""
    lowered = message.lower()
    if "already exists" in lowered:
        return "batch" if "batch" in lowered and "batch" in fields else "code"
    for name in fields:
        if lowered.startswith(name) or f" {name} " in f" {lowered} ":
            return name
    if lowered.startswith("prefix") and "code_prefix" in fields:
        return "code_prefix"
    return None


def _terms(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "creator": data["creator"],
        "deal": data.get("deal"),
        "kind": data["kind"],
        "value": data["value"],
        "valid_from": data.get("valid_from"),
        "valid_until": data.get("valid_until"),
    }


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def code_create_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = CodeForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            code = discount_code_create(
                workspace=workspace,
                code=data.get("code") or None,
                single_use=bool(data.get("single_use")),
                by=request.member,  # type: ignore[attr-defined]
                **_terms(data),
            )
        except DiscountCodeError as exc:
            form.add_error(_error_field(str(exc), tuple(form.fields)), str(exc))
        else:
            messages.success(request, f"Code {code.code} created.")
            return redirect("tracking:codes")
    status = 400 if request.method == "POST" else 200
    return render(request, "tracking/code_form.html", {"form": form, "batch": False}, status=status)


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def code_batch_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = BatchForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rows = discount_code_batch_create(
                workspace=workspace,
                count=data["count"],
                batch=data["batch"],
                prefix=data.get("code_prefix") or "",
                length=data["length"],
                by=request.member,  # type: ignore[attr-defined]
                **_terms(data),
            )
        except DiscountCodeError as exc:
            form.add_error(_error_field(str(exc), tuple(form.fields)), str(exc))
        else:
            messages.success(request, f"{len(rows)} single-use codes created in {data['batch']}.")
            return redirect(f"/tracking/codes/?batch={rows[0].batch}" if rows else "tracking:codes")
    status = 400 if request.method == "POST" else 200
    return render(request, "tracking/code_form.html", {"form": form, "batch": True}, status=status)


@require_GET
@member_required()
def code_batch_csv_view(request: HttpRequest) -> HttpResponse:
    """One batch as CSV for stores without a connector (columns in tracking/codes.py)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    batch = request.GET.get("batch", "").strip()
    if not batch or not DiscountCode.objects.filter(workspace=workspace, batch=batch).exists():
        raise Http404("No batch of that name in this workspace.")
    response = HttpResponse(
        discount_codes_csv(workspace=workspace, batch=batch), content_type="text/csv; charset=utf-8"
    )
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in batch)
    response["Content-Disposition"] = f'attachment; filename="codes-{safe}.csv"'
    return response
