"""Cost estimates per creator: price range by tier and deliverable, expected reach and
engagements, CPM and CPE. Pure functions (no Django; import-linter keeps it so).

Every default below has its basis next to it in the data (``POST_RANGE_BASIS``,
``FORMAT_BASIS``, ``REACH_BASIS``: the published source - title, publisher, year, URL - and
what it says, or "our assumption" when no source was found). The cost page shows them.

Prices
    The defaults are per in-feed post, in the workspace currency, from the commonly quoted
    industry ranges: nano 10-100, micro 100-500, macro 500-5,000, mega 5,000+ (Word on the
    Block 2023 for nano and micro on Instagram with our tier bounds; Ainfluencer's guide for
    500-5K at 100-500K followers and 5K-10K at 500K-1M). Closing the open mega range at 50,000
    (ten times its floor) and pricing accounts under 1k at 0-10 (mostly gifting) are our
    assumptions. Other formats scale the post range by a multiplier:

    ======  ==========  ====================================================================
    format  multiplier  basis
    ======  ==========  ====================================================================
    post    1.0         the reference deliverable of the published rate ranges
    story   0.5         Instajet: a story costs 1.5-2 times less than a post (0.5-0.67)
    reel    1.5         HypeAuditor: Instagram posts with a video cost 40-50% more (1.4-1.5)
    video   2.0         Word on the Block 2023: YouTube ranges are twice the Instagram ones
    short   1.2         our assumption: between a feed post and a reel (Word on the Block puts
                        TikTok posts at half an Instagram post, HypeAuditor video at +40-50%)
    ======  ==========  ====================================================================

    These are rounded defaults, not quotes: each workspace edits its own table
    (``CostBenchmark`` rows override a tier and format).

Reach
    expected reach = followers x reach rate(platform, tier). The default reach rates fall
    with size, as organic reach does (a larger audience sees a smaller share of each post);
    they are a planning figure, not a measurement. Instagram's sit inside Start Motion
    Media's 2024 reach-rate ranges per follower band; YouTube's (views per subscriber) inside
    BrightBean's views-to-subscriber ranges; TikTok's and other platforms' are our
    assumption (no published per-tier view rate was found).

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


@dataclass(frozen=True)
class Source:
    """A published source of a default: what a reader needs to find it again."""

    title: str
    publisher: str
    year: str  # "n.d." when the page states none
    url: str


@dataclass(frozen=True)
class Basis:
    """Why a default has its value: the sources and what they say, or our assumption."""

    note: str
    sources: tuple[Source, ...] = ()

    @property
    def is_assumption(self) -> bool:
        """True when no published source backs the number (the page says "our assumption")."""
        return not self.sources


WORD_ON_THE_BLOCK = Source(
    title="How Much You Should Be Paying Influencers: A Definitive Guide to Influencer Pricing",
    publisher="Word on the Block",
    year="2023",
    url="https://www.wordontheblock.com/blog/influencer-pricing-guide",
)
AINFLUENCER = Source(
    title="Pricing guide when working with influencers",
    publisher="Ainfluencer",
    year="n.d.",
    url="https://ainfluencer.freshdesk.com/support/solutions/articles/72000513860-pricing-guide-when-working-with-influencers",
)
BOOST52 = Source(
    title="Our guide to partnering with influencers and how to determine your pricing",
    publisher="Boost52",
    year="n.d.",
    url="https://www.boost52.com/post/our-guide-to-partnering-with-influencers-and-how-to-determine-your-pricing",
)
HYPEAUDITOR = Source(
    title="Influencer Rates: How Instagram Creators Set Their Prices",
    publisher="HypeAuditor",
    year="n.d.",
    url="https://hypeauditor.com/blog/how-instagram-influencers-set-their-prices/",
)
INSTAJET = Source(
    title="A look at how much influencers earn",
    publisher="Instajet",
    year="n.d.",
    url="https://instajet.io/blog/a-look-at-how-much-influencers-earn",
)
START_MOTION_MEDIA = Source(
    title="Instagram Benchmarks: Key Insights (mid-2024 ranges)",
    publisher="Start Motion Media",
    year="2024",
    url="https://www.startmotionmedia.com/instagrambenchmarks-keyinsights",
)
MINTER = Source(
    title="How Much Reach Should My Brand Be Getting On Instagram?",
    publisher="Minter.io",
    year="2019",
    url="https://minter.io/blog/how-much-reach-should-my-brand-be-getting-on-instagram/",
)
BRIGHTBEAN = Source(
    title="What is a good YouTube views-to-subscriber ratio?",
    publisher="BrightBean",
    year="n.d.",
    url="https://brightbean.xyz/glossary/youtube-analytics/good-youtube-views-subscriber-ratio",
)

POST_RANGE_BASIS: Mapping[str, Basis] = {
    "below_nano": Basis("Our assumption: under 1,000 followers is mostly gifting, 0-10 a post."),
    "nano": Basis(
        "Instagram nano (1k-10k followers): $10-$100 per post in all three.",
        (WORD_ON_THE_BLOCK, AINFLUENCER, BOOST52),
    ),
    "micro": Basis(
        "Instagram micro: $100-$500 per post (10k-100k followers in Word on the Block and "
        "Ainfluencer, 10k-50k in Boost52).",
        (WORD_ON_THE_BLOCK, AINFLUENCER, BOOST52),
    ),
    "macro": Basis(
        "$500-$5,000 per post for 100k-500k followers (Ainfluencer; Boost52 for 50k-500k); "
        "Word on the Block gives $500-$10,000 for 100k-1M. We keep the issue's 500-5,000.",
        (AINFLUENCER, BOOST52, WORD_ON_THE_BLOCK),
    ),
    "mega": Basis(
        "Floor: $5,000-$10,000 at 500k-1M followers (Ainfluencer), $10,000+ at 1M+ (Word on "
        "the Block, Boost52). The top of 50,000 (ten times the floor) is our assumption: the "
        "published range is open.",
        (AINFLUENCER, WORD_ON_THE_BLOCK, BOOST52),
    ),
}
"""Where each tier's post price comes from (same keys as ``DEFAULT_POST_RANGES``)."""

