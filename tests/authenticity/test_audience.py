"""Audience quality (pure): prior shift, Wilson interval, EM prior estimate, warning levels."""

from __future__ import annotations

import pytest

from infludesk.authenticity.audience import (
    audience_quality,
    em_fake_prior,
    prior_shift,
    wilson_interval,
)


def test_prior_shift_from_50_to_10_percent_by_hand():
    # p' = 0.9 x 0.2 / (0.9 x 0.2 + 0.1 x 1.8) = 0.18 / 0.36
    assert prior_shift(0.9, from_prior=0.5, to_prior=0.1) == pytest.approx(0.5)
    # p = 0.5 at a 50% prior means likelihood ratio 1, so it becomes the new prior
    assert prior_shift(0.5, from_prior=0.5, to_prior=0.1) == pytest.approx(0.1)


def test_prior_shift_to_the_same_prior_changes_nothing_and_round_trips():
    assert prior_shift(0.37, from_prior=0.5, to_prior=0.5) == pytest.approx(0.37)
    there = prior_shift(0.37, from_prior=0.5, to_prior=0.02)
    assert prior_shift(there, from_prior=0.02, to_prior=0.5) == pytest.approx(0.37)


def test_prior_shift_keeps_certainties():
    assert prior_shift(0.0, from_prior=0.5, to_prior=0.1) == 0.0
    assert prior_shift(1.0, from_prior=0.5, to_prior=0.1) == 1.0


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5])
def test_prior_shift_rejects_priors_outside_0_1(bad):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        prior_shift(0.5, from_prior=0.5, to_prior=bad)


def test_wilson_interval_by_hand():
    # s = 0.8, n = 100: centre (0.8 + 0.019207) / 1.038415, half 0.077731
    low, high = wilson_interval(0.8, 100)
    assert low == pytest.approx(0.71117, abs=1e-5)
    assert high == pytest.approx(0.86663, abs=1e-5)


def test_wilson_interval_stays_inside_0_1_for_extreme_shares():
    low, high = wilson_interval(1.0, 10)
    assert high == pytest.approx(1.0)
    assert low == pytest.approx(0.72247, abs=1e-5)


def test_em_recovers_the_sample_prior_from_separated_probabilities():
    # 3 of 10 near-certain fakes: the sample's fake share is about 0.3
    assert em_fake_prior([0.99] * 3 + [0.01] * 7) == pytest.approx(0.2959, abs=1e-4)


def test_audience_quality_reports_share_interval_and_sample_size():
    # given 100 followers: 20 certain fakes and 80 certain real accounts (at a 10% prior)
    quality = audience_quality([1.0] * 20 + [0.0] * 80, prior=0.1)
    assert quality is not None
    assert quality.sample_size == 100
    assert quality.real_share == pytest.approx(0.8)
    assert quality.ci95 == pytest.approx((0.71117, 0.86663), abs=1e-5)
    assert quality.level == "warning"
    assert quality.small_sample is False


def test_under_75_percent_real_is_a_strong_warning():
    quality = audience_quality([1.0] * 30 + [0.0] * 70, prior=0.1)
    assert quality is not None
    assert quality.real_share == pytest.approx(0.7)
    assert quality.level == "strong_warning"


def test_em_option_corrects_the_pull_of_the_assumed_prior():
    # given 40 fakes the model puts at 0.95 and 60 real at 0.05 (at the 50% training prior),
    # shifted to the 10% deployment prior as stored
    stored = [prior_shift(0.95, from_prior=0.5, to_prior=0.1)] * 40 + [
        prior_shift(0.05, from_prior=0.5, to_prior=0.1)
    ] * 60
    # when averaged plainly (the default), the 10% prior drags the estimate to 72.5% real:
    # fakes become 0.6786 and real accounts 0.0058, 1 - (0.4 x 0.6786 + 0.6 x 0.0058)
    naive = audience_quality(stored, prior=0.1)
    assert naive is not None
    assert naive.real_share == pytest.approx(0.72508, abs=1e-5)
    # but EM finds the sample's own prior pi = 7/18 (check: 0.4 x 133/144 + 0.6 x 7/216 = 7/18,
    # the fixed point for likelihood ratios 19 and 1/19), so 11/18 = 61.1% real, near the true 60%
    adapted = audience_quality(stored, prior=0.1, adapt_prior=True)
    assert adapted is not None
    assert adapted.real_share == pytest.approx(11 / 18, abs=1e-6)
    assert adapted.level == "strong_warning"


def test_all_real_audience_is_ok_and_small_samples_say_so():
    quality = audience_quality([0.001] * 20, prior=0.1)
    assert quality is not None
    assert quality.level == "ok"
    assert quality.small_sample is True


def test_empty_sample_has_no_estimate():
    assert audience_quality([], prior=0.1) is None
