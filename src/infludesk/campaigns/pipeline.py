"""The deal pipeline's rules: which stage moves are allowed and what each stage needs.

prospect -> contacted -> negotiating -> contracted -> product shipped -> content in review
-> approved -> live -> paid, or declined / cancelled from any open stage.

- Forward moves may skip stages that do not apply (a sponsored post ships no product), but a
  stage's evidence must exist: "product shipped" needs a shipment; "approved" and "live" need an
  approved (or live) deliverable or an approved draft; "paid" needs that and a paid payment.
- Backward moves (corrections) are allowed between open stages and are audited like any move.
- paid, declined and cancelled end a deal; a declined or cancelled deal can only be reopened as a
  prospect.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from infludesk.campaigns.models import PIPELINE, Deal, DraftStatus, PaymentStatus, Stage
from infludesk.core.audit import audit_record
from infludesk.core.models import Member

ENDED = {Stage.PAID, Stage.DECLINED, Stage.CANCELLED}
APPROVED_DELIVERABLE = {"approved", "live"}


@dataclass(frozen=True)
class DealFacts:
    """What exists on a deal, as far as the stage rules care."""

    has_shipment: bool
    has_approved_deliverable: bool
    has_paid_payment: bool


def transition_errors(current: str, target: str, facts: DealFacts) -> list[str]:
    """Why a move from `current` to `target` is not allowed ([] when it is)."""
    if target not in Stage.values:
        return [f"Unknown stage {target!r}; use one of {', '.join(Stage.values)}."]
    if current == target:
        return [f"The deal is already at {Stage(target).label}."]
    if current in ENDED:
        if current != Stage.PAID and target == Stage.PROSPECT:
            return []
        return [
            f"A {Stage(current).label.lower()} deal is closed; it cannot move to "
            f"{Stage(target).label}."
        ]
    if target in (Stage.DECLINED, Stage.CANCELLED):
        return []
    order = PIPELINE.index(Stage(target))
    errors = []
    if order > PIPELINE.index(Stage(current)):
        if target == Stage.SHIPPED and not facts.has_shipment:
            errors.append("Record the shipment before marking the product shipped.")
        if order >= PIPELINE.index(Stage.APPROVED) and not facts.has_approved_deliverable:
            errors.append("A deliverable must be approved first.")
        if target == Stage.PAID and not facts.has_paid_payment:
            errors.append("Record a paid payment before marking the deal paid.")
    return errors


def deal_facts(deal: Deal) -> DealFacts:
    return DealFacts(
        has_shipment=deal.shipments.exists(),
        has_approved_deliverable=(
            deal.deliverables.filter(status__in=APPROVED_DELIVERABLE).exists()
            or deal.drafts.filter(status=DraftStatus.APPROVED).exists()
        ),
        has_paid_payment=deal.payments.filter(status=PaymentStatus.PAID).exists(),
    )


@transaction.atomic
def deal_move(*, deal: Deal, to_stage: str, by: Member | None) -> Deal:
    """Move a deal to another stage after checking the rules; audited with before/after."""
    locked = Deal.objects.select_for_update().get(pk=deal.pk, workspace_id=deal.workspace_id)
    errors = transition_errors(locked.stage, to_stage, deal_facts(locked))
    if errors:
        raise ValidationError({"stage": errors})
    before = locked.stage
    locked.stage = to_stage
    locked.stage_changed_at = timezone.now()
    locked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit_record(
        workspace=locked.workspace,
        actor=by,
        action="deal.move",
        target=locked,
        changes={"stage": [before, to_stage]},
    )
    return locked
