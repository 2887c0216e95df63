"""Reading accounts from CSV and adding ``fake_probability`` (``infludesk classify-accounts``).

Every bad value is reported with its line (the header is line 1) and column, so a user can fix
the file in one pass; nothing is written when any value is bad.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from infludesk.authenticity.model import AccountFeatures, FakeAccountModel

REQUIRED_COLUMNS = (
    "followers",
    "following",
    "posts",
    "has_profile_pic",
    "is_private",
    "username_digit_ratio",
)
OPTIONAL_COLUMNS = ("bio_length",)
OUTPUT_COLUMN = "fake_probability"
MAX_REPORTED_ERRORS = 20
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


class AccountsCsvError(ValueError):
    """The file cannot be classified; ``str()`` is the message for the user."""


@dataclass(frozen=True)
class ParsedCsv:
    fieldnames: list[str]
    rows: list[dict[str, str]]
    accounts: list[AccountFeatures]


def _count(value: str) -> int:
    number = float(value)
    if not number.is_integer() or number < 0:
        raise ValueError
    return int(number)


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError


def _ratio(value: str) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError
    return number


_PARSERS = {
    "followers": (_count, "a whole number >= 0"),
    "following": (_count, "a whole number >= 0"),
    "posts": (_count, "a whole number >= 0"),
    "has_profile_pic": (_flag, "0 or 1 (or true/false)"),
    "is_private": (_flag, "0 or 1 (or true/false)"),
    "username_digit_ratio": (_ratio, "a number from 0 to 1"),
    "bio_length": (_count, "a whole number >= 0 or empty"),
}


def _parse_row(
    row: dict[str, str], line: int, has_bio: bool, errors: list[str]
) -> AccountFeatures | None:
    values: dict[str, object] = {}
    columns = [*REQUIRED_COLUMNS, *(OPTIONAL_COLUMNS if has_bio else ())]
    for column in columns:
        raw = (row.get(column) or "").strip()
        if column == "bio_length" and raw == "":
            values[column] = None
            continue
        parse, expected = _PARSERS[column]
        try:
            values[column] = parse(raw)
        except ValueError:
            errors.append(f"line {line}, column {column}: {raw!r} is not {expected}")
    if len(values) != len(columns):
        return None
    return AccountFeatures(**values)  # type: ignore[arg-type]


def parse_accounts_csv(text: str) -> ParsedCsv:
    """Parse and validate; raises ``AccountsCsvError`` naming missing columns or bad values."""
    reader = csv.DictReader(io.StringIO(text))
    fieldnames = [name.strip() for name in (reader.fieldnames or [])]
    if not fieldnames:
        raise AccountsCsvError(
            "the file is empty: expected a header row with the columns "
            + ",".join(REQUIRED_COLUMNS)
        )
    reader.fieldnames = fieldnames
    missing = [c for c in REQUIRED_COLUMNS if c not in fieldnames]
    if missing:
        raise AccountsCsvError(
            f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
            f"(required: {','.join(REQUIRED_COLUMNS)}; optional: bio_length)"
        )
    has_bio = "bio_length" in fieldnames
    rows: list[dict[str, str]] = []
    accounts: list[AccountFeatures] = []
    errors: list[str] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            errors.append(f"line {line}: more values than header columns")
            continue
        rows.append(row)
        account = _parse_row(row, line, has_bio, errors)
        if account is not None:
            accounts.append(account)
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        suffix = f"\n... and {more} more" if more else ""
        raise AccountsCsvError(
            f"{len(errors)} bad value{'s' if len(errors) > 1 else ''}:\n"
            + "\n".join(shown)
            + suffix
        )
    return ParsedCsv(fieldnames=fieldnames, rows=rows, accounts=accounts)


def classified_csv(parsed: ParsedCsv, model: FakeAccountModel, *, prior: float | None) -> str:
    """The input rows, unchanged, with ``fake_probability`` (4 decimals, 0-1) added last."""
    out = io.StringIO()
    fieldnames = [f for f in parsed.fieldnames if f != OUTPUT_COLUMN] + [OUTPUT_COLUMN]
    writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    probabilities: Iterable[float] = model.probabilities(parsed.accounts, prior=prior)
    for row, p in zip(parsed.rows, probabilities, strict=True):
        writer.writerow({**row, OUTPUT_COLUMN: f"{p:.4f}"})
    return out.getvalue()
