"""Reading a follower sample from CSV (``infludesk import-follower-sample``): one row per
sampled follower, header ``handle,followers,following,posts,has_profile_pic,is_private`` and
optionally ``bio_length``. Every bad value is reported with its line (the header is line 1)
and column; nothing is stored when any value is bad."""

from __future__ import annotations

import csv
import io

from infludesk.authenticity.classify_csv import MAX_REPORTED_ERRORS, AccountsCsvError, _count, _flag
from infludesk.authenticity.services import FollowerRow

REQUIRED = ("handle", "followers", "following", "posts", "has_profile_pic", "is_private")
_PARSERS = {
    "followers": (_count, "a whole number >= 0"),
    "following": (_count, "a whole number >= 0"),
    "posts": (_count, "a whole number >= 0"),
    "has_profile_pic": (_flag, "0 or 1 (or true/false)"),
    "is_private": (_flag, "0 or 1 (or true/false)"),
    "bio_length": (_count, "a whole number >= 0 or empty"),
}


def parse_follower_csv(text: str) -> list[FollowerRow]:
    """The rows as ``FollowerRow``; raises ``AccountsCsvError`` naming missing columns or
    every bad value by line and column."""
    reader = csv.DictReader(io.StringIO(text))
    fieldnames = [name.strip() for name in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in fieldnames]
    if missing:
        raise AccountsCsvError(
            f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
            f"(required: {','.join(REQUIRED)}; optional: bio_length)"
        )
    reader.fieldnames = fieldnames
    columns = [*REQUIRED[1:], *(("bio_length",) if "bio_length" in fieldnames else ())]
    rows: list[FollowerRow] = []
    errors: list[str] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            errors.append(f"line {line}: more values than header columns")
            continue
        handle = (row.get("handle") or "").strip()
        if not handle:
            errors.append(f"line {line}, column handle: empty")
        values: dict[str, object] = {}
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
        if handle and len(values) == len(columns):
            rows.append(FollowerRow(handle=handle, **values))  # type: ignore[arg-type]
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        raise AccountsCsvError(
            f"{len(errors)} bad value{'s' if len(errors) > 1 else ''}:\n"
            + "\n".join(shown)
            + (f"\n... and {more} more" if more else "")
        )
    return rows
