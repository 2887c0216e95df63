"""The follower-level fake-account model at run time: features, loading, scoring, prior shift.

The model is a logistic regression on log-scaled profile counts with Platt calibration, stored
as plain JSON (``fake_model.json`` next to this module) and evaluated here with the standard
library alone: no pickle, no scikit-learn at run time. Training lives in ``training.py``
(``infludesk train-fake-model``).

Only features a platform shows for any account are used: followers, following, posts, has a
profile picture, is private, digits / length of the username, and (optionally) biography
length. Two variants are stored, with and without biography length, so accounts whose bio
length is unknown are scored by a model trained without it instead of by a guess.

No Django here, so the model can be used from scripts and pure code alike.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infludesk.authenticity.audience import prior_shift

DEFAULT_MODEL_PATH = Path(__file__).with_name("fake_model.json")
MODEL_FORMAT = "infludesk-fake-account-logit/1"
DEFAULT_DEPLOYMENT_PRIOR = 0.10
"""Share of fake accounts assumed in a real audience when none is given (industry audits
commonly report around 10% inauthentic followers; settable per call and by setting)."""

BASE_FEATURES = (
    "log_followers",
    "log_following",
    "log_posts",
    "has_profile_pic",
    "is_private",
    "username_digit_ratio",
)
BIO_FEATURE = "log_bio_length"


@dataclass(frozen=True)
class AccountFeatures:
    """The public profile facts of one account (a follower, usually)."""

    followers: int
    following: int
    posts: int
    has_profile_pic: bool
    is_private: bool
    username_digit_ratio: float
    bio_length: int | None = None


def username_digit_ratio(handle: str) -> float:
    """Digits / length of a username, rounded to 2 decimals as in the training data.

    "anna_1987" has 4 digits in 9 characters -> 0.44. An empty handle gives 0.0.
    """
    name = handle.lstrip("@")
    if not name:
        return 0.0
    return round(sum(ch.isdigit() for ch in name) / len(name), 2)


def feature_vector(account: AccountFeatures, *, with_bio: bool) -> list[float]:
    """The model's inputs: log(1 + count) for followers, following, posts (and bio length),
    the two flags as 0/1 and the digit ratio as is. Logs because counts span six orders of
    magnitude and fake accounts differ from real ones by ratios, not differences."""
    values = [
        math.log1p(max(account.followers, 0)),
        math.log1p(max(account.following, 0)),
        math.log1p(max(account.posts, 0)),
        1.0 if account.has_profile_pic else 0.0,
        1.0 if account.is_private else 0.0,
        float(account.username_digit_ratio),
    ]
    if with_bio:
        if account.bio_length is None:
            raise ValueError("bio_length is required by the with-bio model")
        values.append(math.log1p(max(account.bio_length, 0)))
    return values


@dataclass(frozen=True)
class LogitVariant:
    """One calibrated logistic regression: s = coef . (x - mean) / scale + intercept,
    p(fake) at the training prior = 1 / (1 + exp(a * s + b)) (Platt scaling, as in
    scikit-learn's sigmoid calibration)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    platt_a: float
    platt_b: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogitVariant:
        variant = cls(
            features=tuple(data["features"]),
            mean=tuple(float(v) for v in data["scaler_mean"]),
            scale=tuple(float(v) for v in data["scaler_scale"]),
            coef=tuple(float(v) for v in data["coef"]),
            intercept=float(data["intercept"]),
            platt_a=float(data["platt"]["a"]),
            platt_b=float(data["platt"]["b"]),
        )
        n = len(variant.features)
        if not (len(variant.mean) == len(variant.scale) == len(variant.coef) == n):
            raise ValueError("model file: features, scaler and coefficients differ in length")
        return variant

    def decision(self, x: Sequence[float]) -> float:
        return self.intercept + sum(
            c * (v - m) / s for c, v, m, s in zip(self.coef, x, self.mean, self.scale, strict=True)
        )

    def probability(self, x: Sequence[float]) -> float:
        z = self.platt_a * self.decision(x) + self.platt_b
        # Numerically stable logistic of -z.
        if z >= 0:
            e = math.exp(-z)
            return e / (1 + e)
        return 1 / (1 + math.exp(z))


@dataclass(frozen=True)
class FakeAccountModel:
    """Both variants plus the prior they were trained under and the file's metadata."""

    with_bio: LogitVariant
    without_bio: LogitVariant
    training_prior: float
    metadata: dict[str, Any]

    def probability(
        self, account: AccountFeatures, *, prior: float | None = DEFAULT_DEPLOYMENT_PRIOR
    ) -> float:
        """P(fake) for one account, corrected to ``prior`` (None = keep the training prior,
        i.e. the calibrated 50/50 probability used for the held-out figures)."""
        with_bio = account.bio_length is not None
        variant = self.with_bio if with_bio else self.without_bio
        p = variant.probability(feature_vector(account, with_bio=with_bio))
        if prior is None:
            return p
        return prior_shift(p, from_prior=self.training_prior, to_prior=prior)

    def probabilities(
        self, accounts: Sequence[AccountFeatures], *, prior: float | None = DEFAULT_DEPLOYMENT_PRIOR
    ) -> list[float]:
        return [self.probability(a, prior=prior) for a in accounts]


def model_from_dict(data: dict[str, Any]) -> FakeAccountModel:
    if data.get("format") != MODEL_FORMAT:
        raise ValueError(
            f"model file: expected format {MODEL_FORMAT!r}, got {data.get('format')!r}"
        )
    variants = data["variants"]
    return FakeAccountModel(
        with_bio=LogitVariant.from_dict(variants["with_bio"]),
        without_bio=LogitVariant.from_dict(variants["without_bio"]),
        training_prior=float(data["training_prior"]),
        metadata={k: v for k, v in data.items() if k != "variants"},
    )


_CACHE: dict[Path, tuple[float, FakeAccountModel]] = {}


def load_model(path: Path | str | None = None) -> FakeAccountModel:
    """Load the model file (default: the committed ``fake_model.json``); cached per path and
    modification time so a retrained file is picked up without a restart."""
    file_path = Path(path) if path else DEFAULT_MODEL_PATH
    mtime = file_path.stat().st_mtime
    cached = _CACHE.get(file_path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    model = model_from_dict(json.loads(file_path.read_text(encoding="utf-8")))
    _CACHE[file_path] = (mtime, model)
    return model
