"""Reading creator, post and comment files (CSV, XLSX, JSON) and mapping their columns.

A file becomes a ``Table``: its header names and its rows as strings, each row with the line a
person sees in the file (CSV and XLSX: the spreadsheet row, header = line 1; JSON: the record's
1-based position in the list, plus one so the first record is "line 2" like in a spreadsheet).
Cells are text from here on, so every format is validated by the same converters in
``import_rows``, which give messages naming the line, the column (as headed in the file) and
the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
PREVIEW_ROWS = 5


class FileProblem(ValueError):
    """The file as a whole cannot be read (wrong format, no header, too big)."""


@dataclass(frozen=True)
class Row:
    line: int
    values: list[str]


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)


# --- targets per kind ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A field a column can be mapped to; aliases are normalised header names that mean it."""

    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


CREATOR_TARGETS: tuple[Target, ...] = (
    Target("platform", "Platform", True, ("platform", "network", "social network", "site")),
    Target(
        "handle",
        "Handle",
        True,
        ("handle", "username", "user name", "account", "screen name", "user", "channel"),
    ),
    Target("name", "Name", False, ("name", "full name", "creator", "creator name")),
    Target("email", "Email", False, ("email", "e mail", "mail", "email address")),
    Target("display_name", "Display name", False, ("display name", "profile name")),
    Target(
        "followers",
        "Followers",
        False,
        ("followers", "follower count", "followers count", "subscribers", "fans"),
    ),
    Target("following", "Following", False, ("following", "follows", "following count")),
    Target(
        "posts",
        "Posts",
        False,
        ("posts", "post count", "posts count", "media count", "videos", "video count"),
    ),
    Target("country", "Country", False, ("country", "country code", "location")),
    Target("language", "Language", False, ("language", "lang", "language code")),
    Target("categories", "Categories", False, ("categories", "category", "niche", "topics")),
    Target("verified", "Verified", False, ("verified", "is verified")),
    Target("bio", "Bio", False, ("bio", "biography", "description", "about")),
    Target("url", "Profile URL", False, ("url", "profile url", "link", "profile link")),
    Target("external_id", "Platform id", False, ("external id", "platform id", "user id")),
)

POST_TARGETS: tuple[Target, ...] = (
    Target("platform", "Platform", True, ("platform", "network")),
    Target("handle", "Handle", True, ("handle", "username", "account", "user name")),
    Target("post_id", "Post id", True, ("post id", "media id", "video id", "id")),
    Target(
        "posted_at",
        "Posted at",
        False,  # needed for a new post only; updates may leave it out
        ("posted at", "posted", "date", "published at", "timestamp", "created time"),
    ),
    Target("caption", "Caption", False, ("caption", "text", "title", "description")),
    Target("likes", "Likes", False, ("likes", "like count", "likes count")),
    Target("comments", "Comments", False, ("comments", "comment count", "comments count")),
    Target("shares", "Shares", False, ("shares", "share count")),
    Target("saves", "Saves", False, ("saves", "save count", "saved")),
    Target("views", "Views", False, ("views", "view count", "plays", "play count")),
    Target("url", "Post URL", False, ("url", "post url", "permalink", "link")),
    Target("media_type", "Media type", False, ("media type", "type", "format")),
)

COMMENT_TARGETS: tuple[Target, ...] = (
    Target("platform", "Platform", True, ("platform", "network")),
    Target("handle", "Handle", True, ("handle", "account", "creator handle")),
    Target("post_id", "Post id", True, ("post id", "media id", "video id")),
    Target("comment_id", "Comment id", True, ("comment id", "id")),
    Target("text", "Text", True, ("text", "comment", "message", "body")),
    Target("author", "Author", False, ("author", "author handle", "username", "from")),
    Target("posted_at", "Posted at", False, ("posted at", "date", "timestamp", "created time")),
    Target("likes", "Likes", False, ("likes", "like count")),
)

TARGETS: dict[str, tuple[Target, ...]] = {
    "creators": CREATOR_TARGETS,
    "posts": POST_TARGETS,
    "comments": COMMENT_TARGETS,
}


def normalise_header(name: str) -> str:
    """'Follower_Count ' -> 'follower count': lower case, runs of other characters -> one space."""
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def guess_mapping(*, kind: str, headers: Sequence[str]) -> dict[str, str]:
    """{target key: header} for the targets whose name or alias matches a header.

    Each header is used at most once; the target key itself and earlier aliases win over later
    ones, so 'Username' in a comments file goes to the author only when no other column does.
    """
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalise_header(header), header)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    targets = TARGETS[kind]
    for rank in range(max(len(t.aliases) for t in targets) + 1):
        for target in targets:
            if target.key in mapping:
                continue
            names = (normalise_header(target.key), *target.aliases)
            if rank >= len(names):
                continue
            found = by_norm.get(names[rank])
            if found is not None and found not in used:
                mapping[target.key] = found
                used.add(found)
    return mapping


