"""`infludesk classify-accounts`: output shape, the prior, and clear errors."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from infludesk.authenticity.model import AccountFeatures, load_model

HEADER = "handle,followers,following,posts,has_profile_pic,is_private,username_digit_ratio"
ROWS = ["anna,850,420,120,1,0,0", "user8374621,3,2200,0,0,0,0.64"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("classify_accounts", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_rows_come_back_unchanged_with_fake_probability_added(tmp_path):
    # given two accounts without bio length
    path = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    # when classified at the default 10% prior
    rows = list(csv.reader(io.StringIO(run(str(path)))))
    # then the same columns and values come back, plus one probability column
    assert rows[0] == [*HEADER.split(","), "fake_probability"]
    assert [r[:-1] for r in rows[1:]] == [r.split(",") for r in ROWS]
    model = load_model()
    expected = [
        model.probability(AccountFeatures(850, 420, 120, True, False, 0.0), prior=0.1),
        model.probability(AccountFeatures(3, 2200, 0, False, False, 0.64), prior=0.1),
    ]
    assert [r[-1] for r in rows[1:]] == [f"{p:.4f}" for p in expected]
    assert rows[2][-1] == "1.0000"


def test_bio_length_column_uses_the_with_bio_model_and_empty_cells_the_other(tmp_path):
    path = write(
        tmp_path,
        HEADER + ",bio_length\n" + "anna,850,420,120,1,0,0,64\n" + "bob,850,420,120,1,0,0,\n",
    )
    rows = list(csv.DictReader(io.StringIO(run(str(path), "--prior", "0.5"))))
    model = load_model()
    with_bio = model.probability(AccountFeatures(850, 420, 120, True, False, 0.0, 64), prior=None)
    without = model.probability(AccountFeatures(850, 420, 120, True, False, 0.0), prior=None)
    assert [r["fake_probability"] for r in rows] == [f"{with_bio:.4f}", f"{without:.4f}"]


def test_output_file_gets_the_csv(tmp_path):
    path = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    out = tmp_path / "out.csv"
    assert run(str(path), "--output", str(out)) == ""
    lines = out.read_text().splitlines()
    assert len(lines) == 3
    assert lines[0].endswith(",fake_probability")


def test_a_higher_prior_gives_higher_probabilities(tmp_path):
    path = write(tmp_path, HEADER + "\nmid,120,300,4,1,0,0.2\n")
    low = float(
        next(csv.DictReader(io.StringIO(run(str(path), "--prior", "0.05"))))["fake_probability"]
    )
    high = float(
        next(csv.DictReader(io.StringIO(run(str(path), "--prior", "0.5"))))["fake_probability"]
    )
    assert low < high


def test_missing_columns_are_named(tmp_path):
    path = write(tmp_path, "followers,posts\n1,2\n")
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert str(error.value) == (
        f"{path}: missing columns: following, has_profile_pic, is_private, username_digit_ratio "
        "(required: followers,following,posts,has_profile_pic,is_private,username_digit_ratio; "
        "optional: bio_length)"
    )


def test_bad_values_are_reported_with_line_and_column(tmp_path):
    path = write(tmp_path, HEADER + "\nok,1,2,3,1,0,0.1\nbad,1,2,x,1,maybe,2\n")
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert str(error.value) == (
        f"{path}: 3 bad values:\n"
        "line 3, column posts: 'x' is not a whole number >= 0\n"
        "line 3, column is_private: 'maybe' is not 0 or 1 (or true/false)\n"
        "line 3, column username_digit_ratio: '2' is not a number from 0 to 1"
    )


def test_negative_counts_and_fractions_are_bad_values(tmp_path):
    path = write(tmp_path, HEADER + ",bio_length\na,-1,2.5,3,1,0,0.1,-4\n")
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert "line 2, column followers: '-1' is not a whole number >= 0" in str(error.value)
    assert "line 2, column following: '2.5' is not a whole number >= 0" in str(error.value)
    assert "line 2, column bio_length: '-4' is not a whole number >= 0 or empty" in str(error.value)


def test_empty_file_and_missing_file_are_clear(tmp_path):
    empty = write(tmp_path, "")
    with pytest.raises(CommandError, match="the file is empty"):
        run(str(empty))
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nope.csv"))


@pytest.mark.parametrize("prior", ["0", "1", "1.5"])
def test_prior_must_be_strictly_between_0_and_1(tmp_path, prior):
    path = write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")
    with pytest.raises(CommandError, match="--prior must be strictly between 0 and 1"):
        run(str(path), "--prior", prior)


def test_the_cli_exits_non_zero_with_the_message(tmp_path):
    # given a file without the following column, run as a user would
    path = write(tmp_path, "followers,posts,has_profile_pic,is_private,username_digit_ratio\n")
    result = subprocess.run(
        [sys.executable, "-m", "infludesk", "classify-accounts", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "x"},
        check=False,
    )
    assert result.returncode == 1
    assert "missing column: following" in result.stderr
    assert result.stdout == ""
