"""Grouped customer journeys as integer arrays, and the `path,conversions,null,value` format.

The file format is ChannelAttribution's grouped format: one row per distinct path, the channel
names joined by " > ", the number of journeys on that path that converted (`conversions`) and
that did not (`null`), and the total conversion value of the converting ones (`value`).

In memory a `PathTable` keeps the paths in CSR layout: `touches[offsets[i]:offsets[i + 1]]` are
the channel indices of path i, in order. Every model works on these arrays with numpy, so a
table built from a million journeys costs a few array passes, not a Python loop per journey.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

HEADER = ("path", "conversions", "null", "value")
SEPARATOR = " > "

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class JourneyFormatError(ValueError):
    """A row of a journeys file that cannot be read; `line` is 1-based (the header is line 1)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class PathTable:
    """Distinct paths with their counts.

    channels: channel names, index = channel id (order of first appearance in the input).
    offsets: int64, length n_paths + 1; touches: int64 channel ids of all paths concatenated.
    conversions, nulls, values: float64 per path (conversions and nulls are whole numbers).
    """

    channels: tuple[str, ...]
    offsets: IntArray
    touches: IntArray
    conversions: FloatArray
    nulls: FloatArray
    values: FloatArray

    @property
    def n_paths(self) -> int:
        return len(self.offsets) - 1

    @property
    def n_channels(self) -> int:
        return len(self.channels)

    @property
    def lengths(self) -> IntArray:
        return np.diff(self.offsets)

    @property
    def touch_path(self) -> IntArray:
        """For every touch, the index of its path."""
        return np.repeat(np.arange(self.n_paths, dtype=np.int64), self.lengths)

    @property
    def touch_position(self) -> IntArray:
        """For every touch, its 0-based position within its path."""
        return np.arange(len(self.touches), dtype=np.int64) - np.repeat(
            self.offsets[:-1], self.lengths
        )

    def path(self, i: int) -> list[str]:
        ids = self.touches[self.offsets[i] : self.offsets[i + 1]]
        return [self.channels[c] for c in ids]

    def with_counts(
        self, conversions: FloatArray, nulls: FloatArray, values: FloatArray
    ) -> PathTable:
        """The same paths with other counts (used by the bootstrap)."""
        return PathTable(self.channels, self.offsets, self.touches, conversions, nulls, values)


def weighted_bincount(index: IntArray, weights: FloatArray, length: int) -> FloatArray:
    """Sum of `weights` per value of `index` (0..length-1), as float64."""
    return np.asarray(np.bincount(index, weights=weights, minlength=length), dtype=np.float64)


def table_from_rows(
    rows: Iterable[tuple[Sequence[str], float, float, float]],
) -> PathTable:
    """Build a table from (channel names, conversions, nulls, value) rows; identical paths merge."""
    index: dict[str, int] = {}
    grouped: dict[tuple[int, ...], list[float]] = {}
    for names, conv, null, value in rows:
        key = tuple(index.setdefault(name, len(index)) for name in names)
        if not key:
            raise ValueError("a path needs at least one channel")
        acc = grouped.setdefault(key, [0.0, 0.0, 0.0])
        acc[0] += conv
        acc[1] += null
        acc[2] += value
    keys = list(grouped)
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    touches = np.fromiter((c for k in keys for c in k), dtype=np.int64, count=int(offsets[-1]))
    counts = np.array([grouped[k] for k in keys], dtype=np.float64).reshape(len(keys), 3)
    return PathTable(
        channels=tuple(index),
        offsets=offsets,
        touches=touches,
        conversions=counts[:, 0].copy(),
        nulls=counts[:, 1].copy(),
        values=counts[:, 2].copy(),
    )


def _whole_number(text: str, field: str, line: int) -> float:
    number = _finite_number(text, field, line)
    if number < 0 or number != math.floor(number):
        raise JourneyFormatError(line, f"{field} must be a whole number >= 0, got {text!r}")
    return number


def _finite_number(text: str, field: str, line: int) -> float:
    try:
        number = float(text)
    except ValueError:
        raise JourneyFormatError(line, f"{field} is not a number: {text!r}") from None
    if not math.isfinite(number):
        raise JourneyFormatError(line, f"{field} must be finite, got {text!r}")
    return number