def check_mapping(*, kind: str, headers: Sequence[str], mapping: dict[str, str]) -> list[str]:
    """Problems with a mapping, phrased for a person; an empty list means it can run."""
    targets = {t.key: t for t in TARGETS[kind]}
    problems = [f"Unknown field '{key}'." for key in mapping if key not in targets]
    for key, header in mapping.items():
        if key in targets and header not in headers:
            problems.append(f"{targets[key].label}: the file has no column '{header}'.")
    for target in targets.values():
        if target.required and not mapping.get(target.key):
            problems.append(f"Choose the column that holds the {target.label.lower()}.")
    seen: dict[str, str] = {}
    for key, header in mapping.items():
        if header and header in seen:
            problems.append(f"Column '{header}' is mapped twice ({seen[header]} and {key}).")
        seen[header] = key
    return problems


# --- reading files ---------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious '.0', dates in ISO 8601, lists joined by ';'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value).strip()


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"The file is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8."
        ) from exc
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise FileProblem("The file is empty.") from None
    except csv.Error as exc:
        raise FileProblem(f"Line 1 is not valid CSV: {exc}.") from exc
    table = Table(headers=headers)
    try:
        for values in reader:
            if any(v.strip() for v in values):
                table.rows.append(Row(reader.line_num, [v.strip() for v in values]))
            _check_size(table)
    except csv.Error as exc:
        raise FileProblem(f"Line {reader.line_num} is not valid CSV: {exc}.") from exc
    return table


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # only needed for spreadsheets
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as exc:
        raise FileProblem("The file is not a readable .xlsx workbook.") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            raise FileProblem("The first sheet of the workbook is empty.")
        table = Table(headers=[cell_text(v) for v in first])
        for line, cells in enumerate(rows, start=2):
            values = [cell_text(v) for v in cells]
            if any(values):
                table.rows.append(Row(line, values))
            _check_size(table)
    finally:
        book.close()
    return table


def _read_json(data: bytes) -> Table:
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileProblem(f"The file is not valid JSON: {exc}.") from exc
    if isinstance(payload, dict):
        lists = [v for v in payload.values() if isinstance(v, list)]
        payload = lists[0] if len(lists) == 1 else None
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise FileProblem("The JSON must be a list of objects (one per row), e.g. [{...}, {...}].")
    headers: list[str] = []
    seen: set[str] = set()
    for record in payload:
        for key in record:
            if key not in seen:
                seen.add(key)
                headers.append(str(key))
    table = Table(headers=headers)
    for position, record in enumerate(payload, start=2):
        table.rows.append(Row(position, [cell_text(record.get(h)) for h in headers]))
        _check_size(table)
    return table


def _check_size(table: Table) -> None:
    if len(table.rows) > MAX_ROWS:
        raise FileProblem(f"The file has more than {MAX_ROWS:,} rows; split it into parts.")


def read_table(*, data: bytes, filename: str) -> Table:
    """Parse a CSV, XLSX or JSON file (chosen by its extension, then by its first bytes)."""
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        table = _read_xlsx(data)
    elif name.endswith(".json") or data.lstrip()[:1] in (b"[", b"{"):
        table = _read_json(data)
    elif name.endswith((".csv", ".txt", ".tsv")) or not name.rpartition(".")[1]:
        table = _read_csv(data)
    else:
        raise FileProblem("Upload a .csv, .xlsx or .json file.")
    if not any(table.headers):
        raise FileProblem("The first row must hold the column names.")
    duplicates = sorted({h for h in table.headers if h and table.headers.count(h) > 1})
    if duplicates:
        raise FileProblem(f"Column names must be unique; repeated: {', '.join(duplicates)}.")
    return table


def mapped_rows(*, table: Table, mapping: dict[str, str]) -> Iterator[tuple[Row, dict[str, str]]]:
    """Each row with {target key: cell text} for the mapped columns (missing cells are '')."""
    # in the file's column order, so a row's problems read left to right
    pairs = sorted((table.headers.index(h), key) for key, h in mapping.items() if h)
    index = {key: i for i, key in pairs}
    for row in table.rows:
        yield row, {key: (row.values[i] if i < len(row.values) else "") for key, i in index.items()}
