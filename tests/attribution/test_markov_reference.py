"""Markov removal effects against an independent reference written here: dense transition
matrix with self-loops KEPT, and each removal solved with numpy.linalg.inv of (I - Q) after
redirecting every transition into the channel to null (the definition itself)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from infludesk.attribution.engine import markov, table_from_rows, transition_counts

CHANNELS = "ABCDEF"


def reference_removal_effects(rows):
    channels = sorted({c for path, *_ in rows for c in path})
    pos = {c: i + 1 for i, c in enumerate(channels)}
    k = len(channels)
    conv_s, null_s = k + 1, k + 2
    m = np.zeros((k + 3, k + 3))
    for path, conv, null, _value in rows:
        total = conv + null
        states = [0] + [pos[c] for c in path]
        for a, b in itertools.pairwise(states):
            m[a, b] += total
        m[states[-1], conv_s] += conv
        m[states[-1], null_s] += null

    def p_conv(counts):
        sub = counts[: k + 1]
        out = sub.sum(axis=1, keepdims=True)
        probs = np.divide(sub, out, out=np.zeros_like(sub), where=out > 0)
        fundamental = np.linalg.inv(np.eye(k + 1) - probs[:, : k + 1])
        return (fundamental @ probs[:, conv_s])[0]

    base = p_conv(m)
    effects = {}
    for c in channels:
        removed = m.copy()
        removed[:, null_s] += removed[:, pos[c]]
        removed[:, pos[c]] = 0.0
        removed[pos[c], :] = 0.0
        effects[c] = 0.0 if base == 0 else 1.0 - p_conv(removed) / base
    return effects


paths = st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=6)
rows = st.lists(
    st.tuples(paths, st.integers(0, 5), st.integers(0, 5), st.just(0.0)), min_size=1, max_size=12
)


@settings(max_examples=150, deadline=None)
@given(rows)
def test_given_random_paths_when_markov_then_removal_effects_match_dense_reference(data):
    table = table_from_rows(data)
    ours = dict(zip(table.channels, markov(table).removal_effects, strict=True))
    expected = reference_removal_effects(data)
    for channel, effect in expected.items():
        assert abs(ours[channel] - effect) < 1e-9


def test_given_self_loops_when_counting_then_dropped_like_channelattribution():
    # A > A > B: ChannelAttribution collapses the repeat; our counts have no A -> A entry.
    table = table_from_rows([(["A", "A", "B"], 1, 0, 0.0)])
    counts = transition_counts(table).toarray()
    # states: 0 start, 1 A, 2 B, 3 conversion, 4 null
    assert counts[1, 1] == 0.0
    assert counts[0, 1] == 1.0
    assert counts[1, 2] == 1.0
    assert counts[2, 3] == 1.0
    assert transition_counts(table, self_loops=True).toarray()[1, 1] == 1.0


def test_given_many_channels_when_markov_then_sparse_path_matches_reference():
    # 2,100 states > the dense-bincount threshold: exercises the np.unique counting path.
    rng = np.random.default_rng(3)
    names = [f"c{i}" for i in range(2100)]
    data = []
    for _ in range(400):
        length = int(rng.integers(1, 5))
        path = [names[int(i)] for i in rng.integers(0, 40, size=length)]
        data.append((path, int(rng.integers(0, 3)), int(rng.integers(0, 3)), 0.0))
    data.append(([names[-1]], 0, 1, 0.0))
    data += [([n], 0, 0, 0.0) for n in names]  # every name listed
    table = table_from_rows(data)
    ours = dict(zip(table.channels, markov(table).removal_effects, strict=True))
    expected = reference_removal_effects([r for r in data if r[1] + r[2] > 0])
    assert len(ours) == 2100
    for channel, effect in expected.items():
        assert abs(ours[channel] - effect) < 1e-9
    assert ours["c2000"] == 0.0
