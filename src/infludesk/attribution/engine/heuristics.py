"""Rule-based models and the simplified Shapley value, as per-touch weights.

Every model here gives each touch of a path a weight; the weights of one path sum to 1. A
channel's credit is sum over touches of weight x the path's conversions (value likewise), so
credits always add up to the table's total conversions and value. Definitions (path of m
touches, position j = 0..m-1, k = m-1-j steps before the conversion):

- last_touch: w = 1 for j = m-1.        - first_touch: w = 1 for j = 0.
- linear: w = 1/m (a repeated channel is counted once per occurrence).
- position_based: m = 1 -> 1; m = 2 -> 1/2 each; m >= 3 -> 0.4 first, 0.4 last and
  0.2/(m-2) to each middle touch.
- time_decay: w ~ 2^(-k/h), h = half-life in steps (default 1), normalised per path.
- shapley (Zhao et al. 2018, simplified Shapley value): the Shapley value of the game
  v(S) = conversions of the paths whose set of distinct channels is contained in S; in closed
  form each path's conversions are split equally among its d distinct channels: w = 1/d on the
  first occurrence of each distinct channel.
"""

from __future__ import annotations

import numpy as np

from infludesk.attribution.engine.paths import FloatArray, PathTable, weighted_bincount


def last_touch_weights(table: PathTable) -> FloatArray:
    w = np.zeros(len(table.touches))
    w[table.offsets[1:] - 1] = 1.0
    return w


def first_touch_weights(table: PathTable) -> FloatArray:
    w = np.zeros(len(table.touches))
    w[table.offsets[:-1]] = 1.0
    return w


def linear_weights(table: PathTable) -> FloatArray:
    return 1.0 / np.repeat(table.lengths, table.lengths).astype(np.float64)


def position_based_weights(table: PathTable, first: float = 0.4, last: float = 0.4) -> FloatArray:
    m = np.repeat(table.lengths, table.lengths)
    j = table.touch_position
    middle = (1.0 - first - last) / np.maximum(m - 2, 1)
    w = np.where(j == 0, first, np.where(j == m - 1, last, middle))
    w = np.where(m == 2, 0.5, w)
    return np.where(m == 1, 1.0, w)


def time_decay_weights(table: PathTable, half_life: float = 1.0) -> FloatArray:
    if not half_life > 0:
        raise ValueError("half-life must be > 0")
    m = np.repeat(table.lengths, table.lengths)
    k = (m - 1 - table.touch_position).astype(np.float64)
    raw = np.exp2(-k / half_life)
    # The last touch has raw weight 1, so no path sum can underflow to 0.
    sums = weighted_bincount(table.touch_path, raw, table.n_paths)
    return raw / sums[table.touch_path]


def shapley_weights(table: PathTable) -> FloatArray:
    row = table.touch_path
    key = row * max(table.n_channels, 1) + table.touches
    _, first_index = np.unique(key, return_index=True)
    distinct = np.bincount(row[first_index], minlength=table.n_paths)
    w = np.zeros(len(table.touches))
    w[first_index] = 1.0 / distinct[row[first_index]]
    return w


def credit_from_weights(table: PathTable, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(conversions, value) per channel: sum of touch weight x its path's counts."""
    row = table.touch_path
    k = table.n_channels
    conv = weighted_bincount(table.touches, weights * table.conversions[row], k)
    value = weighted_bincount(table.touches, weights * table.values[row], k)
    return conv, value
