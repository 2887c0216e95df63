"""Converting one imported cell (text) to a field value, with the reason when it cannot be.

Each converter takes the cell text and returns the value or raises ``CellError`` with a message
a person can act on; the caller adds the line and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_date, parse_datetime

from infludesk.creators.models import Platform


class CellError(ValueError):
    """One cell's value is unusable; the message says why."""


PLATFORM_NAMES = {
    **{value: value for value in Platform.values},
    **{str(label).lower(): value for value, label in Platform.choices},
    "ig": Platform.INSTAGRAM,
    "insta": Platform.INSTAGRAM,
    "yt": Platform.YOUTUBE,
    "tt": Platform.TIKTOK,
    "tik tok": Platform.TIKTOK,
}
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x", "t"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "f", ""})
SUFFIXES = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
MAX_HANDLE = 100


def to_platform(text: str) -> str:
    value = PLATFORM_NAMES.get(text.strip().lower())
    if value is None:
        known = ", ".join(Platform.values)
        raise CellError(f"Unknown platform '{text}'; use one of {known}.")
    return str(value)


def to_handle(text: str) -> str:
    """'@Ana.Trails ' -> 'Ana.Trails' (the case is kept; matching ignores it)."""
    handle = text.strip().lstrip("@")
    if not handle:
        raise CellError("A handle is required.")
    if any(ch.isspace() for ch in handle):
        raise CellError(f"A handle cannot contain spaces ('{handle}').")
    if len(handle) > MAX_HANDLE:
        raise CellError(f"A handle is at most {MAX_HANDLE} characters.")
    return handle


def to_count(text: str) -> int:
    """A whole number of at least 0: '12,345', '12345.0', '12.5k' and '1.2M' are accepted."""
    cleaned = re.sub(r"[,_\s]", "", text.strip().lower())
    factor = 1
    if cleaned[-1:] in SUFFIXES:
        factor = SUFFIXES[cleaned[-1]]
        cleaned = cleaned[:-1]
    try:
        number = Decimal(cleaned) * factor
    except InvalidOperation:
        raise CellError(f"'{text}' is not a whole number.") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError(f"'{text}' is not a whole number.")
    if number < 0:
        raise CellError(f"Counts cannot be negative (got {text}).")
    if number > 10**15:
        raise CellError(f"'{text}' is too large.")
    return int(number)


def to_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"'{text}' is not yes or no; use true or false.")


def to_country(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise CellError(f"Use a two-letter country code such as US or DE ('{text}' given).")
    return code


def to_language(text: str) -> str:
    code = text.strip().lower()
    if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,4})?", code):
        raise CellError(f"Use a language code such as en or pt-br ('{text}' given).")
    return code


def to_categories(text: str) -> list[str]:
    """'Travel; hiking, food' -> ['Travel', 'hiking', 'food'] (separators ; , |)."""
    result: list[str] = []
    for part in re.split(r"[;,|]", text):
        name = part.strip()
        if name and name not in result:
            result.append(name)
    return result


def to_email(text: str) -> str:
    email = text.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise CellError(f"'{text}' is not a valid email address.") from None
    return email


def to_datetime(text: str) -> dt.datetime:
    """ISO 8601 date or date-time, or a Unix timestamp; without a time zone it is UTC."""
    value = text.strip()
    try:
        when = parse_datetime(value)
        if when is None and (day := parse_date(value)) is not None:
            when = dt.datetime(day.year, day.month, day.day)
        if when is None and re.fullmatch(r"\d{9,10}", value):
            when = dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except ValueError:
        when = None
    if when is None:
        raise CellError(
            f"'{text}' is not a date; use ISO 8601 such as 2026-11-20 or 2026-11-20T14:30:00Z."
        )
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when


def to_text(text: str) -> str:
    return text.strip()
