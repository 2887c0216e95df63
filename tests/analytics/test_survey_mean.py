"""Mean survey score with a Student-t 95% interval: hand-worked and against scipy."""

from __future__ import annotations

import pytest
from scipy import stats

from infludesk.analytics.metrics.survey import score_mean


def test_given_scores_4_5_3_4_4_then_mean_4_and_interval_3_12_to_4_88():
    result = score_mean([4, 5, 3, 4, 4])
    # s = sqrt(2 / 4) = 0.70711; SE = 0.31623; t(0.975, 4) = 2.77645; half = 0.87799
    assert (result.n, result.mean) == (5, 4.0)
    assert result.sd == pytest.approx(0.707107, abs=1e-6)
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(3.122011, abs=1e-6),
        pytest.approx(4.877989, abs=1e-6),
    )


def test_the_interval_matches_scipys_t_interval():
    scores = [7, 9, 10, 6, 8, 8, 9]
    result = score_mean(scores)
    low, high = stats.t.interval(0.95, len(scores) - 1, loc=8.142857, scale=stats.sem(scores))
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(low, abs=1e-5),
        pytest.approx(high, abs=1e-5),
    )


def test_given_one_score_then_no_interval():
    assert score_mean([9]) == score_mean([9.0])
    assert (score_mean([9]).ci_low, score_mean([9]).sd) == (None, None)


def test_given_no_score_then_value_error():
    with pytest.raises(ValueError, match="at least one score"):
        score_mean([])
