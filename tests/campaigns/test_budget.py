"""Budget: committed vs spent vs remaining per campaign and wave, overspend warnings."""

from __future__ import annotations

from decimal import Decimal

from infludesk.campaigns.budget import budget_summary, overspend_warning
from infludesk.campaigns.models import Payment, Shipment
from tests.factories import CampaignFactory, DealFactory, WaveFactory

D = Decimal


def _campaign(workspace):
    campaign = CampaignFactory(workspace=workspace, budget=D("10000.00"), currency="USD")
    wave = WaveFactory(workspace=workspace, campaign=campaign, number=1, budget=D("3000.00"))
    a = DealFactory(
        workspace=workspace,
        campaign=campaign,
        wave=wave,
        fee_cash=D("2000"),
        product_value=D("150"),
        currency="USD",
        stage="live",
    )
    b = DealFactory(
        workspace=workspace,
        campaign=campaign,
        fee_cash=D("1500"),
        product_value=D("0"),
        currency="USD",
        stage="contracted",
    )
    DealFactory(
        workspace=workspace, campaign=campaign, fee_cash=D("9000"), currency="USD", stage="declined"
    )
    Shipment.objects.create(
        workspace=workspace, deal=a, product="Shoes", value=D("120"), status="delivered"
    )
    Payment.objects.create(
        workspace=workspace, deal=a, amount=D("1000"), currency="USD", status="paid"
    )
    Payment.objects.create(
        workspace=workspace, deal=b, amount=D("1500"), currency="USD", status="due"
    )
    return campaign, wave


def test_given_deals_when_summarised_then_committed_spent_remaining_are_exact(
    workspace, django_assert_num_queries
):
    campaign, _ = _campaign(workspace)
    with django_assert_num_queries(3):
        summary = budget_summary(campaign=campaign)
    # committed: 2000 + 120 (shipment value replaces the agreed 150) + 1500; declined adds 0
    # spent: paid 1000 + delivered shipment 120
    assert (summary.committed, summary.spent, summary.remaining) == (
        D("3620.00"),
        D("1120.00"),
        D("6380.00"),
    )


def test_given_a_wave_when_summarised_then_only_its_deals_count(workspace):
    campaign, wave = _campaign(workspace)
    summary = budget_summary(campaign=campaign, wave=wave)
    assert (summary.budget, summary.committed, summary.remaining) == (
        D("3000.00"),
        D("2120.00"),
        D("880.00"),
    )


def test_given_a_deal_that_would_overspend_then_a_warning_says_by_how_much(workspace):
    campaign, wave = _campaign(workspace)
    assert overspend_warning(campaign=campaign, extra=D("6380")) is None
    assert overspend_warning(campaign=campaign, extra=D("6400")) == (
        "This would commit 10020.00 USD against the campaign's budget of 10000.00 USD (20.00 over)."
    )
    assert overspend_warning(campaign=campaign, wave=wave, extra=D("1000")).startswith(
        "This would commit 3120.00 USD against wave 1's budget"
    )


def test_given_a_deal_in_another_currency_then_it_is_listed_not_added(workspace):
    campaign = CampaignFactory(workspace=workspace, currency="USD")
    deal = DealFactory(workspace=workspace, campaign=campaign, fee_cash=D("800"), currency="EUR")
    summary = budget_summary(campaign=campaign)
    assert (summary.committed, summary.other_currency_deals) == (D("0.00"), [deal.pk])
