"""Documents: a deal's contract (draft -> sent -> signed; text frozen when sent) and a
campaign's one-page proposal. Both render to HTML and to PDF (WeasyPrint)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from infludesk.campaigns.budget import budget_summary
from infludesk.campaigns.goals import CATALOGUE
from infludesk.campaigns.models import (
    Campaign,
    Contract,
    ContractStatus,
    Deal,
    Stage,
)
from infludesk.core.audit import audit_record, changed_fields, snapshot_fields
from infludesk.core.models import Member

# Per-post fee ranges by tier (workspace currency), from public industry surveys of 2024-25
# (nano 10-100, micro 100-500, macro 500-5,000, mega 5,000+); used only where no fee is agreed.
TIER_COST = {
    "below_nano": (Decimal(0), Decimal(10)),
    "nano": (Decimal(10), Decimal(100)),
    "micro": (Decimal(100), Decimal(500)),
    "macro": (Decimal(500), Decimal(5000)),
    "mega": (Decimal(5000), None),
}


def contract_for(deal: Deal) -> Contract:
    return Contract.objects.filter(deal=deal).first() or Contract(
        workspace=deal.workspace, deal=deal
    )


def contract_text(deal: Deal, contract: Contract) -> str:
    """The contract's text from the deal's current terms (a sent contract keeps its body)."""
    if contract.status != ContractStatus.DRAFT and contract.body:
        return contract.body
    return render_to_string(
        "campaigns/contract.txt",
        {
            "deal": deal,
            "contract": contract,
            "deliverables": list(deal.deliverables.order_by("due_on", "pk")),
            "brand": deal.workspace.name,
        },
    ).strip()


@transaction.atomic
def contract_save(*, deal: Deal, by: Member | None, **terms: Any) -> Contract:
    contract = contract_for(deal)
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError("A sent contract cannot be edited; its text is frozen.")
    before = snapshot_fields(contract) if contract.pk else {}
    for name in ("usage_rights", "exclusivity", "extra_terms"):
        if name in terms:
            setattr(contract, name, terms[name])
    contract.full_clean(exclude=["workspace", "deal"], validate_unique=False)
    contract.save()
    audit_record(
        workspace=deal.workspace,
        actor=by,
        action="contract.save",
        target=contract,
        changes=changed_fields(before, snapshot_fields(contract)),
    )
    return contract


@transaction.atomic
def contract_mark(*, deal: Deal, to: str, by: Member | None, signed_by_name: str = "") -> Contract:
    """draft -> sent (freezes the text) -> signed (needs the signer's name)."""
    contract = contract_for(deal)
    if to == ContractStatus.SENT and contract.status == ContractStatus.DRAFT:
        if deal.fee_cash <= 0 and deal.product_value <= 0 and deal.commission_pct <= 0:
            raise ValidationError("Agree a fee, product value or commission before sending.")
        contract.body = contract_text(deal, contract)
        contract.status, contract.sent_at = ContractStatus.SENT, timezone.now()
    elif to == ContractStatus.SIGNED and contract.status == ContractStatus.SENT:
        if not signed_by_name.strip():
            raise ValidationError({"signed_by_name": ["Who signed it?"]})
        contract.status, contract.signed_at = ContractStatus.SIGNED, timezone.now()
        contract.signed_by_name = signed_by_name.strip()
    else:
        raise ValidationError(f"A {contract.status} contract cannot be marked {to}.")
    before = Contract.objects.filter(pk=contract.pk).values_list("status", flat=True).first()
    contract.save()
    audit_record(
        workspace=deal.workspace,
        actor=by,
        action=f"contract.{to}",
        target=contract,
        changes={"status": [before or "draft", contract.status]},
    )
    return contract


def estimated_cost(deal: Deal) -> tuple[Decimal, Decimal | None, str]:
    """The agreed cost, or the tier's range when nothing is agreed yet: (low, high, basis)."""
    agreed = deal.fee_cash + deal.product_value
    if agreed > 0:
        return agreed, agreed, "agreed"
    tier = deal.account.tier if deal.account else "below_nano"
    low, high = TIER_COST[tier]
    return low, high, f"{tier} tier range per post"


def proposal_context(campaign: Campaign) -> dict[str, Any]:
    deals = list(
        Deal.objects.filter(workspace_id=campaign.workspace_id, campaign=campaign)
        .exclude(stage__in=[Stage.DECLINED, Stage.CANCELLED])
        .select_related("creator", "account", "wave")
        .order_by("creator__name")
    )
    rows: list[dict[str, Any]] = []
    for deal in deals:
        low, high, basis = estimated_cost(deal)
        rows.append({"deal": deal, "low": low, "high": high, "basis": basis})
    reach = sum(d.account.followers for d in deals if d.account is not None)
    estimate_low = sum((r["low"] for r in rows), Decimal(0))
    return {
        "campaign": campaign,
        "goals": [
            {"goal": g, "label": CATALOGUE[g.metric].label if g.metric in CATALOGUE else g.metric}
            for g in campaign.goals.filter(deal__isnull=True).order_by("deadline", "pk")
        ],
        "rows": rows,
        "reach": reach,
        "budget": budget_summary(campaign=campaign),
        "waves": list(campaign.waves.order_by("number")),
        "estimate_low": estimate_low,
    }
