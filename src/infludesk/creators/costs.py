"""Cost estimates per creator: price range by tier and deliverable, expected reach and
engagements, CPM and CPE. Pure functions (no Django; import-linter keeps it so).

Prices
    The defaults below are per in-feed post, in the workspace currency, from the commonly
    quoted industry ranges: nano 10-100, micro 100-500, macro 500-5,000, mega 5,000+ (we
    close the open mega range at 50,000, ten times its floor; accounts under 1k are priced
    0-10, i.e. mostly gifting). Other formats scale the post range by a multiplier:

    ======  ==========  ====================================================================
    format  multiplier  why
    ======  ==========  ====================================================================
    post    1.0         the reference deliverable of the published rate ranges
    story   0.5         a 24-hour story is priced at about half a feed post in public rate
                        guides (Influencer Marketing Hub "Influencer Pricing"; Later
                        "How much do influencers charge")
    reel    1.5         short-form video takes more production than a photo; the same guides
                        put it above a feed post
    video   2.0         a dedicated long-form video (YouTube) is the most expensive item in
                        the same guides
    short   1.2         a short-form vertical video (YouTube Shorts, TikTok) sits between a
                        post and a reel
    ======  ==========  ====================================================================

    These are rounded defaults, not quotes: each workspace edits its own table
    (``CostBenchmark`` rows override a tier and format).

Reach
    expected reach = followers x reach rate(platform, tier). The default reach rates fall
    with size, as organic reach does (a larger audience sees a smaller share of each post);
    they are rounded from public reach benchmarks (e.g. Rival IQ / Socialinsider yearly
    reports) and are a planning figure, not a measurement. Video platforms (TikTok,
    YouTube) use views per follower, which are higher.

Engagements, CPM, CPE
    expected engagements = reach x ER / 100 (ER in percent)
    CPM = cost / reach x 1,000        CPE = cost / engagements
    each computed for the low and the high end of the price range.

Worked example (tested): a micro Instagram account with 50,000 followers and ER 2.0%,
one feed post at 100-500: reach = 50,000 x 0.20 = 10,000; engagements = 10,000 x 2.0 / 100
= 200; CPM = 100 / 10,000 x 1,000 = 10.00 to 50.00; CPE = 100 / 200 = 0.50 to 2.50.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TIERS = ("below_nano", "nano", "micro", "macro", "mega")
FORMATS = ("post", "story", "reel", "video", "short")

DEFAULT_POST_RANGES: Mapping[str, tuple[Decimal, Decimal]] = {
    "below_nano": (Decimal(0), Decimal(10)),
    "nano": (Decimal(10), Decimal(100)),
    "micro": (Decimal(100), Decimal(500)),
    "macro": (Decimal(500), Decimal(5_000)),
    "mega": (Decimal(5_000), Decimal(50_000)),
}
"""Price of one in-feed post per tier, (low, high), in the workspace currency."""

FORMAT_MULTIPLIERS: Mapping[str, Decimal] = {
    "post": Decimal("1.0"),
    "story": Decimal("0.5"),
    "reel": Decimal("1.5"),
    "video": Decimal("2.0"),
    "short": Decimal("1.2"),
}
"""Price of a format relative to a feed post (sources in the module docstring)."""

DEFAULT_REACH_RATES: Mapping[str, Mapping[str, float]] = {
    "instagram": {"below_nano": 0.35, "nano": 0.30, "micro": 0.20, "macro": 0.15, "mega": 0.10},
    "tiktok": {"below_nano": 0.60, "nano": 0.50, "micro": 0.35, "macro": 0.25, "mega": 0.15},
    "youtube": {"below_nano": 0.40, "nano": 0.30, "micro": 0.20, "macro": 0.15, "mega": 0.10},
    "other": {"below_nano": 0.30, "nano": 0.25, "micro": 0.15, "macro": 0.10, "mega": 0.08},
}
"""Share of followers expected to see one post (views per follower on video platforms)."""

CENT = Decimal("0.01")

CostTable = Mapping[tuple[str, str], tuple[Decimal, Decimal]]
"""(tier, format) -> (low, high): a workspace's overrides of the defaults."""


