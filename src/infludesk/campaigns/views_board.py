"""The campaign page's actions: moving deals on the kanban board (drag and drop, or the
keyboard form on each card), adding creators from a shortlist, waves and goals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from infludesk.campaigns import pipeline, waves
from infludesk.campaigns.goals import CATALOGUE, default_kpis, goal_create
from infludesk.campaigns.models import Campaign, Deal, Stage, Wave
from infludesk.campaigns.selectors import campaign_deals_by_stage
from infludesk.campaigns.views_edit import CAMPAIGN_ROW_ACTIONS, campaign_row_action
from infludesk.core.permissions import member_required
from infludesk.creators.models import Shortlist


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


def board_context(campaign: Campaign, errors: list[str] | None = None) -> dict[str, Any]:
    board = campaign_deals_by_stage(workspace=campaign.workspace, campaign=campaign)
    return {
        "campaign": campaign,
        "board": board,
        "deal_count": sum(len(c.deals) for c in board),
        "stages": list(Stage),
        "board_errors": errors or [],
    }


@require_POST
@member_required(write=True)
def board_move(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Move a deal to another stage. HTMX gets the board back (with the reason when the
    pipeline refuses); a plain form post is redirected to the campaign page."""
    campaign = get_object_or_404(Campaign, pk=campaign_id, workspace=request.workspace)  # type: ignore[attr-defined]
    deal = get_object_or_404(Deal, pk=request.POST.get("deal") or 0, campaign=campaign)
    errors: list[str] = []
    try:
        pipeline.deal_move(deal=deal, to_stage=request.POST.get("stage", ""), by=request.member)  # type: ignore[attr-defined]
    except ValidationError as exc:
        errors = [f"{deal.creator.name}: {e}" for e in _errors(exc)]
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "campaigns/_board.html", board_context(campaign, errors))
    for error in errors:
        messages.error(request, error)
    return redirect("campaigns:detail", campaign_id=campaign.pk)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError(f"{value!r} is not a date (YYYY-MM-DD).") from None


def _decimal(value: str, default: str = "0") -> Decimal:
    try:
        return Decimal(value.strip() or default)
    except InvalidOperation:
        raise ValidationError(f"{value!r} is not a number.") from None


@require_POST
@member_required(write=True)
def campaign_action(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """add_shortlist | add_wave | next_wave | add_goal | default_goals, and changing or
    removing a goal or wave (views_edit.CAMPAIGN_ROW_ACTIONS)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id, workspace=request.workspace)  # type: ignore[attr-defined]
    member = request.member  # type: ignore[attr-defined]
    data = request.POST
    action = data.get("action", "")
    try:
        if action == "add_shortlist":
            shortlist = get_object_or_404(
                Shortlist, pk=data.get("shortlist") or 0, workspace=campaign.workspace
            )
            result = waves.deals_add(campaign=campaign, shortlist=shortlist, by=member)
            messages.success(request, f"{len(result.added)} creator(s) added as prospects.")
            for skipped in result.skipped:
                messages.info(request, skipped)
        elif action == "add_wave":
            wave = waves.wave_create(
                campaign=campaign,
                by=member,
                starts_on=_date(data.get("starts_on", "")),
                ends_on=_date(data.get("ends_on", "")),
                budget=_decimal(data.get("budget", "")),
            )
            messages.success(request, f"{wave} added.")
        elif action == "next_wave":
            wave = get_object_or_404(Wave, pk=data.get("wave") or 0, campaign=campaign)
            keep = [int(x) for x in data.getlist("keep") if x.isdigit()]
            new = waves.wave_next(
                wave=wave,
                keep_creator_ids=keep,
                by=member,
                starts_on=_date(data.get("starts_on", "")),
                ends_on=_date(data.get("ends_on", "")),
            )
            messages.success(request, f"{new} started with {len(keep)} creator(s) kept.")
        elif action == "add_goal":
            goal_create(
                campaign=campaign,
                metric=data.get("metric", ""),
                target=data.get("target"),
                baseline=data.get("baseline") or None,
                deadline=_date(data.get("deadline", "")),
                by=member,
            )
            messages.success(request, "Goal added.")
        elif action in CAMPAIGN_ROW_ACTIONS:  # change or remove a goal or a wave
            messages.success(
                request, campaign_row_action(campaign=campaign, member=member, data=data)
            )
        else:
            raise ValidationError(f"Unknown action {action!r}.")
    except ValidationError as exc:
        for error in _errors(exc):
            messages.error(request, error)
    return redirect("campaigns:detail", campaign_id=campaign.pk)


def campaign_extras(campaign: Campaign) -> dict[str, Any]:
    """What the campaign page shows besides the board: waves, shortlists, the KPI catalogue."""
    return {
        "waves": list(campaign.waves.order_by("number").prefetch_related("deals__creator")),
        "shortlists": list(Shortlist.objects.filter(workspace=campaign.workspace).order_by("name")),
        "catalogue": list(CATALOGUE.values()),
        "default_kpis": default_kpis(campaign.objective),
    }
