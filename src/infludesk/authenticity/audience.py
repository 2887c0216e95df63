"""Audience quality: the estimated share of real followers from a sample of followers (pure).

Input: each sampled follower's calibrated P(fake) from the fake-account model. Output: the real
share with a 95% interval and the sample size. Under 75% real is a strong warning.

Default estimate: real share = mean(1 - p_i), p_i = P(fake) at the deployment prior (10%
unless set). It is conservative: the assumed prior pulls every audience towards 10% fake, so a
40%-fake audience reads about 72% real (still under the 75% warning line).

Optional (``adapt_prior=True``): the EM procedure of Saerens, Latinne and Decaestecker (2002,
"Adjusting the outputs of a classifier to new a priori probabilities") finds the prior pi that
is reproduced by the mean of the posteriors corrected to pi; then real share = 1 - pi. It removes
that pull when the model is well calibrated on the followers at hand, but it amplifies any
mis-scoring: if real followers look slightly fake to the model (a platform or era the 2019
Instagram training data does not cover), every bit of that probability raises pi, which raises
every follower's probability in turn. On the demo's synthetic followers EM read 76-80% real for
audiences that are 94% real, while the plain mean read 82% or more; so the plain mean is the
default and EM an option.

Pure: no Django and no other Infludesk module (import-linter checks it), which is why the prior
shift formula lives here and ``model.py`` imports it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

STRONG_WARNING_BELOW = 0.75
"""Under 75% real followers is a strong warning (the issue's threshold)."""
WARNING_BELOW = 0.85
SMALL_SAMPLE = 50
Z_95 = 1.959963984540054


def prior_shift(p: float, *, from_prior: float, to_prior: float) -> float:
    """Move a calibrated probability from the class prior it was trained under to another.

    Bayes: p = P(fake | x) under prior pi. Dividing out the old prior and multiplying in the
    new one (the likelihood ratio P(x | fake) / P(x | real) does not change):

        p' = p * (pi1' / pi1) / ( p * (pi1' / pi1) + (1 - p) * (pi0' / pi0) )

    with pi1 = from_prior, pi0 = 1 - pi1, pi1' = to_prior, pi0' = 1 - pi1'. From a 50%
    training prior to a 10% audience, p = 0.9 becomes 0.9*0.2 / (0.9*0.2 + 0.1*1.8) = 0.5.
    p = 0 and p = 1 stay as they are.
    """
    for name, prior in (("from_prior", from_prior), ("to_prior", to_prior)):
        if not 0 < prior < 1:
            raise ValueError(f"{name} must be strictly between 0 and 1, got {prior}")
    if p <= 0.0 or p >= 1.0:
        return p
    up = p * (to_prior / from_prior)
    down = (1 - p) * ((1 - to_prior) / (1 - from_prior))
    return up / (up + down)


def wilson_interval(share: float, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``share`` observed in ``n`` draws:

        centre = (s + z^2 / 2n) / (1 + z^2 / n)
        half   = z / (1 + z^2 / n) * sqrt(s (1 - s) / n + z^2 / 4n^2)

    s = 0.8, n = 100 gives (0.7112, 0.8666). Unlike the normal interval it stays inside
    [0, 1] and is sensible for small samples and shares near 0 or 1.
    """
    if n <= 0:
        raise ValueError("n must be positive")
    denominator = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def em_fake_prior(
    p_train: Sequence[float],
    *,
    training_prior: float = 0.5,
    tolerance: float = 1e-9,
    max_iterations: int = 1_000,
) -> float:
    """The sample's own share of fakes by EM (Saerens et al. 2002): start at the training
    prior, then repeat pi <- mean_i shift(p_i, training_prior -> pi) until it stops moving.

    ``p_train`` are probabilities calibrated at ``training_prior``. With well-separated
    probabilities (0.99 for 3 of 10, 0.01 for 7 of 10) it returns about 0.3.
    """
    if not p_train:
        raise ValueError("no probabilities")
    pi = training_prior
    for _ in range(max_iterations):
        # A prior of exactly 0 or 1 is a fixed point of the update; keep pi just inside.
        inner = min(max(pi, 1e-9), 1 - 1e-9)
        updated = sum(
            prior_shift(p, from_prior=training_prior, to_prior=inner) for p in p_train
        ) / len(p_train)
        if abs(updated - pi) < tolerance:
            return updated
        pi = updated
    return pi


@dataclass(frozen=True)
class AudienceQuality:
    sample_size: int
    real_share: float
    ci95: tuple[float, float]
    method: str
    level: str
    """"strong_warning" under 75% real, "warning" under 85%, "ok" otherwise."""
    small_sample: bool

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ci95"] = list(self.ci95)
        return data


def audience_quality(
    fake_probabilities: Sequence[float],
    *,
    prior: float,
    training_prior: float = 0.5,
    adapt_prior: bool = False,
) -> AudienceQuality | None:
    """Estimated share of real followers with a Wilson 95% interval over the sample size.

    ``fake_probabilities`` are P(fake) per sampled follower, corrected to ``prior`` (the
    deployment prior the model was asked for). By default the estimate is the plain
    mean(1 - p). With ``adapt_prior`` they are first moved back to the training prior and the
    sample's own prior is found by EM (see the module docstring for when that is better).
    The interval counts sampling error only (the model's own error, AUC 0.98 held out, is not
    in it). None for an empty sample.
    """
    n = len(fake_probabilities)
    if n == 0:
        return None
    if adapt_prior:
        p_train = [
            prior_shift(p, from_prior=prior, to_prior=training_prior) for p in fake_probabilities
        ]
        real = 1 - em_fake_prior(p_train, training_prior=training_prior)
        method = "EM prior estimate (Saerens et al. 2002), Wilson 95% interval"
    else:
        real = sum(1 - p for p in fake_probabilities) / n
        method = f"mean(1 - p_fake) at prior {prior:g}, Wilson 95% interval"
    real = min(max(real, 0.0), 1.0)
    if real < STRONG_WARNING_BELOW:
        level = "strong_warning"
    elif real < WARNING_BELOW:
        level = "warning"
    else:
        level = "ok"
    return AudienceQuality(
        sample_size=n,
        real_share=real,
        ci95=wilson_interval(real, n),
        method=method,
        level=level,
        small_sample=n < SMALL_SAMPLE,
    )
