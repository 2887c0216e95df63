"""SMART goals: the KPI catalogue, the default KPI set for each objective, and goal writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from infludesk.campaigns.models import Campaign, Deal, Goal, Objective
from infludesk.core.audit import audit_record, audit_update, changed_fields, snapshot_fields
from infludesk.core.models import Member


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: str  # count | pct | money | ratio | score
    higher_is_better: bool = True


CATALOGUE: dict[str, Kpi] = {
    k.key: k
    for k in [
        Kpi("reach", "Reach", "count"),
        Kpi("impressions", "Impressions", "count"),
        Kpi("engagement_rate", "Engagement rate", "pct"),
        Kpi("comments", "Comments", "count"),
        Kpi("shares", "Shares", "count"),
        Kpi("clicks", "Clicks", "count"),
        Kpi("conversions", "Conversions", "count"),
        Kpi("revenue", "Revenue", "money"),
        Kpi("roi", "ROI", "pct"),
        Kpi("roas", "ROAS", "ratio"),
        Kpi("cpa", "Cost per acquisition", "money", higher_is_better=False),
        Kpi("cpe", "Cost per engagement", "money", higher_is_better=False),
        Kpi("follower_growth", "Follower growth", "count"),
        Kpi("ugc_pieces", "UGC pieces", "count"),
        Kpi("sentiment", "Sentiment (-1 to 1)", "score"),
        Kpi("survey_answers", "Survey answers", "count"),
    ]
}

DEFAULT_KPIS: dict[str, list[str]] = {
    Objective.AWARENESS: ["reach", "impressions", "follower_growth"],
    Objective.ENGAGEMENT: ["engagement_rate", "comments", "shares", "ugc_pieces"],
    Objective.CONVERSIONS: ["clicks", "conversions", "cpa", "roi"],
    Objective.INSIGHT: ["sentiment", "survey_answers"],
}


def default_kpis(objective: str) -> list[Kpi]:
    """The KPI set an objective proposes; the user may edit it."""
    return [CATALOGUE[key] for key in DEFAULT_KPIS.get(objective, [])]


def goal_errors(
    *, metric: str, target: Any, deadline: Any, baseline: Any, campaign: Campaign
) -> dict[str, list[str]]:
    """Field errors of a goal; {} when it is specific, measurable and time-bound."""
    errors: dict[str, list[str]] = {}
    if metric not in CATALOGUE:
        errors["metric"] = [
            f"{metric!r} is not a measurable KPI; use one of {', '.join(CATALOGUE)}."
            if metric
            else "Choose the metric this goal measures."
        ]
    for name, value, required in (("target", target, True), ("baseline", baseline, False)):
        if value in (None, ""):
            if required:
                errors[name] = ["Give a target number, e.g. 250 conversions."]
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            errors[name] = [f"{value!r} is not a number."]
            continue
        if not number.is_finite():
            errors[name] = [f"{value!r} is not a number."]
        elif metric in CATALOGUE and CATALOGUE[metric].unit != "score" and number < 0:
            errors[name] = ["Must not be negative."]
    if not isinstance(deadline, dt.date):
        errors["deadline"] = ["Give a deadline date."]
    elif campaign.starts_on and deadline < campaign.starts_on:
        errors["deadline"] = [f"The deadline is before the campaign starts ({campaign.starts_on})."]
    return errors


@transaction.atomic
def goal_create(
    *,
    campaign: Campaign,
    metric: str,
    target: Any,
    deadline: Any,
    baseline: Any = None,
    deal: Deal | None = None,
    by: Member | None,
) -> Goal:
    """Add a SMART goal to a campaign (or, with a deal, a per-creator goal)."""
    errors = goal_errors(
        metric=metric, target=target, deadline=deadline, baseline=baseline, campaign=campaign
    )
    if deal is not None and deal.campaign_id != campaign.pk:
        errors["deal"] = ["This deal belongs to another campaign."]
    if errors:
        raise ValidationError(errors)
    goal = Goal.objects.create(
        workspace=campaign.workspace,
        campaign=campaign,
        deal=deal,
        metric=metric,
        target=Decimal(str(target)),
        baseline=None if baseline in (None, "") else Decimal(str(baseline)),
        deadline=deadline,
    )
    audit_record(
        workspace=campaign.workspace,
        actor=by,
        action="goal.create",
        target=goal,
        changes=changed_fields({}, snapshot_fields(goal)),
    )
    return goal


@transaction.atomic
def goals_from_objective(
    *, campaign: Campaign, targets: dict[str, Any], deadline: dt.date, by: Member | None
) -> list[Goal]:
    """Create the objective's default goals with the given targets (a missing target is an
    error naming the KPI)."""
    missing = [k.key for k in default_kpis(campaign.objective) if targets.get(k.key) in (None, "")]
    if missing:
        raise ValidationError({"target": [f"Give a target for: {', '.join(missing)}."]})
    return [
        goal_create(
            campaign=campaign, metric=k.key, target=targets[k.key], deadline=deadline, by=by
        )
        for k in default_kpis(campaign.objective)
    ]


GOAL_FIELDS = {"metric", "target", "baseline", "deadline"}
GOAL_SCALE = Decimal("0.0001")


@transaction.atomic
def goal_update(*, goal: Goal, by: Member | None, **fields: Any) -> Goal:
    """Change a goal's metric, target, baseline or deadline; the SMART rules of goal_create
    apply to the result (e.g. the deadline cannot move before the campaign starts)."""
    unknown = sorted(set(fields) - GOAL_FIELDS)
    if unknown:
        raise TypeError(f"goal_update() got unexpected fields: {', '.join(unknown)}")
    merged: dict[str, Any] = {
        "metric": goal.metric,
        "target": goal.target,
        "baseline": goal.baseline,
        "deadline": goal.deadline,
    } | fields
    errors = goal_errors(campaign=goal.campaign, **merged)
    if errors:
        raise ValidationError(errors)
    before = snapshot_fields(goal)
    goal.metric = merged["metric"]
    # at the column's scale, so an unchanged number is not recorded as a change
    goal.target = Decimal(str(merged["target"])).quantize(GOAL_SCALE)
    baseline = merged["baseline"]
    goal.baseline = None if baseline in (None, "") else Decimal(str(baseline)).quantize(GOAL_SCALE)
    goal.deadline = merged["deadline"]
    goal.save()
    audit_update(target=goal, before=before, actor=by, action="goal.update")
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, by: Member | None) -> None:
    """Remove a goal (campaign-wide or per creator); its progress is no longer tracked."""
    audit_record(
        workspace=goal.workspace,
        actor=by,
        action="goal.delete",
        target=goal,
        changes=changed_fields(snapshot_fields(goal), {}),
    )
    goal.delete()
