"""Small formatting filters for the templates: {% load ui %}."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def thousands(value: Any) -> str:
    """12345 -> '12,345'; 1234.5 -> '1,234.50'; None -> ''."""
    if value is None or value == "":
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    return f"{Decimal(str(value)):,.2f}"


@register.filter
def money(value: Any, currency: str = "") -> str:
    """An amount with two decimals and thousands separators, then the currency code."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):,.2f}"
    return f"{text} {currency}".strip()
