"""Currency conversion with the user's rate table (pure)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from infludesk.tracking.currency import MissingRate, Rate, convert

RATES = [
    Rate("EUR", Decimal("1.10"), dt.date(2026, 1, 1)),
    Rate("EUR", Decimal("1.20"), dt.date(2026, 6, 1)),
    Rate("GBP", Decimal("1.30"), dt.date(2026, 1, 1)),
]


def test_newest_rate_on_or_before_the_day_applies():
    assert convert(
        amount=Decimal("20.00"), currency="EUR", target="USD", day=dt.date(2026, 3, 1), rates=RATES
    ) == Decimal("22.00")
    assert convert(
        amount=Decimal("20.00"), currency="EUR", target="USD", day=dt.date(2026, 6, 1), rates=RATES
    ) == Decimal("24.00")


def test_same_currency_is_unchanged():
    assert convert(
        amount=Decimal("9.99"), currency="usd", target="USD", day=dt.date(2020, 1, 1), rates=[]
    ) == Decimal("9.99")


def test_rounds_half_up_to_cents():
    rates = [Rate("JPY", Decimal("0.00675"), dt.date(2026, 1, 1))]
    assert convert(
        amount=Decimal("1000"), currency="JPY", target="USD", day=dt.date(2026, 2, 1), rates=rates
    ) == Decimal("6.75")
    assert convert(
        amount=Decimal("1"), currency="JPY", target="USD", day=dt.date(2026, 2, 1), rates=rates
    ) == Decimal("0.01")


def test_no_rate_before_the_day_raises():
    with pytest.raises(MissingRate, match="no exchange rate for EUR on or before 2025-12-31"):
        convert(
            amount=Decimal("1"),
            currency="EUR",
            target="USD",
            day=dt.date(2025, 12, 31),
            rates=RATES,
        )