@dataclass(frozen=True)
class CostRange:
    low: Decimal
    high: Decimal


def default_cost_range(tier: str, fmt: str) -> CostRange:
    """The default price of one deliverable: the tier's post range x the format multiplier.

    A macro reel: 500 x 1.5 = 750 to 5,000 x 1.5 = 7,500. Raises ValueError for an
    unknown tier or format.
    """
    if tier not in DEFAULT_POST_RANGES:
        raise ValueError(f"Unknown tier {tier!r}; expected one of {', '.join(TIERS)}.")
    if fmt not in FORMAT_MULTIPLIERS:
        raise ValueError(f"Unknown format {fmt!r}; expected one of {', '.join(FORMATS)}.")
    low, high = DEFAULT_POST_RANGES[tier]
    factor = FORMAT_MULTIPLIERS[fmt]
    return CostRange(low=(low * factor).quantize(CENT), high=(high * factor).quantize(CENT))


def cost_range(tier: str, fmt: str, table: CostTable | None = None) -> CostRange:
    """The workspace's price for this tier and format when its table has one, else the
    default (``default_cost_range``)."""
    if table and (tier, fmt) in table:
        low, high = table[(tier, fmt)]
        return CostRange(low=Decimal(low), high=Decimal(high))
    return default_cost_range(tier, fmt)


def reach_rate(platform: str, tier: str) -> float:
    """The default reach rate; unknown platforms use the 'other' row."""
    rates = DEFAULT_REACH_RATES.get(platform, DEFAULT_REACH_RATES["other"])
    return rates.get(tier, rates["below_nano"])


def expected_reach(followers: int, platform: str, tier: str) -> int:
    """Expected reach of one post = followers x reach rate, rounded to a whole person.

    50,000 Instagram followers (micro, 0.20) give 10,000. Negative followers count as 0.
    """
    return round(max(followers, 0) * reach_rate(platform, tier))


def expected_engagements(reach: int, er_pct: float | Decimal | None) -> int | None:
    """Expected engagements = reach x ER / 100; None when the ER is unknown.

    Reach 10,000 at ER 2.0% gives 200.
    """
    if er_pct is None:
        return None
    return round(reach * float(er_pct) / 100)


def cpm(cost: Decimal, reach: int) -> Decimal | None:
    """Cost per thousand reached = cost / reach x 1,000 (2 decimals); None for no reach.

    100 for a reach of 10,000 gives 10.00.
    """
    if reach <= 0:
        return None
    return (cost / Decimal(reach) * 1000).quantize(CENT, rounding=ROUND_HALF_UP)


def cpe(cost: Decimal, engagements: int | None) -> Decimal | None:
    """Cost per engagement = cost / engagements (2 decimals); None without engagements.

    500 for 200 engagements gives 2.50.
    """
    if not engagements or engagements <= 0:
        return None
    return (cost / Decimal(engagements)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CostEstimate:
    """What one deliverable by one account is expected to cost and deliver."""

    format: str
    cost: CostRange
    reach: int
    engagements: int | None
    cpm_low: Decimal | None
    cpm_high: Decimal | None
    cpe_low: Decimal | None
    cpe_high: Decimal | None


def estimate(
    *,
    followers: int,
    platform: str,
    tier: str,
    er_pct: float | Decimal | None,
    fmt: str = "post",
    table: CostTable | None = None,
) -> CostEstimate:
    """Cost range, reach, engagements, CPM and CPE for one deliverable (formulas above).

    Micro Instagram, 50,000 followers, ER 2.0%, a post at 100-500: reach 10,000,
    engagements 200, CPM 10.00-50.00, CPE 0.50-2.50.
    """
    price = cost_range(tier, fmt, table)
    reach = expected_reach(followers, platform, tier)
    engagements = expected_engagements(reach, er_pct)
    return CostEstimate(
        format=fmt,
        cost=price,
        reach=reach,
        engagements=engagements,
        cpm_low=cpm(price.low, reach),
        cpm_high=cpm(price.high, reach),
        cpe_low=cpe(price.low, engagements),
        cpe_high=cpe(price.high, engagements),
    )
