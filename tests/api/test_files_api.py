"""Imports, exports, history writes and sync requests over the API: queued as the page does,
good rows land and bad ones are named, other workspaces 404, viewers 403, never a 500."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from django_tasks_db.models import DBTaskResult

from infludesk.core.models import AuditEntry
from infludesk.creators.models import (
    AccountSnapshot,
    ImportJob,
    Post,
    PostComment,
    SocialAccount,
    SocialCredential,
)
from infludesk.creators.tasks_import import run_import_job
from tests.api.conftest import API, ApiClient, token_for
from tests.factories import PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
CSV = (
    "Platform,Username,Followers\ninstagram,trailmix,12000\ninstagram,,500\ntiktok,bad_count,lots\n"
)


def _upload(api: ApiClient, data: bytes, name: str = "c.csv", **form: str):
    upload = io.BytesIO(data)
    upload.name = name
    return api.client.post(f"{API}/imports", {"file": upload, **form})


def test_given_a_csv_and_mapping_when_uploading_then_queued_and_the_worker_imports_it(
    owner, workspace, django_capture_on_commit_callbacks
):
    api = ApiClient(token_for(owner))
    mapping = {"platform": "Platform", "handle": "Username", "followers": "Followers"}
    # when the file is uploaded with its mapping
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(api, CSV.encode(), mapping=json.dumps(mapping))
    # then a queued job comes back and the task is in the database backend
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["total"], body["processed"], body["mapping"]) == (
        "queued",
        3,
        0,
        mapping,
    )
    queued = DBTaskResult.objects.get(task_path="infludesk.creators.tasks_import.run_import_job")
    assert queued.args_kwargs == {"args": [], "kwargs": {"job_id": body["id"]}}
    # when the worker runs it
    run_import_job.call(job_id=body["id"])
    status = api.get(f"/imports/{body['id']}").json()
    # then the good row landed and the bad ones are reported by line and column
    assert (status["status"], status["percent"], status["created"], status["failed"]) == (
        "done",
        100,
        1,
        2,
    )
    assert status["error_lines"] == [
        "Line 3, column Username: This value is required.",
        "Line 4, column Followers: 'lots' is not a whole number.",
    ]
    assert status["error_file"] == f"/api/v1/imports/{body['id']}/errors.csv"
    errors = api.client.get(status["error_file"])
    assert errors.status_code == 200
    assert errors.content.decode().splitlines() == [
        "Platform,Username,Followers,line,error",
        "instagram,,500,3,Username: This value is required.",
        "tiktok,bad_count,lots,4,Followers: 'lots' is not a whole number.",
    ]
    assert SocialAccount.objects.get(workspace=workspace).handle == "trailmix"


def test_given_no_mapping_when_uploading_then_the_guessed_mapping_is_used(owner):
    api = ApiClient(token_for(owner))
    response = _upload(api, b"platform,handle\ninstagram,trailmix\n")
    assert response.status_code == 202
    assert response.json()["mapping"] == {"platform": "platform", "handle": "handle"}


@pytest.mark.parametrize(
    ("data", "form", "field"),
    [
        (b"", {}, "file"),
        (b"platform,handle\ninstagram,a\n", {"kind": "stories"}, "kind"),
        (b"platform,handle\ninstagram,a\n", {"mapping": "{not json"}, "mapping"),
        (
            b"platform,Username\ninstagram,a\n",
            {"mapping": json.dumps({"platform": "platform"})},
            "mapping",
        ),
    ],
)
def test_given_bad_input_when_uploading_then_422_naming_it_and_nothing_stored(
    owner, data, form, field
):
    api = ApiClient(token_for(owner))
    response = _upload(api, data, **form)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert ImportJob.objects.count() == 0


def test_given_a_viewer_or_another_workspace_when_importing_then_403_and_404(
    viewer, other_owner, owner, workspace
):
    assert _upload(ApiClient(token_for(viewer)), CSV.encode()).status_code == 403
    mine = _upload(ApiClient(token_for(owner)), CSV.encode()).json()["id"]
    other = ApiClient(token_for(other_owner))
    assert other.get(f"/imports/{mine}").status_code == 404
    assert other.client.get(f"{API}/imports/{mine}/errors.csv").status_code == 404


def test_given_accounts_when_exporting_json_then_the_import_columns_and_it_imports_back(
    owner, workspace, other_workspace, django_capture_on_commit_callbacks
):
    SocialAccountFactory(
        creator__workspace=workspace, creator__name="Ann", handle="ann", followers=12_000
    )
    SocialAccountFactory(creator__workspace=other_workspace, handle="theirs")
    api = ApiClient(token_for(owner))
    response = api.get("/exports/creators", format="json")
    assert response.status_code == 200
    rows = response.json()
    assert [(r["handle"], r["name"], r["followers"]) for r in rows] == [("ann", "Ann", 12_000)]
    # the same file imports back with no changes
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(api, response.content, name="creators.json").json()
    run_import_job.call(job_id=job["id"])
    assert api.get(f"/imports/{job['id']}").json()["unchanged"] == 1


def test_given_filters_when_exporting_csv_and_xlsx_then_only_matching_rows(owner, workspace):
    SocialAccountFactory(creator__workspace=workspace, handle="small", followers=2_000)
    SocialAccountFactory(creator__workspace=workspace, handle="big", followers=200_000)
    api = ApiClient(token_for(owner))
    csv_text = api.get("/exports/creators", format="csv", followers_min=100_000).content.decode()
    assert [line.split(",")[1] for line in csv_text.splitlines()] == ["handle", "big"]
    xlsx = api.get("/exports/creators", format="xlsx", tier="nano").content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert [row[1] for row in sheet.iter_rows(values_only=True)] == ["handle", "small"]


def test_given_bad_export_parameters_then_422_naming_them(owner):
    api = ApiClient(token_for(owner))
    response = api.get("/exports/creators", format="pdf")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "format")
    response = api.get("/exports/creators", tier="giant")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "tier")


# --- history writes ------------------------------------------------------------------------


@pytest.fixture
def account(workspace):
    return SocialAccountFactory(creator__workspace=workspace, handle="trailmix")


def test_given_posts_when_bulk_upserting_then_good_rows_land_and_bad_ones_are_named(
    manager, account, django_capture_on_commit_callbacks
):
    PostFactory(account=account, platform_post_id="p1", posted_at=DAY, likes=5)
    api = ApiClient(token_for(manager))
    rows = [
        {"post_id": "p1", "likes": 50},
        {"post_id": "p2", "posted_at": "2026-11-02T10:00:00Z", "caption": "Hi #trail", "likes": 9},
        {"post_id": "p3", "likes": 1},
        {"post_id": "p1", "likes": 50},
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(f"/social-accounts/{account.pk}/posts/bulk", {"rows": rows})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "created": 1,
        "updated": 2,
        "unchanged": 1,
        "failed": 1,
        "errors": [
            {"row": 2, "field": "posted_at", "message": "A new post needs the date it was posted."}
        ],
    }
    assert sorted(
        Post.objects.filter(account=account).values_list("platform_post_id", "likes")
    ) == [
        ("p1", 50),
        ("p2", 9),
    ]
    assert Post.objects.get(platform_post_id="p2").hashtags == ["trail"]
    assert len(callbacks) == 2  # stats recomputed, new captions embedded
    entry = AuditEntry.objects.get(action="posts.bulk_upsert")
    assert entry.changes == {"created": [None, 1], "updated": [None, 2], "failed": [None, 1]}


def test_given_comments_when_bulk_upserting_then_by_post_and_comment_id(manager, account):
    PostFactory(account=account, platform_post_id="p1", posted_at=DAY)
    api = ApiClient(token_for(manager))
    rows = [
        {"post_id": "p1", "comment_id": "c1", "text": "Love it", "author": "@fan"},
        {"post_id": "nope", "comment_id": "c2", "text": "?"},
    ]
    body = api.post(f"/social-accounts/{account.pk}/comments/bulk", {"rows": rows}).json()
    assert (body["created"], body["failed"]) == (1, 1)
    assert body["errors"] == [
        {
            "row": 1,
            "field": "post_id",
            "message": "No post nope of @trailmix; import the posts first.",
        }
    ]
    assert list(PostComment.objects.values_list("external_id", "author_handle", "text")) == [
        ("c1", "fan", "Love it")
    ]


def test_given_snapshots_when_bulk_upserting_then_one_per_time_and_updates_in_place(
    manager, account
):
    api = ApiClient(token_for(manager))
    rows = [
        {"taken_at": "2026-11-01T00:00:00Z", "followers": 1_000},
        {"taken_at": "2026-11-02T00:00:00Z", "followers": 1_100, "following": 50},
    ]
    first = api.post(f"/social-accounts/{account.pk}/snapshots/bulk", {"rows": rows}).json()
    rows[1]["followers"] = 1_150
    again = api.post(f"/social-accounts/{account.pk}/snapshots/bulk", {"rows": rows}).json()
    assert (first["created"], again["created"], again["updated"], again["unchanged"]) == (
        2,
        0,
        2,
        1,
    )
    assert list(
        AccountSnapshot.objects.filter(account=account).values_list("followers", "source")
    ) == [(1_000, "api"), (1_150, "api")]


def test_given_bad_rows_when_bulk_writing_then_422_naming_the_row_and_field(manager, account):
    api = ApiClient(token_for(manager))
    response = api.post(
        f"/social-accounts/{account.pk}/snapshots/bulk",
        {
            "rows": [
                {"taken_at": "2026-11-01T00:00:00Z", "followers": 1},
                {"taken_at": "soon", "followers": -1},
            ]
        },
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "rows.1.taken_at",
        "rows.1.followers",
    ]
    response = api.post(f"/social-accounts/{account.pk}/posts/bulk", {"rows": []})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "rows")
    assert AccountSnapshot.objects.count() == 0


def test_given_a_viewer_or_another_workspace_when_writing_history_then_403_and_404(
    viewer, other_owner, account
):
    body = {"rows": [{"taken_at": "2026-11-01T00:00:00Z", "followers": 1}]}
    assert (
        ApiClient(token_for(viewer))
        .post(f"/social-accounts/{account.pk}/snapshots/bulk", body)
        .status_code
        == 403
    )
    other = ApiClient(token_for(other_owner))
    assert other.post(f"/social-accounts/{account.pk}/snapshots/bulk", body).status_code == 404
    posts = {"rows": [{"post_id": "p1", "posted_at": "2026-11-01T00:00:00Z"}]}
    assert other.post(f"/social-accounts/{account.pk}/posts/bulk", posts).status_code == 404
    assert other.post(f"/social-accounts/{account.pk}/sync", {}).status_code == 404
    assert AccountSnapshot.objects.count() == 0


# --- sync --------------------------------------------------------------------------------------


def test_given_a_credential_when_requesting_a_sync_then_queued_and_audited(
    manager, workspace, account, django_capture_on_commit_callbacks
):
    credential = SocialCredential.objects.create(
        workspace=workspace, platform="instagram", token="EAAG-acme", external_user_id="1"
    )
    api = ApiClient(token_for(manager))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/social-accounts/{account.pk}/sync", {})
    assert response.status_code == 202
    assert response.json() == {
        "account_id": account.pk,
        "queued": True,
        "credential_id": credential.pk,
    }
    queued = DBTaskResult.objects.get(task_path="infludesk.creators.tasks_sync.sync_social_account")
    assert queued.args_kwargs["kwargs"] == {"workspace_id": workspace.pk, "account_id": account.pk}
    assert AuditEntry.objects.filter(action="social_account.sync_request").count() == 1


def test_given_no_credential_when_requesting_a_sync_then_409_and_nothing_queued(
    manager, account, other_workspace
):
    SocialCredential.objects.create(  # another workspace's token does not count
        workspace=other_workspace, platform="instagram", token="EAAG-rival", external_user_id="2"
    )
    response = ApiClient(token_for(manager)).post(f"/social-accounts/{account.pk}/sync", {})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Cannot sync: no active instagram credential in this workspace; "
        "paste a token under the workspace's connectors."
    )
    assert DBTaskResult.objects.count() == 0


def test_given_a_viewer_when_requesting_a_sync_then_403(viewer, account):
    assert (
        ApiClient(token_for(viewer)).post(f"/social-accounts/{account.pk}/sync", {}).status_code
        == 403
    )


def test_given_a_job_when_reading_its_status_then_two_queries(owner, django_assert_num_queries):
    api = ApiClient(token_for(owner))
    job = _upload(api, CSV.encode()).json()
    with django_assert_num_queries(2):  # token + member, the job
        assert api.get(f"/imports/{job['id']}").status_code == 200
