"""Property tests of the engine: invariants that hold for every input (checked by hypothesis)."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from infludesk.attribution.engine import MODELS, attribute, group_journeys, table_from_rows

TOUCH_MODELS = ["last_touch", "first_touch", "linear", "position_based", "time_decay", "shapley"]
CHANNELS = "ABCDE"

paths = st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=6)
row = st.tuples(paths, st.integers(0, 6), st.integers(0, 6), st.integers(0, 500))
rows_strategy = st.lists(row, min_size=1, max_size=10).map(
    # value only where there are conversions, as in real data
    lambda rs: [(p, c, n, float(v) if c else 0.0) for p, c, n, v in rs]
)


def result(rows, model, half_life=1.0):
    out = attribute(table_from_rows(rows), model, half_life=half_life)
    return out.as_dict()


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.sampled_from(MODELS), st.floats(0.25, 4.0))
def test_credits_sum_to_total_conversions_and_value(rows, model, half_life):
    total_conv = sum(r[1] for r in rows)
    total_value = sum(r[3] for r in rows)
    out = result(rows, model, half_life)
    assert math.isclose(sum(out["credit"].values()), total_conv, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(sum(out["value"].values()), total_value, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.sampled_from(TOUCH_MODELS))
def test_channel_absent_from_every_converting_path_gets_zero(rows, model):
    on_converting = {c for p, conv, _, _ in rows if conv > 0 for c in p}
    out = result(rows, model)
    for channel, credit in out["credit"].items():
        if channel not in on_converting:
            assert credit == 0.0
            assert out["value"][channel] == 0.0


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.sampled_from(MODELS), st.permutations(CHANNELS))
def test_relabelling_channels_permutes_credits(rows, model, perm):
    rename = dict(zip(CHANNELS, perm, strict=True))
    renamed = [([rename[c] for c in p], conv, n, v) for p, conv, n, v in rows]
    before = result(rows, model)
    after = result(renamed, model)
    for key in ("credit", "value"):
        for channel, credit in before[key].items():
            assert math.isclose(after[key][rename[channel]], credit, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.sampled_from(MODELS), st.integers(0, 9))
def test_splitting_a_row_in_two_changes_nothing(rows, model, which):
    path, conv, null, value = rows[which % len(rows)]
    half = conv // 2
    split = [r for r in rows if r is not rows[which % len(rows)]]
    split += [
        (path, half, null, value * half / conv if conv else 0.0),
        (path, conv - half, 0, value * (conv - half) / conv if conv else 0.0),
    ]
    before, after = result(rows, model), result(split, model)
    for key in ("credit", "value"):
        for channel, credit in before[key].items():
            assert math.isclose(after[key][channel], credit, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_markov_collapsing_repeated_channels_changes_no_removal_effect(rows):
    collapsed = [([c for i, c in enumerate(p) if i == 0 or p[i - 1] != c], *r) for p, *r in rows]
    a = result(rows, "markov")["removal_effects"]
    b = result(collapsed, "markov")["removal_effects"]
    for channel, effect in a.items():
        assert 0.0 <= effect <= 1.0
        assert math.isclose(b[channel], effect, rel_tol=1e-9, abs_tol=1e-12)


def brute_force_shapley(rows):
    """Shapley value of v(S) = conversions of paths whose distinct channels are all in S."""
    players = sorted({c for p, *_ in rows for c in p})
    n = len(players)

    def v(coalition):
        return sum(conv for p, conv, *_ in rows if set(p) <= coalition)

    phi = {}
    for player in players:
        others = [q for q in players if q != player]
        total = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for subset in itertools.combinations(others, size):
                s = set(subset)
                total += weight * (v(s | {player}) - v(s))
        phi[player] = total
    return phi


@settings(max_examples=40, deadline=None)
@given(rows_strategy)
def test_shapley_closed_form_equals_brute_force_shapley_value_of_the_game(rows):
    expected = brute_force_shapley(rows)
    credit = result(rows, "shapley")["credit"]
    for channel, phi in expected.items():
        assert math.isclose(credit[channel], phi, rel_tol=1e-9, abs_tol=1e-9)


journeys = st.lists(
    st.tuples(st.lists(st.integers(0, 2999), min_size=1, max_size=8), st.booleans()),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(journeys, st.sampled_from([3, 3000]))
def test_group_journeys_matches_a_dictionary_count(data, n_channels):
    # 3000 channels make keys overflow 64 bits after 5 touches: exercises the re-ranking.
    data = [([c % n_channels for c in p], conv) for p, conv in data]
    assume(data)
    lengths = [len(p) for p, _ in data]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    touches = np.array([c for p, _ in data for c in p], dtype=np.int64)
    converted = np.array([conv for _, conv in data])
    values = np.arange(len(data), dtype=np.float64)
    table = group_journeys(offsets, touches, converted, values, [str(i) for i in range(n_channels)])
    expected: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for i, (p, conv) in enumerate(data):
        acc = expected[tuple(str(c) for c in p)]
        acc[0 if conv else 1] += 1
        acc[2] += i if conv else 0.0
    got = {
        tuple(table.path(i)): [table.conversions[i], table.nulls[i], table.values[i]]
        for i in range(table.n_paths)
    }
    assert got == dict(expected)


@settings(max_examples=60, deadline=None)
@given(rows_strategy, st.sampled_from(TOUCH_MODELS), st.sampled_from(CHANNELS))
def test_dropping_the_journeys_of_a_channel_never_raises_another_channels_credit(
    rows, model, dropped
):
    # Per-touch models credit each path separately with non-negative weights, so removing
    # paths can only lower (or keep) what any remaining channel gets.
    kept = [r for r in rows if dropped not in r[0]]
    assume(kept)
    before, after = result(rows, model)["credit"], result(kept, model)["credit"]
    for channel, credit in after.items():
        assert credit <= before[channel] + 1e-9
