"""Survey answers: the mean of numeric scores with a 95% confidence interval. Pure: no Django."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from scipy import stats


@dataclass(frozen=True)
class ScoreMean:
    n: int
    mean: float
    sd: float | None  # sample standard deviation; None for a single answer
    ci_low: float | None
    ci_high: float | None


def score_mean(scores: Iterable[float]) -> ScoreMean:
    """Mean score with its 95% interval from Student's t.

    mean = sum(x) / n; s = sqrt(sum((x - mean)^2) / (n - 1)); SE = s / sqrt(n);
    interval = mean +- t(0.975, n - 1) x SE. With one answer there is no interval.

    Scores 4, 5, 3, 4, 4: mean 4, s = sqrt(2 / 4) = 0.7071, SE = 0.3162, t(0.975, 4) = 2.7764,
    interval 3.122 to 4.878 (3.12201 to 4.87799). Raises ValueError when there is no score.
    """
    values = [float(v) for v in scores]
    n = len(values)
    if n == 0:
        raise ValueError("a mean needs at least one score")
    mean = sum(values) / n
    if n == 1:
        return ScoreMean(n=1, mean=mean, sd=None, ci_low=None, ci_high=None)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return ScoreMean(n=n, mean=mean, sd=sd, ci_low=mean - half, ci_high=mean + half)