FORMAT_BASIS: Mapping[str, Basis] = {
    "post": Basis("The reference deliverable of the published per-post ranges."),
    "story": Basis(
        "A story costs 1.5 to 2 times less than a feed post (0.5-0.67 of it).", (INSTAJET,)
    ),
    "reel": Basis("Instagram posts with a video cost 40-50% more than a photo.", (HYPEAUDITOR,)),
    "video": Basis(
        "YouTube per-post ranges are twice the Instagram ones in every tier (nano $20-$200, "
        "micro $200-$1,000).",
        (WORD_ON_THE_BLOCK,),
    ),
    "short": Basis(
        "Our assumption: between a feed post and a reel. Word on the Block puts a TikTok post "
        "at half an Instagram post; HypeAuditor puts a video post at +40-50%."
    ),
}
"""Where each format multiplier comes from (same keys as ``FORMAT_MULTIPLIERS``)."""

REACH_BASIS: Mapping[str, Basis] = {
    "instagram": Basis(
        "Reach rate per feed post 20-40% (0-10k followers), 15-30% (10k-100k), 10-20% "
        "(100k-1M), 5-12% (1M+); our 35/30/20/15/10% sit inside (Minter.io's 2019 medians, "
        "38/23/23/19%, are higher).",
        (START_MOTION_MEDIA, MINTER),
    ),
    "youtube": Basis(
        "Views per video per subscriber 30-50% under 10k, 14-20% at 10k-500k, 5-15% over "
        "500k; our 40/30/20/15/10% follow that fall.",
        (BRIGHTBEAN,),
    ),
    "tiktok": Basis(
        "Our assumption: views per follower above Instagram's reach rates, falling with size "
        "(no published per-tier TikTok view rate was found)."
    ),
    "other": Basis("Our assumption: a little under Instagram's rates."),
}
"""Where each platform's reach rates come from (same keys as ``DEFAULT_REACH_RATES``)."""

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
