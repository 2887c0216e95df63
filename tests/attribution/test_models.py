"""Hand-worked examples for every model on one small file (numbers worked out in comments)."""

from __future__ import annotations

import math

import pytest

from infludesk.attribution.engine import attribute, parse_journeys

# Totals: 6 conversions, value 55. E is on a 0/0 row: listed, gets 0 everywhere.
HAND = """path,conversions,null,value
A > B > C,2,1,20
A > A > B,3,0,30
B,1,0,5
C > D,0,4,0
E,0,0,0
"""


def run(model: str, **kw: float) -> tuple[dict[str, float], dict[str, float]]:
    out = attribute(parse_journeys(HAND), model, **kw).as_dict()
    return out["credit"], out["value"]


def approx(d: dict[str, float]) -> dict[str, object]:
    return {k: pytest.approx(v, rel=1e-12, abs=1e-12) for k, v in d.items()}


def test_given_hand_file_when_last_touch_then_each_path_credits_its_last_channel():
    # A>B>C -> C gets 2 (20); A>A>B -> B gets 3 (30); B -> B gets 1 (5).
    credit, value = run("last_touch")
    assert credit == {"A": 0.0, "B": 4.0, "C": 2.0, "D": 0.0, "E": 0.0}
    assert value == {"A": 0.0, "B": 35.0, "C": 20.0, "D": 0.0, "E": 0.0}


def test_given_hand_file_when_first_touch_then_each_path_credits_its_first_channel():
    # A>B>C -> A 2 (20); A>A>B -> A 3 (30); B -> B 1 (5).
    credit, value = run("first_touch")
    assert credit == {"A": 5.0, "B": 1.0, "C": 0.0, "D": 0.0, "E": 0.0}
    assert value == {"A": 50.0, "B": 5.0, "C": 0.0, "D": 0.0, "E": 0.0}


def test_given_repeated_channel_when_linear_then_split_per_occurrence():
    # A>B>C: 2/3 each (20/3 each). A>A>B: A twice -> A 2 (20), B 1 (10). B: 1 (5).
    # A = 2/3 + 2 = 8/3, B = 2/3 + 1 + 1 = 8/3, C = 2/3; values 80/3, 65/3, 20/3.
    credit, value = run("linear")
    assert credit == approx({"A": 8 / 3, "B": 8 / 3, "C": 2 / 3, "D": 0.0, "E": 0.0})
    assert value == approx({"A": 80 / 3, "B": 65 / 3, "C": 20 / 3, "D": 0.0, "E": 0.0})


def test_given_hand_file_when_position_based_then_40_20_40_per_occurrence():
    # A>B>C x2: A .8, B .4, C .8 (values 8, 4, 8). A>A>B x3: A (.4 + .2) x 3 = 1.8, B 1.2
    # (values 18, 12). B: 1 (5). A = 2.6, B = 2.6, C = .8; values 26, 21, 8.
    credit, value = run("position_based")
    assert credit == approx({"A": 2.6, "B": 2.6, "C": 0.8, "D": 0.0, "E": 0.0})
    assert value == approx({"A": 26.0, "B": 21.0, "C": 8.0, "D": 0.0, "E": 0.0})


def test_given_two_touches_when_position_based_then_half_each():
    table = parse_journeys("path,conversions,null,value\nA > B,4,0,10\n")
    out = attribute(table, "position_based").as_dict()
    assert out["credit"] == {"A": 2.0, "B": 2.0}
    assert out["value"] == {"A": 5.0, "B": 5.0}


def test_given_four_touches_when_position_based_then_middle_20_split():
    # A > B > C > D, 10 conversions: A 4, B 1, C 1, D 4.
    table = parse_journeys("path,conversions,null,value\nA > B > C > D,10,0,0\n")
    assert attribute(table, "position_based").as_dict()["credit"] == approx(
        {"A": 4.0, "B": 1.0, "C": 1.0, "D": 4.0}
    )


def test_given_half_life_1_when_time_decay_then_weights_halve_per_step():
    # 3 touches: raw 1/4, 1/2, 1 -> 1/7, 2/7, 4/7. A>B>C x2: A 2/7, B 4/7, C 8/7.
    # A>A>B x3: A (1/4 + 1/2)/(7/4) = 3/7 -> 9/7, B 12/7. B: 1.
    # A = 11/7, B = 23/7, C = 8/7; values 110/7, 195/7, 80/7.
    credit, value = run("time_decay")
    assert credit == approx({"A": 11 / 7, "B": 23 / 7, "C": 8 / 7, "D": 0.0, "E": 0.0})
    assert value == approx({"A": 110 / 7, "B": 195 / 7, "C": 80 / 7, "D": 0.0, "E": 0.0})


