"""Bootstrap confidence intervals for each channel's share of the credited conversions.

The unit of resampling is the journey: a table of N journeys (N = sum of conversions + nulls)
is redrawn as N journeys with replacement, i.e. the counts of the 2n cells (path i converted,
path i not converted) are one multinomial draw with probabilities count / N. Each replicate
re-runs the model; the interval is the percentile interval of the replicate shares
(share = channel credit / total credit). Seeded, so the same seed gives the same intervals.

For the touch-weight models the credit is linear in the conversions, credit = W^T conv with the
sparse paths x channels weight matrix W built once, so a replicate is one sparse mat-vec.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from infludesk.attribution.engine.markov import markov
from infludesk.attribution.engine.models import TOUCH_WEIGHT_MODELS, shares, touch_weights
from infludesk.attribution.engine.paths import FloatArray, PathTable


@dataclass(frozen=True)
class ShareIntervals:
    channels: tuple[str, ...]
    share: FloatArray
    low: FloatArray
    high: FloatArray
    level: float
    n_boot: int


def bootstrap_shares(
    table: PathTable,
    model: str,
    *,
    n_boot: int = 200,
    seed: int = 0,
    level: float = 0.95,
    half_life: float = 1.0,
) -> ShareIntervals:
    """Percentile bootstrap interval of each channel's credit share (see module doc)."""
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    if n_boot < 1:
        raise ValueError("n_boot must be >= 1")
    rng = np.random.default_rng(seed)
    counts = np.concatenate([table.conversions, table.nulls])
    n_journeys = int(counts.sum())
    replicate = _replicate_fn(table, model, half_life)
    point = replicate(table.conversions, table.nulls)
    if n_journeys == 0:
        zero = np.zeros(table.n_channels)
        return ShareIntervals(table.channels, zero, zero, zero.copy(), level, n_boot)
    probs = counts / n_journeys
    draws = np.empty((n_boot, table.n_channels))
    n = table.n_paths
    for b in range(n_boot):
        cell = rng.multinomial(n_journeys, probs).astype(np.float64)
        draws[b] = replicate(cell[:n], cell[n:])
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(draws, [alpha, 1.0 - alpha], axis=0)
    return ShareIntervals(table.channels, point, low, high, level, n_boot)


Replicate = Callable[[FloatArray, FloatArray], FloatArray]


def _replicate_fn(table: PathTable, model: str, half_life: float) -> Replicate:
    per_conversion = np.divide(
        table.values,
        table.conversions,
        out=np.zeros_like(table.values),
        where=table.conversions > 0,
    )
    if model == "markov":

        def run_markov(conv: FloatArray, null: FloatArray) -> FloatArray:
            return shares(markov(table.with_counts(conv, null, conv * per_conversion)).credit)

        return run_markov
    if model not in TOUCH_WEIGHT_MODELS:
        raise ValueError(f"unknown model {model!r}")
    weights = touch_weights(table, model, half_life)
    matrix = sp.csr_matrix(
        (weights, (table.touch_path, table.touches)),
        shape=(table.n_paths, table.n_channels),
    ).T.tocsr()

    def run_linear(conv: FloatArray, null: FloatArray) -> FloatArray:
        return shares(np.asarray(matrix @ conv, dtype=np.float64).ravel())

    return run_linear
