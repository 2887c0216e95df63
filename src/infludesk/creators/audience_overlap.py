"""Audience overlap: how much of a creator's audience is the audience a brief targets.
Pure functions (no Django; import-linter keeps it so).

Target
    A brief names its audience in up to three dimensions, each a split that sums to 1:
    countries (ISO 3166-1 alpha-2), age bands (Instagram's: 13-17, 18-24, 25-34, 35-44,
    45-54, 55-64, 65+) and gender (F, M). Written ``US:60, GB:40`` (weights, normalised) or
    ``US, GB`` (equal shares).

Audience
    The creator's followers split the same ways, from the best source there is:
    1. Instagram insights ``follower_demographics`` of connected accounts (counts per country,
       age band and gender, summed over the creator's accounts, then normalised; gender over
       F + M only, "U" (unknown) is left out);
    2. else the creator's or account's country, taken as 100% of the audience (an
       assumption, said so in the evidence; it gives no age or gender split; a language
       says nothing about countries, ages or gender, so it is not used here);
    3. else nothing: "no audience data".

Overlap
    per dimension d:  overlap_d = sum over bins b of min(target_d[b], audience_d[b])
    (1 when the two splits are equal, 0 when they share no bin; a bin missing from the
    audience counts 0), and overall = mean of overlap_d over the target's dimensions the
    audience has data for; None when it has data for none of them.

Worked example (tested): target countries US:60, GB:40; audience US 50%, FR 30%, GB 20% ->
min(.6, .5) + min(.4, .2) = 0.7. Target ages 18-24:50, 25-34:50; audience 18-24 20%,
25-34 60%, 35-44 20% -> min(.5, .2) + min(.5, .6) = 0.7. Target gender F:100; audience
F 300, M 100, U 100 -> F = 300 / 400 = 0.75 -> 0.75. Overall (0.7 + 0.7 + 0.75) / 3 = 0.717.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

AGE_BANDS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
GENDERS = ("F", "M")
DIMENSIONS = ("country", "age", "gender")
DIMENSION_LABELS = {"country": "Countries", "age": "Age bands", "gender": "Gender"}
FIELDS = {"country": "audience_countries", "age": "audience_ages", "gender": "audience_gender"}
MAX_BINS = 50

Split = dict[str, float]


class TargetError(ValueError):
    """A target split that cannot be read; ``field`` names the form/API field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AudienceTarget:
    """The brief's audience: dimension -> {bin: share}, shares summing to 1."""

    splits: dict[str, Split] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(self.splits.values())


def _bin(dimension: str, raw: str) -> str | None:
    value = raw.strip()
    if dimension == "country":
        code = value.upper()
        return code if len(code) == 2 and code.isascii() and code.isalpha() else None
    if dimension == "age":
        return value if value in AGE_BANDS else None
    code = value.upper()[:1] if value.lower() in ("f", "m", "female", "male") else ""
    return code or None


_EXPECTED = {
    "country": "a two-letter country code such as US",
    "age": f"one of {', '.join(AGE_BANDS)}",
    "gender": "F or M",
}


def parse_split(dimension: str, raw: str) -> Split:
    """``"US:60, GB:40"`` -> {"US": 0.6, "GB": 0.4}; ``"US, GB"`` -> 0.5 each; "" -> {}.

    Weights are any non-negative numbers (percentages or fractions) and are normalised to
    sum to 1; a bin given twice adds up. Raises TargetError naming the field and the bad part.
    """
    name = FIELDS[dimension]
    parts = [p.strip() for p in (raw or "").split(",") if p.strip()]
    if len(parts) > MAX_BINS:
        raise TargetError(name, f"{name}: at most {MAX_BINS} values.")
    weights: Split = {}
    for part in parts:
        label, sep, number = part.partition(":")
        key = _bin(dimension, label)
        if key is None:
            raise TargetError(name, f"{name}: {label.strip()!r} is not {_EXPECTED[dimension]}.")
        weight = 1.0
        if sep:
            try:
                weight = float(number)
            except ValueError:
                weight = math.nan
            if not math.isfinite(weight) or weight < 0:
                raise TargetError(
                    name, f"{name}: the share of {key} must be a number of 0 or more."
                )
        weights[key] = weights.get(key, 0.0) + weight
    total = sum(weights.values())
    if parts and total <= 0:
        raise TargetError(name, f"{name}: the shares add up to 0.")
    if not math.isfinite(total):
        raise TargetError(name, f"{name}: the shares are too large.")
    return {k: w / total for k, w in weights.items() if w > 0} if parts else {}


