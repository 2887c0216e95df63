"""`infludesk attribute FILE --model M`: exact JSON, text table, errors with line numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

FILE = """path,conversions,null,value
A > B > C,2,1,20
A > A > B,3,0,30
B,1,0,5
C > D,0,4,0
E,0,0,0
"""


@pytest.fixture
def journeys(tmp_path):
    path = tmp_path / "journeys.csv"
    path.write_text(FILE)
    return path


def run(*args: str, **options) -> str:
    out = StringIO()
    call_command("attribute", *args, stdout=out, **options)
    return out.getvalue()


def test_given_file_when_last_touch_json_then_exact_output_lists_every_channel(journeys):
    out = run(str(journeys), model="last_touch", format="json")
    assert out == (
        '{"model": "last_touch", '
        '"credit": {"A": 0.0, "B": 4.0, "C": 2.0, "D": 0.0, "E": 0.0}, '
        '"value": {"A": 0.0, "B": 35.0, "C": 20.0, "D": 0.0, "E": 0.0}}\n'
    )


def test_given_file_when_markov_json_then_removal_effects_are_included(journeys):
    out = json.loads(run(str(journeys), model="markov", format="json"))
    assert list(out) == ["model", "credit", "value", "removal_effects"]
    assert out["removal_effects"] == pytest.approx(
        {"A": 34 / 49, "B": 17 / 21, "C": 1 / 3, "D": 0.0, "E": 0.0}, rel=1e-12
    )
    assert out["credit"] == pytest.approx(
        {"A": 34 / 15, "B": 119 / 45, "C": 49 / 45, "D": 0.0, "E": 0.0}, rel=1e-12
    )


def test_given_half_life_when_time_decay_then_it_is_used(journeys):
    # A > B > C with h = 2: raw 1/2, 2^-1/2, 1; C's share of 2 conversions + B 1 + ... differs
    # from h = 1, so the option must reach the model.
    h1 = json.loads(run(str(journeys), model="time_decay", format="json"))
    h2 = json.loads(run(str(journeys), model="time_decay", format="json", half_life=2.0))
    assert h1["credit"]["A"] == pytest.approx(11 / 7)
    assert h2["credit"]["A"] != pytest.approx(11 / 7)
    assert sum(h2["credit"].values()) == pytest.approx(6.0)


def test_given_file_when_text_format_then_table_with_totals(journeys):
    out = run(str(journeys), model="first_touch")
    lines = out.splitlines()
    assert lines[0] == "model: first_touch"
    assert lines[2].split() == ["A", "5.0000", "50.00", "83.3%"]
    assert lines[-1].split() == ["total", "6.0000", "55.00"]


def test_given_bootstrap_option_when_json_then_share_intervals_are_added(journeys):
    out = json.loads(run(str(journeys), model="linear", format="json", bootstrap=30, seed=4))
    assert set(out["share_intervals"]) == {"A", "B", "C", "D", "E"}
    assert out["share_intervals"]["E"] == {"share": 0.0, "low": 0.0, "high": 0.0}


def test_given_malformed_row_when_run_then_command_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("path,conversions,null,value\nA,1,0,1\nB,two,0,1\n")
    with pytest.raises(CommandError, match=r"line 3: conversions is not a number: 'two'"):
        run(str(bad), model="linear")


def test_given_missing_file_when_run_then_command_error():
    with pytest.raises(CommandError, match="cannot read"):
        run("/nonexistent/journeys.csv", model="linear")


def test_given_no_model_when_run_then_command_error(journeys):
    with pytest.raises(CommandError, match="--model"):
        run(str(journeys))


def test_given_malformed_file_when_run_as_program_then_nonzero_exit_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("path,conversions,null,value\nA,1,0,1\n\nB > ,1,0,1\n")
    env = {**os.environ, "SECRET_KEY": "test-only", "DATABASE_URL": "sqlite:///:memory:"}
    done = subprocess.run(
        [sys.executable, "-m", "infludesk.cli", "attribute", str(bad), "--model", "linear"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert "line 4: path has an empty channel name" in done.stderr
    assert done.stdout == ""
