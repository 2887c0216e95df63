"""Net sentiment of comments (VADER compound scores) with its 95% interval: hand-worked."""

from __future__ import annotations

import pytest
from scipy import stats

from infludesk.analytics.metrics.sentiment import compound, label, net_sentiment

POS, NEU, NEG = 0.6, 0.0, -0.6


def test_given_texts_then_vaders_compound_scores_come_from_its_shipped_lexicon():
    assert compound("Love it! 😍") == 0.8172
    assert compound("I hate this") == -0.5719
    assert compound("Where can I buy this?") == 0.0
    assert compound("Not good at all") == -0.3412  # negation flips "good"


@pytest.mark.parametrize(
    ("score", "expected"), [(0.05, 1), (0.0499, 0), (0.0, 0), (-0.0499, 0), (-0.05, -1)]
)
def test_given_vaders_cut_offs_then_comments_are_labelled(score, expected):
    assert label(score) == expected


def test_given_6_positive_2_negative_2_neutral_then_net_is_0_4_with_a_wide_interval():
    result = net_sentiment([POS] * 6 + [NEG] * 2 + [NEU] * 2)
    # net = (6 - 2) / 10; s^2 = 0.8 - 0.16 = 0.64; SE = sqrt(0.064) = 0.25298; half = 0.49584
    assert (result.n, result.positive, result.neutral, result.negative) == (10, 6, 2, 2)
    assert result.net == pytest.approx(0.4)
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(-0.095836, abs=1e-6),
        pytest.approx(0.895836, abs=1e-6),
    )
    assert result.mean_compound == pytest.approx(0.24)  # (3.6 - 1.2) / 10


def test_given_the_same_shares_in_100_comments_then_the_interval_narrows():
    result = net_sentiment([POS] * 60 + [NEG] * 20 + [NEU] * 20)
    # SE = sqrt(0.64 / 100) = 0.08; half = 1.96 x 0.08 = 0.1568
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(0.243203, abs=1e-6),
        pytest.approx(0.556797, abs=1e-6),
    )


def test_the_interval_matches_scipys_normal_interval():
    result = net_sentiment([POS] * 60 + [NEG] * 20 + [NEU] * 20)
    low, high = stats.norm.interval(0.95, loc=0.4, scale=0.08)
    assert (result.ci_low, result.ci_high) == (pytest.approx(low), pytest.approx(high))


def test_given_9_positive_1_negative_then_the_interval_is_clipped_at_1():
    result = net_sentiment([POS] * 9 + [NEG])
    # net 0.8; s^2 = 1 - 0.64 = 0.36; SE = 0.18974; half = 0.37188 -> 1.17188 clipped
    assert (result.net, result.ci_high) == (pytest.approx(0.8), 1.0)
    assert result.ci_low == pytest.approx(0.428123, abs=1e-6)


def test_given_no_comment_then_value_error():
    with pytest.raises(ValueError, match="at least one scored comment"):
        net_sentiment([])
