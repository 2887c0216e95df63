"""Conversion of order money into the workspace currency with the user's rate table (no network).

An ExchangeRate row says: from `valid_from` on, 1 unit of `currency` = `rate` units of the
workspace currency. The newest row on or before the order's date applies:

    converted = amount x rate(currency, newest valid_from <= day), rounded half-up to 0.01

Same currency -> the amount unchanged. No applicable rate -> MissingRate (never a guess).
Pure: takes plain Rate tuples, imports no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


class MissingRate(LookupError):
    """No rate for this currency on or before this date."""


@dataclass(frozen=True)
class Rate:
    currency: str
    rate: Decimal
    valid_from: dt.date


def rate_on(*, rates: Iterable[Rate], currency: str, day: dt.date) -> Decimal:
    """The rate of the newest row for currency with valid_from <= day."""
    best: Rate | None = None
    code = currency.upper()
    for row in rates:
        if row.currency.upper() != code or row.valid_from > day:
            continue
        if best is None or row.valid_from > best.valid_from:
            best = row
    if best is None:
        raise MissingRate(f"no exchange rate for {code} on or before {day.isoformat()}")
    return best.rate


def convert(
    *, amount: Decimal, currency: str, target: str, day: dt.date, rates: Iterable[Rate]
) -> Decimal:
    """amount in `currency` expressed in `target` (the workspace currency) on `day`.

    20.00 EUR with the rate EUR 1.10 from 2026-01-01 gives 22.00 on 2026-03-01.
    """
    if currency.upper() == target.upper():
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    rate = rate_on(rates=rates, currency=currency, day=day)
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)
