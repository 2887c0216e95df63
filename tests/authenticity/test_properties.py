"""Property tests: the prior shift is a monotone bijection, the score stays in 0-100 and the
CSV parser never crashes on arbitrary cells."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infludesk.authenticity.audience import prior_shift
from infludesk.authenticity.classify_csv import AccountsCsvError, parse_accounts_csv
from infludesk.authenticity.scoring import AccountEvidence, authenticity_score

probability = st.floats(min_value=0.0, max_value=1.0)
prior = st.floats(min_value=0.001, max_value=0.999)


@given(p=probability, a=prior, b=prior)
def test_prior_shift_round_trips(p, a, b):
    there = prior_shift(p, from_prior=a, to_prior=b)
    assert 0.0 <= there <= 1.0
    assert prior_shift(there, from_prior=b, to_prior=a) == pytest.approx(p, abs=1e-9)


@given(p=probability, q=probability, a=prior, b=prior)
def test_prior_shift_keeps_the_order_of_probabilities(p, q, a, b):
    low, high = sorted((p, q))
    shifted_low = prior_shift(low, from_prior=a, to_prior=b)
    assert shifted_low <= prior_shift(high, from_prior=a, to_prior=b) + 1e-12


optional_rate = st.one_of(st.none(), st.floats(min_value=0, max_value=1e4))


@given(
    followers=st.integers(0, 10**9),
    following=st.one_of(st.none(), st.integers(0, 10**7)),
    er=optional_rate,
    bench=st.one_of(st.none(), st.floats(min_value=0.01, max_value=20)),
    likes=optional_rate,
    comments=optional_rate,
    views=optional_rate,
    deltas=st.lists(st.floats(min_value=-1e6, max_value=1e6), max_size=40),
    texts=st.lists(st.text(max_size=30), max_size=30),
)
def test_score_is_always_between_0_and_100(
    followers, following, er, bench, likes, comments, views, deltas, texts
):
    import datetime as dt

    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ev = AccountEvidence(
        platform="instagram",
        followers=followers,
        following=following,
        tier="micro",
        engagement_rate=er,
        er_benchmark=bench,
        avg_likes=likes,
        avg_comments=comments,
        avg_views=views,
        posts_with_metrics=12,
        daily_deltas=[(start + dt.timedelta(days=i), d) for i, d in enumerate(deltas)],
        comments=texts,
    )
    result = authenticity_score(ev)
    assert 0 <= result.score <= 100
    assert result.signals_with_data <= result.signals_total == 7
    assert result.score == round(100 - min(100.0, sum(s.deduction for s in result.signals)))


HEADER = "followers,following,posts,has_profile_pic,is_private,username_digit_ratio"


@given(cells=st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8),
                      min_size=6, max_size=6))  # fmt: skip
def test_parser_accepts_or_explains_any_row(cells):
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerow(cells)
    try:
        parsed = parse_accounts_csv(HEADER + "\n" + out.getvalue())
    except AccountsCsvError as error:
        assert "line" in str(error) or "column" in str(error)
    else:
        assert len(parsed.accounts) == len(parsed.rows)
