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


# ------------------------------------------------------------ where the defaults come from


def test_every_default_has_its_basis_next_to_it():
    assert set(costs.POST_RANGE_BASIS) == set(costs.DEFAULT_POST_RANGES)
    assert set(costs.FORMAT_BASIS) == set(costs.FORMAT_MULTIPLIERS)
    assert set(costs.REACH_BASIS) == set(costs.DEFAULT_REACH_RATES)


def test_defaults_without_a_published_source_are_marked_our_assumption():
    assumed = {
        (kind, key)
        for kind, table in (
            ("post", costs.POST_RANGE_BASIS),
            ("format", costs.FORMAT_BASIS),
            ("reach", costs.REACH_BASIS),
        )
        for key, basis in table.items()
        if basis.is_assumption
    }
    assert assumed == {
        ("post", "below_nano"),
        ("format", "post"),
        ("format", "short"),
        ("reach", "tiktok"),
        ("reach", "other"),
    }
    for table in (costs.POST_RANGE_BASIS, costs.FORMAT_BASIS, costs.REACH_BASIS):
        for basis in table.values():
            if basis.is_assumption and basis is not costs.FORMAT_BASIS["post"]:
                assert basis.note.startswith("Our assumption")


def test_every_source_names_title_publisher_year_and_an_https_url():
    sources = {
        s
        for table in (costs.POST_RANGE_BASIS, costs.FORMAT_BASIS, costs.REACH_BASIS)
        for b in table.values()
        for s in b.sources
    }
    assert len(sources) == 8
    for s in sources:
        assert s.title and s.publisher and s.url.startswith("https://")
        assert s.year == "n.d." or (s.year.isdigit() and len(s.year) == 4)


def test_the_issue_example_ranges_are_the_defaults_and_cited():
    # nano 10-100 and micro 100-500 are quoted by all three pricing guides
    assert costs.POST_RANGE_BASIS["nano"].sources == (
        costs.WORD_ON_THE_BLOCK,
        costs.AINFLUENCER,
        costs.BOOST52,
    )
    assert "our assumption" in costs.POST_RANGE_BASIS["mega"].note
