"""Cost estimates: hand-worked examples of the formulas in creators/costs.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.creators import costs


def test_given_the_defaults_when_pricing_a_post_per_tier_then_the_industry_ranges_come_back():
    got = {t: costs.default_cost_range(t, "post") for t in costs.TIERS}
    assert got == {
        "below_nano": costs.CostRange(Decimal("0.00"), Decimal("10.00")),
        "nano": costs.CostRange(Decimal("10.00"), Decimal("100.00")),
        "micro": costs.CostRange(Decimal("100.00"), Decimal("500.00")),
        "macro": costs.CostRange(Decimal("500.00"), Decimal("5000.00")),
        "mega": costs.CostRange(Decimal("5000.00"), Decimal("50000.00")),
    }


def test_given_a_macro_reel_when_priced_then_the_post_range_times_1_5():
    # 500 x 1.5 = 750; 5,000 x 1.5 = 7,500
    assert costs.default_cost_range("macro", "reel") == costs.CostRange(
        Decimal("750.00"), Decimal("7500.00")
    )


def test_given_a_micro_story_when_priced_then_half_a_post():
    assert costs.default_cost_range("micro", "story") == costs.CostRange(
        Decimal("50.00"), Decimal("250.00")
    )


def test_given_a_workspace_price_when_pricing_then_it_replaces_the_default():
    table = {("micro", "post"): (Decimal("300"), Decimal("900"))}
    assert costs.cost_range("micro", "post", table) == costs.CostRange(
        Decimal("300"), Decimal("900")
    )
    # other cells keep the default
    assert costs.cost_range("nano", "post", table).high == Decimal("100.00")


@pytest.mark.parametrize(("tier", "fmt"), [("giga", "post"), ("micro", "podcast")])
def test_given_an_unknown_tier_or_format_when_priced_then_a_clear_error(tier, fmt):
    with pytest.raises(ValueError, match="Unknown"):
        costs.default_cost_range(tier, fmt)


def test_given_50k_instagram_followers_when_estimating_reach_then_20_percent():
    # micro Instagram reach rate 0.20: 50,000 x 0.20 = 10,000
    assert costs.expected_reach(50_000, "instagram", "micro") == 10_000


def test_given_an_unknown_platform_when_estimating_reach_then_the_other_row_is_used():
    # other/macro 0.10: 200,000 x 0.10 = 20,000
    assert costs.expected_reach(200_000, "snapchat", "macro") == 20_000


def test_given_reach_and_er_when_estimating_engagements_then_reach_times_er():
    assert costs.expected_engagements(10_000, Decimal("2.0")) == 200
    assert costs.expected_engagements(10_000, None) is None


def test_cpm_and_cpe_by_hand():
    assert costs.cpm(Decimal("100"), 10_000) == Decimal("10.00")
    assert costs.cpm(Decimal("333"), 7_000) == Decimal("47.57")  # 333/7000*1000 = 47.571
    assert costs.cpm(Decimal("100"), 0) is None
    assert costs.cpe(Decimal("500"), 200) == Decimal("2.50")
    assert costs.cpe(Decimal("500"), 0) is None


def test_given_the_docstring_example_when_estimated_then_every_figure_matches():
    # micro Instagram, 50,000 followers, ER 2.0 %, a post at 100-500
    got = costs.estimate(followers=50_000, platform="instagram", tier="micro", er_pct=2.0)
    assert got == costs.CostEstimate(
        format="post",
        cost=costs.CostRange(Decimal("100.00"), Decimal("500.00")),
        reach=10_000,
        engagements=200,
        cpm_low=Decimal("10.00"),
        cpm_high=Decimal("50.00"),
        cpe_low=Decimal("0.50"),
        cpe_high=Decimal("2.50"),
    )


def test_given_a_youtube_mega_video_without_er_then_cpm_but_no_cpe():
    # reach 2,000,000 x 0.10 = 200,000; cost 10,000-100,000; CPM 50.00-500.00
    got = costs.estimate(
        followers=2_000_000, platform="youtube", tier="mega", er_pct=None, fmt="video"
    )
    assert (got.reach, got.engagements) == (200_000, None)
    assert (got.cpm_low, got.cpm_high) == (Decimal("50.00"), Decimal("500.00"))
    assert (got.cpe_low, got.cpe_high) == (None, None)
