"""Hand-worked examples for every KPI formula (the numbers in each docstring)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.analytics.metrics import kpi

D = Decimal


def test_given_cost_10000_and_revenue_57800_then_roi_is_478_pct():
    assert kpi.roi_pct(revenue=D("57800"), cost=D("10000")) == D("478")


def test_given_revenue_below_cost_then_roi_is_negative():
    assert kpi.roi_pct(revenue=D("7500"), cost=D("10000")) == D("-25")


def test_given_zero_cost_then_roi_is_undefined():
    with pytest.raises(ValueError, match="ROI is undefined when cost is 0"):
        kpi.roi_pct(revenue=D("1"), cost=D("0"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (lambda: kpi.roas(revenue=D("57800"), cost=D("10000")), D("5.78")),
        (lambda: kpi.cpa(cost=D("10000"), conversions=250), D("40")),
        (lambda: kpi.cpe(cost=D("10000"), engagements=80_000), D("0.125")),
        (lambda: kpi.cpm(cost=D("10000"), impressions=2_500_000), D("4")),
        (lambda: kpi.cpc(cost=D("10000"), clicks=20_000), D("0.5")),
        (lambda: kpi.ctr_pct(clicks=20_000, impressions=2_500_000), D("0.8")),
        (lambda: kpi.cvr_pct(conversions=250, clicks=20_000), D("1.25")),
        (lambda: kpi.engagement_rate_pct(engagements=80_000, reach=1_600_000), D("5")),
        (
            lambda: kpi.emv(
                impressions=2_500_000, engagements=80_000, cpm_value=D("7"), cpe_value=D("0.10")
            ),
            D("25500"),
        ),
        (lambda: kpi.cpa_to_ltv(cpa_value=D("40"), ltv=D("120")), D("3")),
    ],
)
def test_given_the_docstring_example_then_the_formula_gives_its_number(value, expected):
    assert value() == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: kpi.cpa(cost=D("100"), conversions=0),
        lambda: kpi.cpm(cost=D("100"), impressions=0),
        lambda: kpi.ctr_pct(clicks=1, impressions=0),
        lambda: kpi.roas(revenue=D("1"), cost=D("0")),
    ],
)
def test_given_a_zero_denominator_then_the_ratio_is_undefined(call):
    with pytest.raises(ValueError, match="undefined"):
        call()


def test_given_negative_amounts_then_refused():
    with pytest.raises(ValueError, match="not negative"):
        kpi.cpa(cost=D("-1"), conversions=3)
