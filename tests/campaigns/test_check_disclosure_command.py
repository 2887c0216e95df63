"""`infludesk check-disclosure CAPTIONS.csv [--output OUT.csv]`."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command


def _write(tmp_path, text: str):
    path = tmp_path / "captions.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_given_captions_when_checked_then_rows_come_back_with_compliant_and_reasons(tmp_path):
    source = _write(
        tmp_path,
        "caption,relationship,platform,paid_partnership_label\n"
        "#ad new shoes,paid,instagram,false\n"
        "#sp new shoes,paid,tiktok,true\n"
        "#gifted new shoes,gifted,instagram,\n",
    )
    out = tmp_path / "out.csv"
    call_command("check_disclosure", str(source), "--output", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["caption"], r["platform"], r["compliant"]) for r in rows] == [
        ("#ad new shoes", "instagram", "true"),
        ("#sp new shoes", "tiktok", "false"),
        ("#gifted new shoes", "instagram", "true"),
    ]
    assert rows[0]["reasons"] == ""
    codes = [part.split(":")[0] for part in rows[1]["reasons"].split("; ")]
    assert codes == ["ambiguous_tag", "platform_label_only", "missing_disclosure"]


def test_given_no_output_when_checked_then_csv_goes_to_stdout(tmp_path, capsys):
    source = _write(tmp_path, "caption,relationship\nhello,paid\n")
    call_command("check_disclosure", str(source))
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["compliant"], r["reasons"].split(":")[0]) for r in rows] == [
        ("false", "missing_disclosure")
    ]


def test_given_a_missing_column_when_checked_then_error_names_it(tmp_path):
    source = _write(tmp_path, "caption,platform\nhello,instagram\n")
    with pytest.raises(CommandError, match="missing column\\(s\\): relationship"):
        call_command("check_disclosure", str(source))


def test_given_a_bad_relationship_when_checked_then_error_names_line_and_column(tmp_path):
    source = _write(tmp_path, "caption,relationship\nok #ad,paid\nhello,friendship\n")
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="line 3, column relationship: 'friendship'"):
        call_command("check_disclosure", str(source), "--output", str(out))
    assert not out.exists() or out.read_text() == ""


def test_given_a_bad_label_flag_when_checked_then_error_names_line_and_column(tmp_path):
    source = _write(tmp_path, "caption,relationship,paid_partnership_label\nx,paid,maybe\n")
    with pytest.raises(CommandError, match="line 2, column paid_partnership_label"):
        call_command("check_disclosure", str(source))


def test_given_the_cli_when_run_as_a_process_then_exit_code_is_nonzero_on_bad_input(tmp_path):
    import subprocess
    import sys

    source = _write(tmp_path, "caption\nhello\n")
    proc = subprocess.run(
        [sys.executable, "-m", "infludesk", "check-disclosure", str(source)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "INFLUDESK_VAR_DIR": str(tmp_path)},
        check=False,
    )
    assert proc.returncode == 1
    assert "missing column(s): relationship" in proc.stderr
