"""A deal's tracked links and discount codes: the partial the deal page loads, and the forms
that create them (the deal page lives in campaigns, which may not import tracking)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from infludesk.campaigns.models import Deal
from infludesk.core.permissions import member_required
from infludesk.tracking.codes import discount_code_create
from infludesk.tracking.defaults import SKIPPED_STAGES, campaign_tracking_get
from infludesk.tracking.links import tracked_link_create
from infludesk.tracking.models import CodePush, DiscountCode, TrackedLink
from infludesk.tracking.selectors import pushable_stores
from infludesk.tracking.views_push import store_label


def _deal(request: HttpRequest, deal_id: int) -> Deal:
    return get_object_or_404(
        Deal.objects.select_related("creator", "campaign"),
        pk=deal_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )


@member_required()
def deal_tracking(request: HttpRequest, deal_id: int) -> HttpResponse:
    deal = _deal(request, deal_id)
    links = list(TrackedLink.objects.filter(deal=deal).order_by("pk"))
    pushes = Prefetch("pushes", queryset=CodePush.objects.select_related("store").order_by("pk"))
    codes = list(DiscountCode.objects.filter(deal=deal).prefetch_related(pushes).order_by("pk"))
    defaults = campaign_tracking_get(campaign=deal.campaign)
    member = request.member  # type: ignore[attr-defined]
    stores = list(pushable_stores(workspace=deal.workspace)) if codes and member.can_write else []
    # what the campaign's defaults would still add to this deal (the "create" button)
    can_fill = (
        defaults is not None
        and deal.stage not in SKIPPED_STAGES
        and (
            (defaults.makes_links and not links)
            or (defaults.makes_codes and not any(c.batch == "" for c in codes))
        )
    )
    return render(
        request,
        "tracking/_deal_tracking.html",
        {
            "deal": deal,
            "links": links,
            "codes": codes,
            "defaults": defaults,
            "can_fill": can_fill,
            "stores": [(s.pk, store_label(s)) for s in stores],
            "site_url": settings.SITE_URL,
        },
    )


@require_POST
@member_required(write=True)
def deal_link_create(request: HttpRequest, deal_id: int) -> HttpResponse:
    deal = _deal(request, deal_id)
    try:
        link = tracked_link_create(
            workspace=deal.workspace,
            creator=deal.creator,
            deal=deal,
            destination_url=request.POST.get("destination_url", "").strip(),
            by=request.member,  # type: ignore[attr-defined]
        )
        messages.success(request, f"Tracked link {settings.SITE_URL}/l/{link.slug} created.")
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, f"Link: {error}")
    return redirect("deals:detail", deal_id=deal.pk)


@require_POST
@member_required(write=True)
def deal_code_create(request: HttpRequest, deal_id: int) -> HttpResponse:
    deal = _deal(request, deal_id)
    try:
        try:
            value = Decimal(request.POST.get("value", "").strip() or "15")
        except InvalidOperation:
            raise ValidationError("The discount value is not a number.") from None
        code = discount_code_create(
            workspace=deal.workspace,
            creator=deal.creator,
            deal=deal,
            code=request.POST.get("code", "").strip() or None,
            kind=request.POST.get("kind", "percent"),
            value=value,
            by=request.member,  # type: ignore[attr-defined]
        )
        messages.success(request, f"Discount code {code.code} created.")
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, f"Code: {error}")
    return redirect("deals:detail", deal_id=deal.pk)