def test_given_half_life_2_when_time_decay_then_weight_is_two_to_minus_k_over_2():
    # A > B, 3 conversions: raw 2^-0.5 and 1 -> A 3 x r/(1+r), B 3/(1+r), r = 1/sqrt(2).
    table = parse_journeys("path,conversions,null,value\nA > B,3,0,0\n")
    r = 2**-0.5
    out = attribute(table, "time_decay", half_life=2.0).as_dict()
    assert out["credit"] == approx({"A": 3 * r / (1 + r), "B": 3 / (1 + r)})


def test_given_repeated_channel_when_shapley_then_split_over_distinct_channels():
    # A>B>C: 2/3 each. A>A>B: distinct {A, B}: 1.5 each (values 15). B: 1 (5).
    # A = 2/3 + 3/2 = 13/6, B = 2/3 + 3/2 + 1 = 19/6, C = 2/3; values 65/3, 80/3, 20/3.
    credit, value = run("shapley")
    assert credit == approx({"A": 13 / 6, "B": 19 / 6, "C": 2 / 3, "D": 0.0, "E": 0.0})
    assert value == approx({"A": 65 / 3, "B": 80 / 3, "C": 20 / 3, "D": 0.0, "E": 0.0})


def test_given_hand_file_when_markov_then_exact_removal_effects():
    # Counts (A>A self-loop dropped): start: A 6, B 1, C 4; A: B 6; B: C 3, conv 4;
    # C: conv 2, null 1, D 4; D: null 4.
    # x_D = 0, x_C = 2/7, x_B = 3/7 x 2/7 + 4/7 = 34/49, x_A = 34/49,
    # P = (6 x 34/49 + 34/49 + 4 x 2/7) / 11 = 6/11.
    # Without A: (34/49 + 8/7)/11 = 90/539 -> RE 34/49. Without B: (4 x 2/7)/11 = 8/77 ->
    # RE 17/21. Without C: x_B = x_A = 4/7, P = (24/7 + 4/7)/11 = 4/11 -> RE 1/3. D, E: 0.
    # sum RE = 270/147; credit = 6 RE / sum: A 34/15, B 119/45, C 49/45; value = 55/6 credit.
    out = attribute(parse_journeys(HAND), "markov").as_dict()
    assert out["removal_effects"] == approx(
        {"A": 34 / 49, "B": 17 / 21, "C": 1 / 3, "D": 0.0, "E": 0.0}
    )
    assert out["credit"] == approx({"A": 34 / 15, "B": 119 / 45, "C": 49 / 45, "D": 0.0, "E": 0.0})
    assert out["value"] == approx(
        {"A": 55 / 6 * 34 / 15, "B": 55 / 6 * 119 / 45, "C": 55 / 6 * 49 / 45, "D": 0.0, "E": 0.0}
    )


def test_given_no_conversions_when_markov_then_everything_is_zero():
    table = parse_journeys("path,conversions,null,value\nA > B,0,3,0\n")
    out = attribute(table, "markov").as_dict()
    assert out == {
        "model": "markov",
        "credit": {"A": 0.0, "B": 0.0},
        "value": {"A": 0.0, "B": 0.0},
        "removal_effects": {"A": 0.0, "B": 0.0},
    }


@pytest.mark.parametrize(
    "model", ["last_touch", "first_touch", "linear", "position_based", "time_decay", "shapley"]
)
def test_given_any_model_when_run_then_credits_sum_to_the_file_totals(model):
    credit, value = run(model)
    assert math.isclose(sum(credit.values()), 6.0, rel_tol=1e-12)
    assert math.isclose(sum(value.values()), 55.0, rel_tol=1e-12)


def test_given_unknown_model_when_attribute_then_value_error():
    with pytest.raises(ValueError, match="unknown model"):
        attribute(parse_journeys(HAND), "u_shaped")


def test_given_non_positive_half_life_when_time_decay_then_value_error():
    with pytest.raises(ValueError, match="half-life"):
        attribute(parse_journeys(HAND), "time_decay", half_life=0.0)
