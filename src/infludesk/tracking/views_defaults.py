"""A campaign's tracking defaults: the form the campaign page loads (campaigns may not import
tracking), the "create missing links and codes" action, and the same action for one deal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from infludesk.campaigns.models import Campaign, Deal
from infludesk.core.models import Workspace
from infludesk.core.permissions import member_required
from infludesk.tracking.defaults import (
    SKIPPED_STAGES,
    ApplyResult,
    campaign_tracking_fill,
    campaign_tracking_get,
    campaign_tracking_save,
    deal_tracking_apply,
)
from infludesk.tracking.models import (
    CampaignTracking,
    CodePattern,
    DiscountCode,
    DiscountKind,
    StoreConnection,
    TrackedLink,
)
from infludesk.tracking.selectors import pushable_stores
from infludesk.tracking.views_push import store_label

FIELDS = (
    "destination_url",
    "utm_medium",
    "utm_campaign",
    "discount_kind",
    "discount_value",
    "code_pattern",
    "code_prefix",
    "valid_from",
    "valid_until",
)


class CampaignTrackingForm(forms.Form):
    destination_url = forms.URLField(
        label="Landing URL",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="Every deal's tracked link goes here. Blank: no automatic links.",
    )
    utm_medium = forms.CharField(label="utm_medium", required=False, max_length=100)
    utm_campaign = forms.CharField(
        label="utm_campaign", required=False, max_length=100, help_text="Blank: the campaign slug."
    )
    discount_kind = forms.ChoiceField(label="Discount", choices=DiscountKind.choices)
    discount_value = forms.DecimalField(
        label="Value",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        help_text="Blank: no automatic codes.",
    )
    code_pattern = forms.ChoiceField(label="Code pattern", choices=CodePattern.choices)
    code_prefix = forms.CharField(label="Prefix of generated codes", required=False, max_length=16)
    valid_from = forms.DateField(
        label="Codes valid from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label="Codes valid until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    push_store = forms.ModelChoiceField(
        label="Push new codes to store",
        queryset=StoreConnection.objects.none(),
        required=False,
        empty_label="Don't push (export CSV or push by hand)",
        help_text=(
            "Codes made from these defaults are created in this Shopify or WooCommerce store "
            "in the background; failures show on the deal with a retry button."
        ),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["push_store"]
        field.queryset = pushable_stores(workspace=workspace)  # type: ignore[attr-defined]
        field.label_from_instance = store_label  # type: ignore[attr-defined]

    def add_service_errors(self, error: ValidationError) -> None:
        for name, problems in error.message_dict.items():
            self.add_error(name if name in self.fields else None, problems)


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return get_object_or_404(
        Campaign,
        pk=campaign_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )


def _initial(defaults: CampaignTracking | None) -> dict[str, Any]:
    if defaults is None:
        return {
            "utm_medium": "influencer",
            "discount_kind": DiscountKind.PERCENT,
            "code_pattern": CodePattern.READABLE,
        }
    return {name: getattr(defaults, name) for name in (*FIELDS, "push_store")}


def _coverage(campaign: Campaign) -> dict[str, int]:
    """Deals (not declined or cancelled) and how many of them lack a link or a code."""
    deals = Deal.objects.filter(campaign=campaign).exclude(stage__in=SKIPPED_STAGES)
    total = deals.count()
    with_link = TrackedLink.objects.filter(deal__in=deals).values("deal").distinct().count()
    with_code = (
        DiscountCode.objects.filter(deal__in=deals, batch="").values("deal").distinct().count()
    )
    return {"deals": total, "without_link": total - with_link, "without_code": total - with_code}


def _render(
    request: HttpRequest, campaign: Campaign, form: CampaignTrackingForm, status: int = 200
) -> HttpResponse:
    defaults = campaign_tracking_get(campaign=campaign)
    context = {
        "campaign": campaign,
        "defaults": defaults,
        "form": form,
        "coverage": _coverage(campaign),
    }
    template = (
        "tracking/_campaign_tracking.html"
        if request.htmx  # type: ignore[attr-defined]
        else "tracking/campaign_tracking.html"
    )
    return render(request, template, context, status=status)


def _report(request: HttpRequest, result: ApplyResult) -> None:
    if result.links or result.codes:
        messages.success(
            request,
            f"Created {len(result.links)} tracked link(s) and {len(result.codes)} "
            "discount code(s) for the deals that had none.",
        )
    else:
        messages.info(request, "Every deal already has what the defaults provide.")
    for problem in result.problems:
        messages.error(request, problem)


@require_http_methods(["GET", "POST"])
@member_required()
def campaign_tracking_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    if request.method == "GET":
        form = CampaignTrackingForm(
            initial=_initial(campaign_tracking_get(campaign=campaign)),
            workspace=campaign.workspace,
        )
        return _render(request, campaign, form)
    if not request.member.can_write:  # type: ignore[attr-defined]
        raise PermissionDenied("Your role in this workspace is read-only.")
    form = CampaignTrackingForm(request.POST, workspace=campaign.workspace)
    if form.is_valid():
        try:
            _defaults, result = campaign_tracking_save(
                campaign=campaign,
                by=request.member,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Tracking defaults saved.")
            _report(request, result)
            return redirect(reverse("campaigns:detail", args=[campaign.pk]) + "#tracking")
    request.htmx = False  # type: ignore[attr-defined]  # errors get the full page
    return _render(request, campaign, form, status=400)


@require_POST
@member_required(write=True)
def campaign_tracking_fill_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    if campaign_tracking_get(campaign=campaign) is None:
        messages.error(request, "Set the campaign's tracking defaults first.")
    else:
        _report(
            request,
            campaign_tracking_fill(campaign=campaign, by=request.member),  # type: ignore[attr-defined]
        )
    return redirect(reverse("campaigns:detail", args=[campaign.pk]) + "#tracking")


@require_POST
@member_required(write=True)
def deal_tracking_apply_view(request: HttpRequest, deal_id: int) -> HttpResponse:
    deal = get_object_or_404(
        Deal.objects.select_related("campaign", "creator", "account"),
        pk=deal_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    if campaign_tracking_get(campaign=deal.campaign) is None:
        messages.error(request, "Set the campaign's tracking defaults first.")
    else:
        _report(
            request,
            deal_tracking_apply(deal=deal, by=request.member, lock=True),  # type: ignore[attr-defined]
        )
    return redirect("deals:detail", deal_id=deal.pk)
