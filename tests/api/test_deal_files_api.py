"""Deal files over the API: multipart upload, list, download, delete; isolation, roles,
refused files, audit and the query count of the list."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from infludesk.campaigns import content, files
from infludesk.campaigns.models import DealFile
from infludesk.core.models import AuditEntry
from tests.api.conftest import API, ApiClient
from tests.factories import CampaignFactory, DealFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"
# token lookup + the deal + the files (with uploader) + the drafts using them
LIST_QUERIES = 4


def pdf(name: str = "brief.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def upload(api: ApiClient, deal_id: int, file: SimpleUploadedFile):
    return api.client.post(f"{API}/deals/{deal_id}/files", {"file": file})


def on_disk(media_root: Path) -> int:
    return sum(1 for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else 0


@pytest.fixture
def deal(workspace):
    return DealFactory(workspace=workspace, campaign=CampaignFactory(workspace=workspace))


def test_given_a_manager_when_uploading_then_201_and_listed_and_downloadable(
    manager_api, manager, deal, media_root
):
    # when
    response = upload(manager_api, deal.pk, pdf())
    # then
    assert response.status_code == 201
    body = response.json()
    row = DealFile.objects.get()
    assert body == {
        "id": row.pk,
        "deal_id": deal.pk,
        "name": "brief.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "uploaded_by": "manager@acme.test",
        "uploaded_via": "manager",
        "created_at": body["created_at"],
        "download_url": f"/api/v1/deals/{deal.pk}/files/{row.pk}",
        "draft_versions": [],
    }
    assert [f["id"] for f in manager_api.get(f"/deals/{deal.pk}/files").json()] == [row.pk]
    download = manager_api.get(f"/deals/{deal.pk}/files/{row.pk}")
    assert (download.status_code, b"".join(download.streaming_content)) == (200, PDF)
    assert download["Content-Disposition"] == 'attachment; filename="brief.pdf"'
    assert AuditEntry.objects.get(action="deal.file_upload").actor == manager


def test_given_a_file_when_deleted_then_204_audited_and_gone_from_disk(
    owner_api, owner, deal, media_root, django_capture_on_commit_callbacks
):
    row = files.deal_file_upload(deal=deal, upload=pdf(), by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.delete(f"/deals/{deal.pk}/files/{row.pk}")
    assert response.status_code == 204
    assert (DealFile.objects.count(), on_disk(media_root)) == (0, 0)
    assert AuditEntry.objects.get(action="deal.file_delete").target_id == str(row.pk)


def test_given_a_drafts_media_file_when_deleted_then_422_naming_the_draft(
    owner_api, owner, deal, media_root
):
    draft = content.draft_submit(deal=deal, caption="#ad x", media_file=pdf("cut.pdf"), by=owner)
    response = owner_api.delete(f"/deals/{deal.pk}/files/{draft.media_file_id}")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "file", "message": "cut.pdf is the media of draft v1; drafts keep it."}
    ]
    listed = owner_api.get(f"/deals/{deal.pk}/files").json()
    assert [f["draft_versions"] for f in listed] == [[1]]


def test_given_a_viewer_then_upload_and_delete_are_403_and_nothing_changes(
    viewer_api, owner, deal, media_root
):
    row = files.deal_file_upload(deal=deal, upload=pdf(), by=owner)
    assert upload(viewer_api, deal.pk, pdf()).status_code == 403
    assert viewer_api.delete(f"/deals/{deal.pk}/files/{row.pk}").status_code == 403
    assert viewer_api.get(f"/deals/{deal.pk}/files/{row.pk}").status_code == 200
    assert (DealFile.objects.count(), on_disk(media_root)) == (1, 1)


def test_given_another_workspace_then_every_file_endpoint_is_404_and_nothing_changes(
    other_api, owner, deal, media_root
):
    row = files.deal_file_upload(deal=deal, upload=pdf(), by=owner)
    assert other_api.get(f"/deals/{deal.pk}/files").status_code == 404
    assert upload(other_api, deal.pk, pdf()).status_code == 404
    assert other_api.get(f"/deals/{deal.pk}/files/{row.pk}").status_code == 404
    assert other_api.delete(f"/deals/{deal.pk}/files/{row.pk}").status_code == 404
    assert (DealFile.objects.count(), on_disk(media_root)) == (1, 1)


def test_given_no_credentials_then_401(anonymous_api, deal, media_root):
    assert anonymous_api.get(f"/deals/{deal.pk}/files").status_code == 401


def test_given_a_file_over_the_cap_then_422_on_file_and_nothing_stored(
    owner_api, deal, media_root, settings
):
    settings.DEAL_FILE_MAX_MB = 1
    response = upload(owner_api, deal.pk, pdf("big.pdf", PDF + b"0" * (1_572_864 - len(PDF))))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": [{"field": "file", "message": "big.pdf is 1.5 MB; files may be at most 1 MB."}],
    }
    assert (DealFile.objects.count(), on_disk(media_root)) == (0, 0)


def test_given_a_forbidden_type_then_422_on_file_and_nothing_stored(owner_api, deal, media_root):
    response = upload(owner_api, deal.pk, SimpleUploadedFile("run.sh", b"#!/bin/sh\n"))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "file"
    assert error["message"].startswith("'.sh' files are not accepted; upload images, videos")
    assert (DealFile.objects.count(), on_disk(media_root)) == (0, 0)


def test_given_no_file_part_then_422_naming_file(owner_api, deal, media_root):
    response = owner_api.client.post(f"{API}/deals/{deal.pk}/files", {})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": "This field is required."}]


def test_given_10_files_when_listing_then_4_queries(
    owner_api, owner, deal, media_root, django_assert_num_queries
):
    for n in range(10):
        files.deal_file_upload(deal=deal, upload=pdf(f"f{n}.pdf"), by=owner)
    owner_api.get("/kpis")  # the first use of a token also stamps last_used_at
    with django_assert_num_queries(LIST_QUERIES):
        response = owner_api.get(f"/deals/{deal.pk}/files")
    assert [f["name"] for f in response.json()][:2] == ["f9.pdf", "f8.pdf"]


def test_given_an_uploaded_file_when_a_draft_names_it_then_it_is_the_drafts_media(
    owner_api, owner, deal, workspace, media_root
):
    row = files.deal_file_upload(deal=deal, upload=pdf("cut.pdf"), by=owner)
    other = DealFactory(workspace=workspace, campaign=deal.campaign)
    elsewhere = files.deal_file_upload(deal=other, upload=pdf(), by=owner)
    # when
    response = owner_api.post(
        f"/deals/{deal.pk}/drafts", {"caption": "#ad Shoes", "media_file_id": row.pk}
    )
    refused = owner_api.post(
        f"/deals/{deal.pk}/drafts", {"caption": "#ad Shoes", "media_file_id": elsewhere.pk}
    )
    # then
    assert (response.status_code, response.json()["media_file_id"]) == (201, row.pk)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "media_file_id", "message": f"No file on this deal with id {elsewhere.pk} here."}
    ]
    assert owner_api.get(f"/deals/{deal.pk}/files").json()[0]["draft_versions"] == [1]
