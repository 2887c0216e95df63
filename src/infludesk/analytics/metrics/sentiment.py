"""Comment sentiment: a lexicon score per comment and a campaign's net sentiment with its 95%
confidence interval. Pure: no Django, no models.

Each comment is scored with VADER (Hutto & Gilbert, 2014; the `vaderSentiment` package ships
its lexicon, including emoji, so this works offline). VADER's *compound* score is a normalised
sum of the lexicon valences of the words, adjusted for negation, intensifiers ("very"), "but",
capitals and exclamation marks, in -1..1. Following VADER's documented cut-offs a comment is
positive at compound >= 0.05, negative at <= -0.05 and neutral in between. VADER is built for
English social-media text; comments in other languages mostly score neutral.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
Z_95 = 1.959964
# below this many scored comments the interval is too wide (and the normal approximation too
# rough) to report a figure
MIN_COMMENTS = 30


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=50_000)
def compound(text: str) -> float:
    """VADER's compound score of one text, -1 (most negative) to 1 (most positive).

    "Love it! 😍" scores 0.8172, "I hate this" -0.5719, "Where can I buy this?" 0.
    """
    return float(_analyzer().polarity_scores(text)["compound"])


def label(score: float) -> int:
    """+1 positive (score >= 0.05), -1 negative (score <= -0.05), 0 neutral."""
    if score >= POSITIVE_AT:
        return 1
    if score <= NEGATIVE_AT:
        return -1
    return 0


@dataclass(frozen=True)
class NetSentiment:
    n: int
    positive: int
    neutral: int
    negative: int
    net: float  # share positive - share negative, -1..1
    ci_low: float
    ci_high: float
    mean_compound: float


def net_sentiment(scores: Iterable[float]) -> NetSentiment:
    """Net sentiment of n compound scores = share positive - share negative, in -1..1.

    With P positive and N negative comments of n, each comment's label x is +1, 0 or -1 and
    net = mean(x) = (P - N) / n. Its variance is s^2 = (P + N) / n - net^2 (the labels' own
    variance), the standard error SE = sqrt(s^2 / n), and the 95% interval
    net +- 1.96 x SE (normal approximation), clipped to -1..1.

    6 positive, 2 negative and 2 neutral comments (n = 10): net = 0.4, s^2 = 0.8 - 0.16 = 0.64,
    SE = sqrt(0.064) = 0.2530, interval -0.096 to 0.896. The same shares in n = 100 comments:
    SE = 0.08, interval 0.243 to 0.557. When every comment has the same label the interval
    collapses to a point, one more reason to ask for MIN_COMMENTS. Raises ValueError for n = 0.
    """
    values = list(scores)
    n = len(values)
    if n == 0:
        raise ValueError("net sentiment needs at least one scored comment")
    labels = [label(v) for v in values]
    positive = labels.count(1)
    negative = labels.count(-1)
    net = (positive - negative) / n
    variance = max((positive + negative) / n - net * net, 0.0)
    half = Z_95 * math.sqrt(variance / n)
    return NetSentiment(
        n=n,
        positive=positive,
        neutral=n - positive - negative,
        negative=negative,
        net=net,
        ci_low=max(-1.0, net - half),
        ci_high=min(1.0, net + half),
        mean_compound=sum(values) / n,
    )
