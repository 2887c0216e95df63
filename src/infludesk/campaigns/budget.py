"""Budget of a campaign or wave: committed, spent and remaining.

- A deal's committed cost = cash fee + product cost, where product cost is the value of its
  shipments when there are any, else the product value agreed on the deal. Declined and
  cancelled deals commit nothing. Commission on attributed revenue is variable and is added by
  analytics once sales are attributed (it is not part of the commitment here).
- Spent = payments marked paid + the value of shipments that left the warehouse
  (shipped or delivered).
- Remaining = budget - committed. A deal that would push committed past the budget gets a
  warning before it is saved.
Amounts in another currency than the campaign's are not added up; they are listed instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from infludesk.campaigns.models import (
    Campaign,
    Deal,
    Payment,
    PaymentStatus,
    Shipment,
    ShipmentStatus,
    Stage,
    Wave,
)

ZERO = Decimal("0.00")
CLOSED_WITHOUT_COST = {Stage.DECLINED, Stage.CANCELLED}


@dataclass(frozen=True)
class Budget:
    budget: Decimal
    committed: Decimal
    spent: Decimal
    currency: str
    other_currency_deals: list[int] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def over_budget(self) -> bool:
        return self.committed > self.budget


def deal_committed_cost(deal: Deal, shipments: list[Shipment]) -> Decimal:
    """Cash fee + product cost (shipments' value if any, else the agreed product value)."""
    if deal.stage in CLOSED_WITHOUT_COST:
        return ZERO
    product = sum((s.value for s in shipments), ZERO) if shipments else deal.product_value
    return deal.fee_cash + product


def _deals(campaign: Campaign, wave: Wave | None) -> list[Deal]:
    deals = Deal.objects.filter(workspace_id=campaign.workspace_id, campaign=campaign)
    if wave is not None:
        deals = deals.filter(wave=wave)
    return list(
        deals.prefetch_related(
            Prefetch("shipments", queryset=Shipment.objects.order_by("pk")),
            Prefetch("payments", queryset=Payment.objects.filter(status=PaymentStatus.PAID)),
        )
    )


def budget_summary(*, campaign: Campaign, wave: Wave | None = None) -> Budget:
    """Committed, spent and remaining for a campaign, or one of its waves (3 queries)."""
    committed = spent = ZERO
    others: list[int] = []
    for deal in _deals(campaign, wave):
        if deal.currency != campaign.currency:
            others.append(deal.pk)
            continue
        shipments = list(deal.shipments.all())
        committed += deal_committed_cost(deal, shipments)
        spent += sum((p.amount for p in deal.payments.all() if p.currency == deal.currency), ZERO)
        spent += sum(
            (
                s.value
                for s in shipments
                if s.status in (ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED)
            ),
            ZERO,
        )
    return Budget(
        budget=wave.budget if wave is not None else campaign.budget,
        committed=committed,
        spent=spent,
        currency=campaign.currency,
        other_currency_deals=others,
    )


def overspend_warning(
    *, campaign: Campaign, extra: Decimal, wave: Wave | None = None
) -> str | None:
    """A warning when committing `extra` more would exceed the campaign's (or wave's) budget."""
    summary = budget_summary(campaign=campaign, wave=wave)
    after = summary.committed + extra
    if after <= summary.budget:
        return None
    scope = f"wave {wave.number}" if wave is not None else "the campaign"
    return (
        f"This would commit {after} {summary.currency} against {scope}'s budget of "
        f"{summary.budget} {summary.currency} ({after - summary.budget} over)."
    )