def parse_target(*, countries: str = "", ages: str = "", gender: str = "") -> AudienceTarget:
    """The target from the three form/API fields (each may be blank)."""
    return AudienceTarget(
        splits={
            d: s
            for d, s in (
                ("country", parse_split("country", countries)),
                ("age", parse_split("age", ages)),
                ("gender", parse_split("gender", gender)),
            )
            if s
        }
    )


def normalise_counts(dimension: str, counts: Mapping[str, float]) -> Split:
    """Follower counts per bin -> shares of their total. Gender keeps F and M only (U, the
    unknown, is left out); country codes are upper-cased; non-positive counts are dropped."""
    cleaned: Split = {}
    for raw, count in counts.items():
        key = raw.strip().upper() if dimension in ("country", "gender") else raw.strip()
        if dimension == "gender" and key not in GENDERS:
            continue
        if isinstance(count, int | float) and math.isfinite(count) and count > 0:
            cleaned[key] = cleaned.get(key, 0.0) + float(count)
    total = sum(cleaned.values())
    return {k: v / total for k, v in cleaned.items()} if total else {}


def sum_demographics(
    demographics: Iterable[Mapping[str, Mapping[str, float]]],
) -> dict[str, Split]:
    """Several accounts' ``{"country": {"US": n}, "age": {...}, "gender": {...}}`` -> one
    split per dimension (counts summed, then ``normalise_counts``)."""
    totals: dict[str, dict[str, float]] = {}
    for demo in demographics:
        for dimension in DIMENSIONS:
            counts = demo.get(dimension) if isinstance(demo, Mapping) else None
            if not isinstance(counts, Mapping):
                continue
            bucket = totals.setdefault(dimension, {})
            for key, count in counts.items():
                if isinstance(key, str) and isinstance(count, int | float):
                    bucket[key] = bucket.get(key, 0.0) + float(count)
    return {d: s for d, c in totals.items() if (s := normalise_counts(d, c))}


@dataclass(frozen=True)
class AudienceData:
    """The creator's audience split per dimension and where it comes from."""

    splits: dict[str, Split] = field(default_factory=dict)
    source: str = ""  # "insights" | "assumed_country" | "" (none)
    evidence: str = "no audience data"


def split_overlap(target: Mapping[str, float], audience: Mapping[str, float]) -> float:
    """sum over bins of min(target share, audience share); 0..1."""
    return sum(min(share, audience.get(key, 0.0)) for key, share in target.items())


@dataclass(frozen=True)
class BinRow:
    bin: str
    target: float
    audience: float


@dataclass(frozen=True)
class DimensionOverlap:
    dimension: str
    overlap: float | None  # None: the audience has no data for this dimension
    bins: list[BinRow]


@dataclass(frozen=True)
class AudienceOverlap:
    value: float | None  # mean over dimensions with data; None: no audience data
    dimensions: list[DimensionOverlap]
    source: str
    evidence: str


def audience_overlap(target: AudienceTarget, audience: AudienceData) -> AudienceOverlap:
    """Per-dimension overlap and their mean (formula in the module docstring), with the
    target and audience share of every target bin as evidence."""
    dimensions = []
    for dimension in DIMENSIONS:
        wanted = target.splits.get(dimension)
        if not wanted:
            continue
        have = audience.splits.get(dimension)
        rows = [
            BinRow(key, round(share, 3), round((have or {}).get(key, 0.0), 3))
            for key, share in sorted(wanted.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        value = round(split_overlap(wanted, have), 3) if have else None
        dimensions.append(DimensionOverlap(dimension, value, rows))
    known = [d.overlap for d in dimensions if d.overlap is not None]
    overall = round(sum(known) / len(known), 3) if known else None
    return AudienceOverlap(
        value=overall,
        dimensions=dimensions,
        source=audience.source if known else "",
        evidence=audience.evidence if known else "no audience data",
    )