def parse_journeys(text: str) -> PathTable:
    """Read a `path,conversions,null,value` CSV; raises JourneyFormatError with the line number.

    The header must be exactly those four columns. conversions and null are whole numbers >= 0,
    value a finite number (empty value = 0). A row with 0 and 0 is accepted and adds nothing
    (its channels are still listed, with 0 credit). Rows are kept as they are: every model is a
    sum over rows, so two rows with the same path give the same result as one merged row.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != HEADER:
        raise JourneyFormatError(1, f"header must be {','.join(HEADER)}, got {header!r}")
    columns: tuple[list[str], list[str], list[str], list[str]] = ([], [], [], [])
    lines: list[int] = []
    end_of_previous = reader.line_num
    for record in reader:
        # A quoted field may span lines: name a row by the line it starts on.
        line, end_of_previous = end_of_previous + 1, reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue  # blank lines carry nothing
        if len(record) != len(HEADER):
            raise JourneyFormatError(line, f"expected 4 fields, got {len(record)}")
        for column, cell in zip(columns, record, strict=True):
            column.append(cell)
        lines.append(line)
    paths, conv_text, null_text, value_text = columns
    conversions = _number_column(conv_text, "conversions", lines, whole=True)
    nulls = _number_column(null_text, "null", lines, whole=True)
    values = _number_column([v if v.strip() else "0" for v in value_text], "value", lines)
    return table_from_paths(paths, conversions, nulls, values, lines=lines)


def _number_column(
    texts: list[str], field: str, lines: list[int], whole: bool = False
) -> FloatArray:
    """The column as float64, converted in one numpy call; a bad cell is named by its line."""
    check = _whole_number if whole else _finite_number
    try:
        numbers = np.array(texts, dtype=np.float64)
    except ValueError:
        for text, line in zip(texts, lines, strict=True):
            check(text.strip(), field, line)
        raise  # unreachable: the row-by-row check names the bad line
    bad = ~np.isfinite(numbers)
    if whole:
        bad |= (numbers < 0) | (numbers != np.floor(numbers))
    if bad.any():
        i = int(np.argmax(bad))
        check(texts[i].strip(), field, lines[i])
    return numbers


def table_from_paths(
    paths: Sequence[str],
    conversions: FloatArray,
    nulls: FloatArray,
    values: FloatArray,
    *,
    lines: Sequence[int] | None = None,
) -> PathTable:
    """Build a table from path strings ("a > b > c") and their counts, without a per-touch loop
    in Python beyond one dict lookup per touch. Channel names are trimmed; an empty name raises
    JourneyFormatError (with the row's line when `lines` is given, else the 0-based row)."""
    lengths = np.fromiter((p.count(">") + 1 for p in paths), dtype=np.int64, count=len(paths))
    offsets = np.zeros(len(paths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    tokens = ">".join(paths).split(">") if paths else []
    distinct = dict.fromkeys(tokens)  # first-appearance order, built at C speed
    empty = [token for token in distinct if not token.strip()]
    if empty:
        first_bad = min(tokens.index(token) for token in empty)
        row = int(np.searchsorted(offsets, first_bad, side="right")) - 1
        line = lines[row] if lines is not None else row
        raise JourneyFormatError(line, f"path has an empty channel name: {paths[row]!r}")
    # Strip and number each distinct token once, then map every touch through one dict.
    index: dict[str, int] = {}
    token_id = {token: index.setdefault(token.strip(), len(index)) for token in distinct}
    touches = np.fromiter(map(token_id.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    return PathTable(
        channels=tuple(index),
        offsets=offsets,
        touches=touches,
        conversions=np.asarray(conversions, dtype=np.float64),
        nulls=np.asarray(nulls, dtype=np.float64),
        values=np.asarray(values, dtype=np.float64),
    )


def format_journeys(rows: Iterable[tuple[Sequence[str], int, int, object]]) -> str:
    """Write rows (channel names, conversions, nulls, value) in the grouped CSV format."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for names, conv, null, value in rows:
        writer.writerow([SEPARATOR.join(names), conv, null, value])
    return out.getvalue()


def group_journeys(
    offsets: IntArray,
    touches: IntArray,
    converted: npt.NDArray[np.bool_],
    values: FloatArray,
    channels: Sequence[str],
) -> PathTable:
    """Group single journeys (CSR paths, a converted flag and a value each) into distinct paths.

    Vectorised and exact: every path gets an integer key, built column by column as
    key = key x (K + 1) + (channel + 1) (0 past the path's end). When the next step could
    overflow int64 the keys are first replaced by their dense rank (np.unique), which keeps
    them exact. One final np.unique groups the journeys.
    """
    lengths = np.diff(offsets)
    n = len(lengths)
    base = len(channels) + 1
    key = np.zeros(n, dtype=np.int64)
    key_max = 0
    for j in range(int(lengths.max()) if n else 0):
        if (key_max + 1) * base >= 2**62:
            ranks = np.unique(key, return_inverse=True)
            key, key_max = ranks[1].reshape(-1).astype(np.int64), len(ranks[0]) - 1
        has = lengths > j
        column = np.zeros(n, dtype=np.int64)
        column[has] = touches[offsets[:-1][has] + j] + 1
        key = key * base + column
        key_max = key_max * base + base - 1
    found = np.unique(key, return_index=True, return_inverse=True)
    first, inverse = found[1], found[2].reshape(-1)
    k = len(first)
    new_lengths = lengths[first]
    new_offsets = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(new_lengths, out=new_offsets[1:])
    within = np.arange(int(new_offsets[-1]), dtype=np.int64) - np.repeat(
        new_offsets[:-1], new_lengths
    )
    new_touches = touches[np.repeat(offsets[:-1][first], new_lengths) + within]
    return PathTable(
        channels=tuple(channels),
        offsets=new_offsets,
        touches=np.asarray(new_touches, dtype=np.int64),
        conversions=weighted_bincount(inverse, converted.astype(np.float64), k),
        nulls=weighted_bincount(inverse, (~converted).astype(np.float64), k),
        values=weighted_bincount(inverse, np.where(converted, values, 0.0), k),
    )
