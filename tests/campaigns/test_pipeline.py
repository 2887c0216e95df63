"""Deal stage moves: allowed paths, required evidence, closed deals, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from infludesk.campaigns.models import Deliverable, Payment, Shipment, Stage
from infludesk.campaigns.pipeline import DealFacts, deal_move, transition_errors
from infludesk.core.models import AuditEntry
from tests.factories import DealFactory

NONE = DealFacts(has_shipment=False, has_approved_deliverable=False, has_paid_payment=False)
ALL = DealFacts(has_shipment=True, has_approved_deliverable=True, has_paid_payment=True)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("prospect", "contacted"),
        ("contacted", "contracted"),  # skipping negotiation is fine
        ("contracted", "in_review"),  # no product to ship
        ("negotiating", "contacted"),  # a correction backwards
        ("live", "cancelled"),
        ("prospect", "declined"),
        ("declined", "prospect"),  # reopen
    ],
)
def test_given_no_evidence_when_moving_along_open_stages_then_allowed(current, target):
    assert transition_errors(current, target, NONE) == []


@pytest.mark.parametrize(
    ("current", "target", "error"),
    [
        ("contracted", "shipped", "Record the shipment before marking the product shipped."),
        ("in_review", "approved", "A deliverable must be approved first."),
        ("contracted", "live", "A deliverable must be approved first."),
    ],
)
def test_given_missing_evidence_when_moving_forward_then_refused(current, target, error):
    assert transition_errors(current, target, NONE) == [error]


def test_given_nothing_when_skipping_to_paid_then_both_missing_facts_are_named():
    assert transition_errors("prospect", "paid", NONE) == [
        "A deliverable must be approved first.",
        "Record a paid payment before marking the deal paid.",
    ]
    assert transition_errors("live", "paid", ALL) == []


@pytest.mark.parametrize(
    ("current", "target"),
    [("paid", "live"), ("paid", "prospect"), ("cancelled", "live"), ("declined", "paid")],
)
def test_given_a_closed_deal_when_moved_then_refused(current, target):
    assert len(transition_errors(current, target, ALL)) == 1


def test_given_an_unknown_stage_then_refused_with_the_list():
    assert transition_errors("prospect", "signed", ALL)[0].startswith("Unknown stage 'signed'")


def test_given_a_deal_with_evidence_when_moved_to_paid_then_saved_and_audited(workspace, owner):
    deal = DealFactory(workspace=workspace, stage=Stage.LIVE)
    Deliverable.objects.create(
        workspace=workspace, deal=deal, platform="instagram", format="reel", status="live"
    )
    Payment.objects.create(
        workspace=workspace,
        deal=deal,
        amount=Decimal("500"),
        status="paid",
        paid_on=dt.date(2026, 11, 20),
    )

    moved = deal_move(deal=deal, to_stage="paid", by=owner)

    assert (moved.stage, moved.stage_changed_at is not None) == ("paid", True)
    entry = AuditEntry.objects.get(action="deal.move")
    assert (entry.actor, entry.changes) == (owner, {"stage": ["live", "paid"]})


def test_given_no_shipment_when_moved_to_shipped_then_validation_error_and_unchanged(
    workspace, owner
):
    deal = DealFactory(workspace=workspace, stage=Stage.CONTRACTED)
    with pytest.raises(ValidationError) as err:
        deal_move(deal=deal, to_stage="shipped", by=owner)
    assert err.value.message_dict == {
        "stage": ["Record the shipment before marking the product shipped."]
    }
    deal.refresh_from_db()
    assert deal.stage == "contracted"
    Shipment.objects.create(workspace=workspace, deal=deal, product="Trail shoes")
    assert deal_move(deal=deal, to_stage="shipped", by=owner).stage == "shipped"
