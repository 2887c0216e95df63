"""Import pages: upload, mapping with preview, progress, error file, export; roles and tenancy."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from infludesk.creators.import_jobs import import_job_create
from infludesk.creators.models import ImportJob, SocialAccount
from infludesk.creators.tasks_import import run_import_job
from tests.creators.import_helpers import CREATORS_CSV, counts, run_import
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

BAD_CSV = "handle,platform,followers\ngood,instagram,100\nbad,instagram,abc\n,tiktok,5\n"


def _upload(client, data: str, name="creators.csv", kind="creators"):
    return client.post(
        "/creators/import/",
        {"kind": kind, "file": SimpleUploadedFile(name, data.encode(), "text/csv")},
    )


def test_upload_guesses_mapping_and_shows_preview(owner_client, workspace):
    # when a manager uploads a CSV
    response = _upload(owner_client, CREATORS_CSV)
    job = ImportJob.objects.get(workspace=workspace)
    # then they land on the mapping page with guessed columns and the first rows
    assert response.status_code == 302
    assert response["Location"] == f"/creators/import/{job.pk}/map/"
    page = owner_client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert job.mapping == {
        "platform": "Platform",
        "handle": "Username",
        "name": "Full Name",
        "email": "Email",
        "followers": "Follower Count",
        "following": "Following",
        "posts": "Posts",
        "country": "Country",
        "language": "Language",
        "categories": "Categories",
        "verified": "Verified",
        "bio": "Bio",
    }
    assert '<option value="Follower Count" selected>' in html
    assert "<td>@Maya.Trails</td>" in html
    assert "<td>tom_runs</td>" in html


def test_unreadable_file_is_a_400_with_the_reason(owner_client, workspace):
    response = _upload(owner_client, '{"not": "a list"}', name="creators.json")
    assert response.status_code == 400
    assert "The JSON must be a list of objects (one per row)" in response.content.decode()
    assert ImportJob.objects.filter(workspace=workspace).count() == 0


def test_mapping_without_required_field_is_a_400(owner_client, workspace):
    job = import_job_create(
        workspace=workspace, by=None, kind="creators", filename="c.csv", data=CREATORS_CSV.encode()
    )
    response = owner_client.post(f"/creators/import/{job.pk}/map/", {"map_platform": "Platform"})
    assert response.status_code == 400
    assert "Choose the column that holds the handle." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING


def test_mapping_enqueues_the_task_on_commit_and_the_worker_runs_it(
    owner_client, workspace, django_capture_on_commit_callbacks
):
    # given an uploaded file
    job = import_job_create(
        workspace=workspace, by=None, kind="creators", filename="c.csv", data=BAD_CSV.encode()
    )
    # when the mapping is confirmed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = owner_client.post(
            f"/creators/import/{job.pk}/map/",
            {"map_handle": "handle", "map_platform": "platform", "map_followers": "followers"},
        )
    # then the job is queued in the database backend, and running it imports the rows
    assert response.status_code == 302
    assert len(callbacks) == 1
    queued = DBTaskResult.objects.get(task_path="infludesk.creators.tasks_import.run_import_job")
    assert queued.args_kwargs == {"args": [], "kwargs": {"job_id": job.pk}}
    result = run_import_job.call(job_id=job.pk)
    job.refresh_from_db()
    assert result == {"created": 1, "updated": 0, "unchanged": 0, "failed": 2}
    assert (job.status, job.processed, job.total) == ("done", 3, 3)


def test_finished_job_enqueues_stats_for_touched_accounts(
    workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(workspace, CREATORS_CSV)
    queued = DBTaskResult.objects.get(task_path="infludesk.creators.tasks.recompute_account_stats")
    ids = sorted(SocialAccount.objects.filter(workspace=workspace).values_list("pk", flat=True))
    assert queued.args_kwargs["kwargs"] == {"workspace_id": workspace.pk, "account_ids": ids}


def test_running_task_again_on_a_finished_job_changes_nothing(workspace):
    job = run_import(workspace, CREATORS_CSV)
    assert run_import_job.call(job_id=job.pk) == {}
    job.refresh_from_db()
    assert counts(job) == (2, 0, 0, 0)


def test_progress_partial_polls_while_running_and_stops_when_done(owner_client, workspace):
    # given a job halfway through (as the worker leaves it between chunks)
    job = import_job_create(
        workspace=workspace, by=None, kind="creators", filename="c.csv", data=BAD_CSV.encode()
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", processed=2, created_count=1, failed_count=1
    )
    # when the progress partial is fetched
    html = owner_client.get(f"/creators/import/{job.pk}/progress/").content.decode()
    # then it shows the counts and keeps polling every second
    assert 'hx-trigger="every 1s"' in html
    assert '<progress max="100" value="67"' in html
    assert '<dd id="import-processed">2 / 3</dd>' in html
    assert '<dd id="import-created">1</dd>' in html
    assert '<dd id="import-failed">1</dd>' in html
    # and once done it stops polling and lists the problems
    ImportJob.objects.filter(pk=job.pk).update(status="done", processed=3)
    done = owner_client.get(f"/creators/import/{job.pk}/").content.decode()
    assert "hx-trigger" not in done


def test_job_page_lists_errors_and_error_file_has_bad_rows(owner_client, workspace):
    # given a finished import with two bad rows
    job = run_import(workspace, BAD_CSV)
    # when the job page and the error file are fetched
    page = owner_client.get(f"/creators/import/{job.pk}/").content.decode()
    response = owner_client.get(f"/creators/import/{job.pk}/errors.csv")
    # then the page lists each problem, and the file has the bad rows with line and error
    assert "<li>Line 3, column followers: &#x27;abc&#x27; is not a whole number.</li>" in page
    assert "<li>Line 4, column handle: This value is required.</li>" in page
    assert response["Content-Disposition"] == 'attachment; filename="creators-errors.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["handle", "platform", "followers", "line", "error"],
        ["bad", "instagram", "abc", "3", "followers: 'abc' is not a whole number."],
        ["", "tiktok", "5", "4", "handle: This value is required."],
    ]


def test_error_file_fixed_and_reimported_lands_the_rows(workspace):
    # given the error file of an import, with the bad cells fixed
    job = run_import(workspace, BAD_CSV)
    from infludesk.creators.import_jobs import error_file_csv

    fixed = error_file_csv(job=job).replace("abc", "300").replace(",tiktok,5", "newbie,tiktok,5")
    # when it is imported (its line and error columns are not mapped)
    again = run_import(workspace, fixed)
    # then the two rows land
    assert counts(again) == (2, 0, 0, 0)
    assert SocialAccount.objects.filter(workspace=workspace).count() == 3


def test_viewer_cannot_import(viewer_client, workspace):
    assert viewer_client.get("/creators/import/").status_code == 403
    assert _upload(viewer_client, CREATORS_CSV).status_code == 403
    job = import_job_create(
        workspace=workspace, by=None, kind="creators", filename="c.csv", data=CREATORS_CSV.encode()
    )
    assert viewer_client.post(f"/creators/import/{job.pk}/map/", {}).status_code == 403
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.MAPPING


def test_viewer_can_follow_progress_and_export(viewer_client, workspace):
    job = run_import(workspace, CREATORS_CSV)
    assert viewer_client.get(f"/creators/import/{job.pk}/").status_code == 200
    assert viewer_client.get("/creators/import/export/").status_code == 200


@pytest.mark.parametrize("suffix", ["", "map/", "progress/", "errors.csv"])
def test_another_workspaces_job_is_a_404(owner_client, other_workspace, suffix):
    theirs = run_import(other_workspace, BAD_CSV)
    job = ImportJob.objects.get(pk=theirs.pk)
    assert owner_client.get(f"/creators/import/{job.pk}/{suffix}").status_code == 404


def test_recent_jobs_list_only_this_workspace(owner_client, workspace, other_workspace):
    run_import(workspace, CREATORS_CSV, filename="ours.csv")
    run_import(other_workspace, CREATORS_CSV, filename="theirs.csv")
    html = owner_client.get("/creators/import/").content.decode()
    assert "ours.csv" in html
    assert "theirs.csv" not in html


def _export_rows(client, query=""):
    response = client.get(f"/creators/import/export/?format=csv{query}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_export_has_the_import_columns_and_only_this_workspace(
    owner_client, workspace, other_workspace
):
    # given one creator here and one in the rival workspace
    SocialAccountFactory(
        creator=CreatorFactory(workspace=workspace, name="Maya", email="m@x.test"),
        platform="instagram",
        handle="maya",
        followers=12000,
        following=3,
        posts_count=40,
        country="SE",
        language="en",
        categories=["Travel", "Food"],
        verified=True,
        bio="Hi",
    )
    SocialAccountFactory(creator__workspace=other_workspace, handle="rival")
    # when exported
    rows = _export_rows(owner_client)
    # then one row in the import's columns
    assert rows == [
        [
            "platform",
            "handle",
            "name",
            "email",
            "display_name",
            "followers",
            "following",
            "posts",
            "country",
            "language",
            "categories",
            "verified",
            "bio",
            "url",
            "external_id",
        ],
        [
            "instagram",
            "maya",
            "Maya",
            "m@x.test",
            "",
            "12000",
            "3",
            "40",
            "SE",
            "en",
            "Travel; Food",
            "true",
            "Hi",
            "",
            "",
        ],
    ]


def test_export_applies_the_list_filters(owner_client, workspace):
    SocialAccountFactory(
        creator__workspace=workspace, platform="instagram", handle="ig1", followers=50
    )
    SocialAccountFactory(
        creator__workspace=workspace, platform="tiktok", handle="tt1", followers=50
    )
    rows = _export_rows(owner_client, "&platform=tiktok")
    assert [r[1] for r in rows[1:]] == ["tt1"]


def test_export_bad_filter_or_format_is_a_400(owner_client):
    assert owner_client.get("/creators/import/export/?followers_min=-1").status_code == 400
    assert owner_client.get("/creators/import/export/?format=pdf").status_code == 400


@pytest.mark.parametrize(("fmt", "filename"), [("csv", "export.csv"), ("xlsx", "export.xlsx")])
def test_export_then_import_changes_nothing(owner_client, workspace, fmt, filename):
    # given creators imported from a file
    run_import(workspace, CREATORS_CSV)
    before = list(SocialAccount.objects.filter(workspace=workspace).order_by("pk").values())
    # when they are exported and the export is imported
    exported = owner_client.get(f"/creators/import/export/?format={fmt}").content
    job = run_import(workspace, exported, filename=filename)
    # then every row matches an existing account and nothing changed
    assert counts(job) == (0, 2, 2, 0)
    after = list(SocialAccount.objects.filter(workspace=workspace).order_by("pk").values())
    assert after == before


def test_xlsx_export_keeps_formula_like_text_as_text(owner_client, workspace):
    SocialAccountFactory(creator__workspace=workspace, handle="eq", bio="=1+1")
    content = owner_client.get("/creators/import/export/?format=xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=2, column=13).value == "=1+1"
    assert sheet.cell(row=2, column=13).data_type == "s"


def test_job_waiting_for_mapping_links_to_it_and_does_not_poll(owner_client, workspace):
    job = import_job_create(
        workspace=workspace, by=None, kind="creators", filename="c.csv", data=CREATORS_CSV.encode()
    )
    html = owner_client.get(f"/creators/import/{job.pk}/").content.decode()
    assert "hx-trigger" not in html
    assert f'href="/creators/import/{job.pk}/map/"' in html
