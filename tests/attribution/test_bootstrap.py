"""Bootstrap intervals of the credit shares: seeded, bounded, degenerate cases exact."""

from __future__ import annotations

import numpy as np
import pytest

from infludesk.attribution.engine import bootstrap_shares, parse_journeys

FILE = """path,conversions,null,value
A > B,30,20,300
B,10,40,100
C > A,5,5,50
"""


@pytest.mark.parametrize("model", ["linear", "markov"])
def test_given_same_seed_when_bootstrapped_twice_then_identical_intervals(model):
    table = parse_journeys(FILE)
    a = bootstrap_shares(table, model, n_boot=40, seed=11)
    b = bootstrap_shares(table, model, n_boot=40, seed=11)
    assert np.array_equal(a.low, b.low)
    assert np.array_equal(a.high, b.high)


def test_given_linear_model_when_bootstrapped_then_point_share_is_the_model_share():
    # linear: A = 15 + 2.5 = 17.5, B = 15 + 10 = 25, C = 2.5 of 45 conversions.
    ci = bootstrap_shares(parse_journeys(FILE), "linear", n_boot=50, seed=1)
    assert ci.share.tolist() == pytest.approx([17.5 / 45, 25 / 45, 2.5 / 45])
    assert np.all(ci.low <= ci.high)
    assert np.all((ci.low >= 0) & (ci.high <= 1))


def test_given_one_channel_when_bootstrapped_then_interval_is_exactly_one():
    ci = bootstrap_shares(parse_journeys("path,conversions,null,value\nA,3,2,9\n"), "markov")
    assert ci.share.tolist() == [1.0]
    assert ci.low.tolist() == [1.0]
    assert ci.high.tolist() == [1.0]


def test_given_more_journeys_when_bootstrapped_then_interval_narrows():
    small = parse_journeys(FILE)
    big = small.with_counts(small.conversions * 100, small.nulls * 100, small.values * 100)
    w_small = bootstrap_shares(small, "last_touch", n_boot=100, seed=2)
    w_big = bootstrap_shares(big, "last_touch", n_boot=100, seed=2)
    # last touch: C never ends a path, so only A and B have a share that can vary.
    assert np.all((w_big.high - w_big.low)[:2] < (w_small.high - w_small.low)[:2])
    assert w_big.low[2] == w_big.high[2] == 0.0


def test_given_bad_level_when_bootstrapped_then_value_error():
    with pytest.raises(ValueError, match="level"):
        bootstrap_shares(parse_journeys(FILE), "linear", level=1.5)
