"""Campaign KPI formulas. Pure functions on Decimals: no Django, no models.

Each docstring gives the formula and a hand-worked example that the tests pin. A ratio whose
denominator is zero is undefined: the function raises ValueError rather than invent a number,
and callers show "n/a".
"""

from __future__ import annotations

from decimal import Decimal

HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)


def _ratio(numerator: Decimal, denominator: Decimal, what: str) -> Decimal:
    if denominator == 0:
        raise ValueError(f"{what} is undefined when the denominator is 0")
    if numerator < 0 or denominator < 0:
        raise ValueError(f"{what} needs amounts that are not negative")
    return numerator / denominator


def roi_pct(*, revenue: Decimal, cost: Decimal) -> Decimal:
    """ROI = (revenue - cost) / cost x 100.

    cost 10,000 and revenue 57,800 give 478. Raises ValueError when cost is 0.
    """
    if cost == 0:
        raise ValueError("ROI is undefined when cost is 0")
    return (revenue - cost) / cost * HUNDRED


def roas(*, revenue: Decimal, cost: Decimal) -> Decimal:
    """ROAS = revenue / cost (revenue per unit spent).

    cost 10,000 and revenue 57,800 give 5.78.
    """
    return _ratio(revenue, cost, "ROAS")


def cpa(*, cost: Decimal, conversions: int) -> Decimal:
    """CPA = cost / conversions.

    cost 10,000 and 250 conversions give 40.
    """
    return _ratio(cost, Decimal(conversions), "CPA")


def cpe(*, cost: Decimal, engagements: int) -> Decimal:
    """CPE = cost / engagements (likes + comments + shares + saves).

    cost 10,000 and 80,000 engagements give 0.125.
    """
    return _ratio(cost, Decimal(engagements), "CPE")


def cpm(*, cost: Decimal, impressions: int) -> Decimal:
    """CPM = cost / impressions x 1,000.

    cost 10,000 and 2,500,000 impressions give 4.
    """
    return _ratio(cost, Decimal(impressions), "CPM") * THOUSAND


def cpc(*, cost: Decimal, clicks: int) -> Decimal:
    """CPC = cost / clicks.

    cost 10,000 and 20,000 clicks give 0.5.
    """
    return _ratio(cost, Decimal(clicks), "CPC")


def ctr_pct(*, clicks: int, impressions: int) -> Decimal:
    """CTR = clicks / impressions x 100.

    20,000 clicks on 2,500,000 impressions give 0.8.
    """
    return _ratio(Decimal(clicks), Decimal(impressions), "CTR") * HUNDRED


def cvr_pct(*, conversions: int, clicks: int) -> Decimal:
    """CVR = conversions / clicks x 100.

    250 conversions from 20,000 clicks give 1.25.
    """
    return _ratio(Decimal(conversions), Decimal(clicks), "CVR") * HUNDRED


def engagement_rate_pct(*, engagements: int, reach: int) -> Decimal:
    """Campaign ER = engagements / reach x 100 (per-account ER lives in creators.metrics).

    80,000 engagements on a reach of 1,600,000 give 5.
    """
    return _ratio(Decimal(engagements), Decimal(reach), "Engagement rate") * HUNDRED


def emv(*, impressions: int, engagements: int, cpm_value: Decimal, cpe_value: Decimal) -> Decimal:
    """Earned media value = impressions / 1,000 x CPM benchmark + engagements x CPE benchmark.

    What the same attention would have cost as paid media. 2,500,000 impressions at a CPM of
    7.00 and 80,000 engagements at a CPE of 0.10 give 17,500 + 8,000 = 25,500. The benchmarks
    are the workspace's to set; say which were used wherever EMV is shown.
    """
    if impressions < 0 or engagements < 0 or cpm_value < 0 or cpe_value < 0:
        raise ValueError("EMV needs amounts that are not negative")
    return Decimal(impressions) / THOUSAND * cpm_value + Decimal(engagements) * cpe_value


def cpa_to_ltv(*, cpa_value: Decimal, ltv: Decimal) -> Decimal:
    """LTV : CPA = customer lifetime value / CPA; above 1 a customer pays back what it cost.

    LTV 120 and CPA 40 give 3.
    """
    return _ratio(ltv, cpa_value, "LTV:CPA")
