"""Changing and removing rows from the deal and campaign pages: a deal's deliverables,
shipments (status shipped / delivered / returned), payments (edit, unpay, delete) and
per-creator goals; a campaign's goals and waves. The same services as the API, so the same
rules; the pages call these from their POST handlers and show the message or the errors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from infludesk.campaigns import goals, logistics, waves
from infludesk.campaigns.models import Campaign, Deal, Deliverable, Goal, Payment, Shipment, Wave
from infludesk.core.models import Member

DEAL_ROW_ACTIONS = {
    "deliverable_update",
    "deliverable_delete",
    "shipment_update",
    "shipment_delete",
    "payment_update",
    "payment_delete",
    "unpay",
    "deal_goal_delete",
}
CAMPAIGN_ROW_ACTIONS = {"goal_update", "goal_delete", "wave_update", "wave_delete"}


def _date(value: str, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [f"{value!r} is not a date (YYYY-MM-DD)."]}) from None


def _number(value: str, name: str) -> Decimal:
    try:
        number = Decimal(value.strip() or "0")
    except InvalidOperation:
        raise ValidationError({name: [f"{value!r} is not a number."]}) from None
    if not number.is_finite():
        raise ValidationError({name: [f"{value!r} is not a number."]})
    return number


def _count(value: str) -> int:
    return int(value) if value.strip().isdigit() else 0


def _pk(data: QueryDict, name: str) -> int:
    value = data.get(name, "")
    return int(value) if value.isdigit() else 0


def deal_row_action(*, deal: Deal, member: Member, data: QueryDict) -> str:
    """Run one of DEAL_ROW_ACTIONS on a row of this deal; returns what to tell the user."""
    action = data.get("action", "")
    if action.startswith("deliverable_"):
        deliverable = get_object_or_404(Deliverable, pk=_pk(data, "deliverable"), deal=deal)
        if action == "deliverable_delete":
            logistics.deliverable_delete(deliverable=deliverable, by=member)
            return "Deliverable removed."
        logistics.deliverable_save(
            deal=deal,
            deliverable=deliverable,
            by=member,
            count=_count(data.get("count", "")),
            due_on=_date(data.get("due_on", ""), "due_on"),
            usage_rights=data.get("usage_rights", ""),
        )
        return "Deliverable saved."
    if action.startswith("shipment_"):
        shipment = get_object_or_404(Shipment, pk=_pk(data, "shipment"), deal=deal)
        if action == "shipment_delete":
            logistics.shipment_delete(shipment=shipment, by=member)
            return "Shipment removed."
        logistics.shipment_save(
            deal=deal,
            shipment=shipment,
            by=member,
            status=data.get("status", ""),
            carrier=data.get("carrier", ""),
            tracking_number=data.get("tracking_number", ""),
            shipped_on=_date(data.get("shipped_on", ""), "shipped_on"),
            delivered_on=_date(data.get("delivered_on", ""), "delivered_on"),
        )
        return "Shipment saved."
    if action in ("payment_update", "payment_delete", "unpay"):
        payment = get_object_or_404(Payment, pk=_pk(data, "payment"), deal=deal)
        if action == "payment_delete":
            logistics.payment_delete(payment=payment, by=member)
            return "Payment removed."
        if action == "unpay":
            logistics.payment_unpay(payment=payment, by=member)
            return "Payment marked unpaid."
        logistics.payment_save(
            deal=deal,
            payment=payment,
            by=member,
            amount=_number(data.get("amount", ""), "amount"),
            due_on=_date(data.get("due_on", ""), "due_on"),
            method=data.get("method", ""),
            invoice_ref=data.get("invoice_ref", ""),
        )
        return "Payment saved."
    if action == "deal_goal_delete":
        goal = get_object_or_404(Goal, pk=_pk(data, "goal"), deal=deal)
        goals.goal_delete(goal=goal, by=member)
        return "Goal removed."
    raise ValidationError(f"Unknown action {action!r}.")


def campaign_row_action(*, campaign: Campaign, member: Member, data: QueryDict) -> str:
    """Run one of CAMPAIGN_ROW_ACTIONS on a goal or wave of this campaign."""
    action = data.get("action", "")
    if action in ("goal_update", "goal_delete"):
        goal = get_object_or_404(Goal, pk=_pk(data, "goal"), campaign=campaign)
        if action == "goal_delete":
            goals.goal_delete(goal=goal, by=member)
            return "Goal removed."
        fields: dict[str, Any] = {
            "target": data.get("target", ""),
            "baseline": data.get("baseline") or None,
            "deadline": _date(data.get("deadline", ""), "deadline"),
        }
        goals.goal_update(goal=goal, by=member, **fields)
        return "Goal saved."
    if action in ("wave_update", "wave_delete"):
        wave = get_object_or_404(
            Wave.objects.select_related("campaign"), pk=_pk(data, "wave"), campaign=campaign
        )
        if action == "wave_delete":
            waves.wave_delete(wave=wave, by=member)
            return f"{wave} removed."
        waves.wave_update(
            wave=wave,
            by=member,
            name=data.get("name", ""),
            starts_on=_date(data.get("starts_on", ""), "starts_on"),
            ends_on=_date(data.get("ends_on", ""), "ends_on"),
            budget=_number(data.get("budget", ""), "budget"),
        )
        return f"{wave} saved."
    raise ValidationError(f"Unknown action {action!r}.")
