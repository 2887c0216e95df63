"""`infludesk import-creators` and `export-creators`; a crash mid-file leaves whole rows only."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from infludesk.creators import importing_rows
from infludesk.creators.import_jobs import import_job_create, import_job_start
from infludesk.creators.models import ImportJob, SocialAccount
from infludesk.creators.tasks_import import run_import_job
from tests.creators.import_helpers import CREATORS_CSV

pytestmark = pytest.mark.django_db


def test_import_command_imports_and_reports_counts(workspace, tmp_path):
    path = tmp_path / "creators.csv"
    path.write_text(CREATORS_CSV)
    out = io.StringIO()
    call_command("import_creators", str(path), "--workspace", "acme", stdout=out)
    assert out.getvalue() == "2 rows: 2 created, 0 updated (0 without changes), 0 failed\n"
    assert SocialAccount.objects.filter(workspace=workspace).count() == 2


def test_import_command_with_mapping_and_bad_rows_fails_listing_them(workspace, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Who,Where,Fans\nana,instagram,12\nbo,instagram,x\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 row\(s\) failed; see the lines above$"):
        call_command(
            "import_creators",
            str(path),
            "--mapping",
            '{"handle": "Who", "platform": "Where", "followers": "Fans"}',
            stderr=err,
        )
    assert err.getvalue() == "Line 3, column Fans: 'x' is not a whole number.\n"
    assert SocialAccount.objects.get(workspace=workspace).followers == 12


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "no such file: missing.csv"),
        (["{file}", "--workspace", "nope"], "no workspace with the slug 'nope'"),
        (["{file}", "--mapping", "[1"], "--mapping is not valid JSON"),
        (["{file}", "--mapping", '{"handle": "Nope"}'], "Handle: the file has no column 'Nope'."),
    ],
)
def test_import_command_errors(workspace, tmp_path, args, message):
    path = tmp_path / "c.csv"
    path.write_text(CREATORS_CSV)
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("import_creators", *[a.replace("{file}", str(path)) for a in args])


def test_export_command_round_trips(workspace, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(CREATORS_CSV)
    call_command("import_creators", str(source), stdout=io.StringIO())
    exported = tmp_path / "out.xlsx"
    call_command("export_creators", "--output", str(exported))
    out = io.StringIO()
    call_command("import_creators", str(exported), stdout=out)
    assert out.getvalue() == "2 rows: 0 created, 2 updated (2 without changes), 0 failed\n"


def test_crash_mid_file_keeps_whole_chunks_and_marks_the_job_failed(workspace, monkeypatch):
    # given a five-row file run in chunks of two, where the fourth row crashes the worker
    monkeypatch.setattr("infludesk.creators.import_jobs.CHUNK", 2)
    data = "handle,platform\n" + "".join(f"h{i},instagram\n" for i in range(1, 6))
    job = import_job_create(
        workspace=workspace, by=None, kind="creators", filename="c.csv", data=data.encode()
    )
    import_job_start(job=job, by=None, mapping=job.mapping, enqueue=False)
    real = importing_rows.upsert_creator_row

    def crashing(ctx, values):
        if values["handle"] == "h4":
            raise RuntimeError("worker lost")
        return real(ctx, values)

    monkeypatch.setitem(importing_rows.UPSERTS, "creators", crashing)
    # when the task runs
    with pytest.raises(RuntimeError):
        run_import_job.call(job_id=job.pk)
    # then the first chunk is saved, the crashed chunk left nothing behind, and the job says so
    handles = sorted(
        SocialAccount.objects.filter(workspace=workspace).values_list("handle", flat=True)
    )
    assert handles == ["h1", "h2"]
    job.refresh_from_db()
    assert (job.status, job.processed, job.created_count) == (ImportJob.Status.FAILED, 2, 2)
    assert job.message == (
        "The import stopped unexpectedly (RuntimeError); rows before it were saved. "
        "Upload the file again to finish it."
    )
