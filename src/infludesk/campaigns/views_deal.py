"""A deal's page: its stage (with the pipeline's rules), terms, shipments, payments, live posts
and links to its email thread, content review and contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from infludesk.campaigns import logistics, pipeline, posts
from infludesk.campaigns.budget import budget_summary
from infludesk.campaigns.goals import CATALOGUE, goal_create
from infludesk.campaigns.models import (
    Deal,
    DealPost,
    DeliverableFormat,
    Payment,
    PaymentStatus,
    PostMetricSnapshot,
    Shipment,
    ShipmentStatus,
    Stage,
)
from infludesk.campaigns.services import deal_update
from infludesk.campaigns.views_edit import DEAL_ROW_ACTIONS, deal_row_action
from infludesk.core.permissions import member_required
from infludesk.creators.models import Platform


def _date(value: str, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [f"{value!r} is not a date (YYYY-MM-DD)."]}) from None


def _money(value: str, name: str) -> Decimal:
    try:
        return Decimal(value.strip() or "0")
    except InvalidOperation:
        raise ValidationError({name: [f"{value!r} is not an amount."]}) from None


def _act(request: HttpRequest, deal: Deal) -> str:
    """Run the posted action; returns what to tell the user."""
    member = request.member  # type: ignore[attr-defined]
    data = request.POST
    action = data.get("action", "")
    if action == "move":
        pipeline.deal_move(deal=deal, to_stage=data.get("stage", ""), by=member)
        return f"Moved to {Stage(data['stage']).label}."
    if action == "shipment":
        logistics.shipment_save(
            deal=deal,
            by=member,
            product=data.get("product", ""),
            variant=data.get("variant", ""),
            value=_money(data.get("value", ""), "value"),
            address=data.get("address", ""),
            carrier=data.get("carrier", ""),
            tracking_number=data.get("tracking_number", ""),
            status=data.get("status", ShipmentStatus.PENDING),
            shipped_on=_date(data.get("shipped_on", ""), "shipped_on"),
            delivered_on=_date(data.get("delivered_on", ""), "delivered_on"),
        )
        return "Shipment saved."
    if action == "deliverable":
        count = data.get("count", "1")
        logistics.deliverable_save(
            deal=deal,
            by=member,
            platform=data.get("platform", ""),
            format=data.get("format", ""),
            count=int(count) if count.isdigit() else 0,
            due_on=_date(data.get("due_on", ""), "due_on"),
            usage_rights=data.get("usage_rights", ""),
        )
        return "Deliverable added."
    if action == "goal":
        goal_create(
            campaign=deal.campaign,
            deal=deal,
            metric=data.get("metric", ""),
            target=data.get("target"),
            deadline=_date(data.get("deadline", ""), "deadline"),
            by=member,
        )
        return "Goal added for this creator."
    if action == "notes":
        deal_update(deal=deal, by=member, notes=data.get("notes", ""))
        return "Notes saved."
    if action == "payment":
        logistics.payment_save(
            deal=deal,
            by=member,
            amount=_money(data.get("amount", ""), "amount"),
            due_on=_date(data.get("due_on", ""), "due_on"),
            method=data.get("method", ""),
            invoice_ref=data.get("invoice_ref", ""),
        )
        return "Payment added."
    if action == "paid":
        payment = get_object_or_404(Payment, pk=data.get("payment") or 0, deal=deal)
        logistics.payment_save(
            deal=deal,
            by=member,
            payment=payment,
            status=PaymentStatus.PAID,
            paid_on=timezone.localdate(),
        )
        return "Payment marked paid."
    if action == "post":
        linked = posts.live_post_link(
            deal=deal, by=member, url=data.get("url", ""), caption=data.get("caption", "")
        )
        verdict = (
            "passes" if linked.disclosure["compliant"] else (f"fails: {linked.disclosure['text']}")
        )
        return f"Post linked. Disclosure check {verdict}."
    if action == "metrics":
        link = get_object_or_404(DealPost, pk=data.get("deal_post") or 0, deal=deal)
        _record_metrics(link, data, member)
        return f"Metrics recorded for {link.post.platform_post_id}."
    if action in DEAL_ROW_ACTIONS:  # change or remove a deliverable, shipment, payment, goal
        return deal_row_action(deal=deal, member=member, data=data)
    raise ValidationError(f"Unknown action {action!r}.")


def _record_metrics(link: DealPost, data: Any, member: Any) -> None:
    """The "Record metrics" form: every bad field is named at once; nothing stored then."""
    bad: dict[str, list[str]] = {}
    taken_at: dt.datetime | None = None
    try:
        taken_at = posts._parse_when(data.get("taken_at", "").strip())
    except ValidationError as exc:
        bad.update(exc.message_dict)
    counts: dict[str, Any] = {}
    for name in posts.METRICS:
        value = data.get(name, "").strip()
        if value:
            try:
                counts[name] = posts._parse_count(value, name)
            except ValidationError as exc:
                bad.update(exc.message_dict)
    if not counts and not bad:
        bad["likes"] = ["Give at least one count."]
    if bad or taken_at is None:
        raise ValidationError(bad)
    posts.post_metrics_record(post=link.post, taken_at=taken_at, by=member, **counts)


MAX_CSV_BYTES = 2 * 1024 * 1024


def _import_metrics(request: HttpRequest, deal: Deal) -> posts.ImportResult:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": ["Choose a CSV file."]})
    if upload.size and upload.size > MAX_CSV_BYTES:
        raise ValidationError({"file": ["The file is larger than 2 MB."]})
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": ["The file is not UTF-8 text."]}) from None
    return posts.post_metrics_import_csv(
        workspace=deal.workspace,
        text=text,
        by=request.member,  # type: ignore[attr-defined]
        deal=deal,
    )


@member_required()
def deal_page(request: HttpRequest, deal_id: int) -> HttpResponse:
    deal = get_object_or_404(
        Deal.objects.select_related("campaign", "creator", "account", "wave"),
        pk=deal_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    errors: list[str] = []
    field_errors: dict[str, list[str]] = {}
    import_result: posts.ImportResult | None = None
    status = 200
    if request.method == "POST":
        if not request.member.can_write:  # type: ignore[attr-defined]
            return HttpResponse("Your role in this workspace is read-only.", status=403)
        try:
            if request.POST.get("action") == "metrics_csv":
                import_result = _import_metrics(request, deal)
                landed = import_result.created + import_result.updated
                status = 400 if import_result.errors and not landed else 200
            else:
                messages.success(request, _act(request, deal))
                return redirect("deals:detail", deal_id=deal.pk)
        except ValidationError as exc:
            field_errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            errors = (
                [
                    f"{k}: {m}" if k != "__all__" else m
                    for k, ms in exc.message_dict.items()
                    for m in ms
                ]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
    context: dict[str, Any] = {
        "deal": deal,
        "stages": [s for s in Stage if s != deal.stage],
        "shipments": Shipment.objects.filter(deal=deal).order_by("pk"),
        "payments": Payment.objects.filter(deal=deal).order_by("due_on", "pk"),
        "live_posts": DealPost.objects.filter(deal=deal)
        .select_related("post")
        .prefetch_related(
            Prefetch(
                "post__metric_snapshots",
                queryset=PostMetricSnapshot.objects.order_by("taken_at", "pk"),
                to_attr="snapshots",
            )
        )
        .order_by("pk"),
        "metrics": posts.METRICS,
        "import_result": import_result,
        "import_errors": field_errors.get("file", []),
        "deliverables": deal.deliverables.order_by("due_on", "pk"),
        "budget": budget_summary(campaign=deal.campaign, wave=deal.wave),
        "shipment_statuses": ShipmentStatus.choices,
        "platforms": Platform.choices,
        "formats": DeliverableFormat.choices,
        "catalogue": list(CATALOGUE.values()),
        "deal_goals": deal.goals.order_by("deadline", "pk"),
        "errors": errors,
    }
    context.update(_metric_forms(request, field_errors if errors else {}))
    return render(request, "campaigns/deal.html", context, status=400 if errors else status)


def _metric_forms(request: HttpRequest, field_errors: dict[str, list[str]]) -> dict[str, Any]:
    """The "Record metrics" fields: blank ones (taken_at now, UTC) for every live post, and the
    refused form's own values and errors, shown on its fields."""
    names = ("taken_at", *posts.METRICS)
    now = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M")
    blank = [{"name": n, "value": now if n == "taken_at" else "", "errors": []} for n in names]
    failed = request.method == "POST" and request.POST.get("action") == "metrics" and field_errors
    refused = [
        {"name": n, "value": request.POST.get(n, ""), "errors": field_errors.get(n, [])}
        for n in names
    ]
    deal_post = request.POST.get("deal_post", "")
    return {
        "blank_metric_fields": blank,
        "refused_metric_fields": refused if failed else [],
        "refused_deal_post": int(deal_post) if failed and deal_post.isdigit() else None,
    }
