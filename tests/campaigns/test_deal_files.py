"""Files on a deal: upload with a size cap and a type allowlist, private workspace-scoped
downloads, audited deletes, and a draft's media file; disk and database stay in step."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from infludesk.campaigns import content, files
from infludesk.campaigns.models import ContentDraft, DealFile
from infludesk.campaigns.services import deal_delete
from infludesk.core.models import AuditEntry
from tests.factories import CampaignFactory, DealFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def pdf(name: str = "invoice.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored(media_root: Path) -> list[str]:
    """Every file under MEDIA_ROOT, relative to it."""
    if not media_root.exists():
        return []
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


@pytest.fixture
def deal(workspace):
    return DealFactory(workspace=workspace, campaign=CampaignFactory(workspace=workspace))


@pytest.fixture
def other_deal(other_workspace):
    return DealFactory(
        workspace=other_workspace, campaign=CampaignFactory(workspace=other_workspace)
    )


# --- service ---------------------------------------------------------------------------------


def test_given_a_pdf_when_uploaded_then_stored_privately_under_a_random_name_and_audited(
    deal, manager, media_root
):
    # when
    row = files.deal_file_upload(deal=deal, upload=pdf("Invoice March.pdf"), by=manager)
    # then
    assert (row.original_name, row.content_type, row.size, row.uploaded_by) == (
        "Invoice March.pdf",
        "application/pdf",
        len(PDF),
        manager,
    )
    [path] = stored(media_root)
    assert path.startswith(f"deal-files/{deal.workspace_id}/{deal.pk}/")
    assert path.endswith(".pdf") and "Invoice" not in path
    assert (media_root / path).read_bytes() == PDF
    entry = AuditEntry.objects.get(action="deal.file_upload")
    assert (entry.actor, entry.target_id, entry.changes) == (
        manager,
        str(row.pk),
        {
            "deal": [None, deal.pk],
            "name": [None, "Invoice March.pdf"],
            "size": [None, len(PDF)],
            "content_type": [None, "application/pdf"],
            "via": [None, "manager"],
        },
    )


def test_given_a_client_claimed_type_then_the_stored_type_comes_from_the_extension(
    deal, manager, media_root
):
    upload = SimpleUploadedFile("shot.png", PNG, content_type="text/html")
    assert files.deal_file_upload(deal=deal, upload=upload, by=manager).content_type == (
        "image/png"
    )


def test_given_a_file_over_the_cap_when_uploaded_then_refused_and_nothing_stored(
    deal, manager, media_root, settings
):
    # given a 1 MB cap and a 1.5 MB PDF
    settings.DEAL_FILE_MAX_MB = 1
    big = pdf("big.pdf", PDF + b"0" * (1_572_864 - len(PDF)))
    # when
    with pytest.raises(ValidationError) as err:
        files.deal_file_upload(deal=deal, upload=big, by=manager)
    # then
    assert err.value.message_dict == {"file": ["big.pdf is 1.5 MB; files may be at most 1 MB."]}
    assert (DealFile.objects.count(), stored(media_root)) == (0, [])
    assert not AuditEntry.objects.filter(action="deal.file_upload").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "setup.exe",
            b"MZ\x90\x00",
            "'.exe' files are not accepted; upload images, videos, PDF, office documents and "
            "text files (",
        ),
        ("page.html", b"<html>", "'.html' files are not accepted; upload images, videos"),
        ("logo.svg", b"<svg/>", "'.svg' files are not accepted; upload images, videos"),
        ("README", b"hello", "Files without an extension are not accepted; upload images"),
        (
            "invoice.pdf",
            b"MZ\x90\x00\x03",
            "invoice.pdf is not a real PDF document: its content does not match .pdf.",
        ),
        (
            "notes.txt",
            b"ab\x00cd",
            "notes.txt is not a real text file: its content does not match .txt.",
        ),
        ("empty.pdf", b"", "empty.pdf is empty."),
    ],
)
def test_given_a_forbidden_type_when_uploaded_then_refused_with_the_reason_and_nothing_stored(
    deal, manager, media_root, name, data, message
):
    with pytest.raises(ValidationError) as err:
        files.deal_file_upload(deal=deal, upload=SimpleUploadedFile(name, data), by=manager)
    assert err.value.message_dict["file"][0].startswith(message)
    assert (DealFile.objects.count(), stored(media_root)) == (0, [])


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("photo.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
        ("clip.mov", b"\x00\x00\x00\x14ftypqt  ", "video/quicktime"),
        ("brief.docx", b"PK\x03\x04\x14\x00", "application/vnd.openxmlformats-officedocument"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "application/vnd.ms-excel"),
        ("notes.txt", "Café notes".encode(), "text/plain"),
        ("list.csv", b"a,b\n1,2\n", "text/csv"),
    ],
)
def test_given_an_allowed_type_when_uploaded_then_accepted(
    deal, manager, media_root, name, data, content_type
):
    row = files.deal_file_upload(deal=deal, upload=SimpleUploadedFile(name, data), by=manager)
    assert row.content_type.startswith(content_type)


def test_given_a_path_in_the_name_then_only_the_base_name_is_kept(deal, manager, media_root):
    row = files.deal_file_upload(deal=deal, upload=pdf("..\\..\\etc/passwd.pdf"), by=manager)
    assert row.original_name == "passwd.pdf"
    assert stored(media_root)[0].startswith(f"deal-files/{deal.workspace_id}/{deal.pk}/")


def test_given_a_file_when_deleted_then_the_row_goes_the_bytes_follow_and_it_is_audited(
    deal, manager, media_root, django_capture_on_commit_callbacks
):
    row = files.deal_file_upload(deal=deal, upload=pdf(), by=manager)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        files.deal_file_delete(file=row, by=manager)
    # then
    assert (DealFile.objects.count(), stored(media_root)) == (0, [])
    entry = AuditEntry.objects.get(action="deal.file_delete")
    assert (entry.actor, entry.changes["original_name"]) == (manager, ["invoice.pdf", None])


def test_given_a_draft_with_a_media_file_then_the_file_is_kept_with_the_draft(
    deal, manager, media_root
):
    # when
    draft = content.draft_submit(
        deal=deal, caption="#ad New shoes", media_file=pdf("cut.pdf"), by=manager
    )
    # then
    assert (draft.media_file.original_name, draft.media_file.deal) == ("cut.pdf", deal)
    assert AuditEntry.objects.get(action="draft.submit").changes["media_file"] == [
        None,
        "cut.pdf",
    ]
    with pytest.raises(ValidationError) as err:
        files.deal_file_delete(file=draft.media_file, by=manager)
    assert err.value.message_dict == {"file": ["cut.pdf is the media of draft v1; drafts keep it."]}
    assert len(stored(media_root)) == 1


def test_given_a_draft_write_that_fails_then_its_media_file_is_not_left_on_disk(
    deal, manager, media_root
):
    # given a media URL the draft row refuses, so the database write fails after the upload
    with pytest.raises(ValidationError) as err:
        content.draft_submit(
            deal=deal,
            caption="#ad New shoes",
            media_url="not a url",
            media_file=pdf("cut.pdf"),
            by=manager,
        )
    # then
    assert err.value.message_dict == {"media_url": ["Enter a valid URL."]}
    assert (DealFile.objects.count(), ContentDraft.objects.count()) == (0, 0)
    assert stored(media_root) == []
    assert not AuditEntry.objects.filter(action="deal.file_upload").exists()


def test_given_a_deal_with_files_and_a_draft_when_deleted_then_its_files_leave_the_disk(
    deal, manager, media_root, django_capture_on_commit_callbacks
):
    files.deal_file_upload(deal=deal, upload=pdf(), by=manager)
    content.draft_submit(deal=deal, caption="#ad x", media_file=pdf("cut.pdf"), by=manager)
    assert len(stored(media_root)) == 2
    # when
    with django_capture_on_commit_callbacks(execute=True):
        deal_delete(deal=deal, by=manager)
    # then
    assert (DealFile.objects.count(), stored(media_root)) == (0, [])


# --- pages -----------------------------------------------------------------------------------


def test_given_the_deal_page_then_it_loads_the_files_section(manager_client, deal):
    page = manager_client.get(f"/deals/{deal.pk}/").content.decode()
    assert f'hx-get="/deals/{deal.pk}/files/?partial=1"' in page


def test_given_a_manager_when_uploading_on_the_page_then_listed_and_downloadable(
    manager_client, deal, media_root
):
    # when
    response = manager_client.post(f"/deals/{deal.pk}/files/", {"file": pdf("Contract.pdf")})
    # then
    assert (response.status_code, response["Location"]) == (302, f"/deals/{deal.pk}/")
    row = DealFile.objects.get()
    listing = manager_client.get(f"/deals/{deal.pk}/files/?partial=1").content.decode()
    assert f'href="/deals/{deal.pk}/files/{row.pk}/">Contract.pdf</a>' in listing
    download = manager_client.get(f"/deals/{deal.pk}/files/{row.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Contract.pdf"'
    assert (download["X-Content-Type-Options"], download["Content-Security-Policy"]) == (
        "nosniff",
        "sandbox",
    )
    inline = manager_client.get(f"/deals/{deal.pk}/files/{row.pk}/?inline=1")
    assert inline["Content-Disposition"] == 'inline; filename="Contract.pdf"'


def test_given_an_oversized_upload_on_the_page_then_400_with_the_message(
    manager_client, deal, media_root, settings
):
    settings.DEAL_FILE_MAX_MB = 1
    big = pdf("big.pdf", PDF + b"0" * (1_572_864 - len(PDF)))
    response = manager_client.post(f"/deals/{deal.pk}/files/", {"file": big})
    assert response.status_code == 400
    assert "big.pdf is 1.5 MB; files may be at most 1 MB." in response.content.decode()
    assert (DealFile.objects.count(), stored(media_root)) == (0, [])


def test_given_no_file_when_posting_then_400_asking_for_one(manager_client, deal, media_root):
    response = manager_client.post(f"/deals/{deal.pk}/files/", {})
    assert response.status_code == 400
    assert "Choose a file to upload." in response.content.decode()


def test_given_a_viewer_then_uploads_and_deletes_are_403_but_downloads_work(
    viewer_client, deal, manager, media_root
):
    row = files.deal_file_upload(deal=deal, upload=pdf(), by=manager)
    assert viewer_client.post(f"/deals/{deal.pk}/files/", {"file": pdf()}).status_code == 403
    assert viewer_client.post(f"/deals/{deal.pk}/files/{row.pk}/delete/").status_code == 403
    assert viewer_client.get(f"/deals/{deal.pk}/files/{row.pk}/").status_code == 200
    assert DealFile.objects.count() == 1
    assert len(stored(media_root)) == 1


def test_given_another_workspace_then_its_files_are_404_and_nothing_changes(
    owner_client, other_deal, other_owner, deal, media_root
):
    # given a file on the other workspace's deal
    theirs = files.deal_file_upload(deal=other_deal, upload=pdf(), by=other_owner)
    base = f"/deals/{other_deal.pk}/files"
    # then
    assert owner_client.get(f"{base}/").status_code == 404
    assert owner_client.post(f"{base}/", {"file": pdf()}).status_code == 404
    assert owner_client.get(f"{base}/{theirs.pk}/").status_code == 404
    assert owner_client.post(f"{base}/{theirs.pk}/delete/").status_code == 404
    # nor through one of our own deals
    assert owner_client.get(f"/deals/{deal.pk}/files/{theirs.pk}/").status_code == 404
    assert DealFile.objects.count() == 1
    assert len(stored(media_root)) == 1


def test_given_no_sign_in_then_downloads_redirect_to_login_and_media_is_not_served(
    client, deal, manager, media_root
):
    row = files.deal_file_upload(deal=deal, upload=pdf(), by=manager)
    response = client.get(f"/deals/{deal.pk}/files/{row.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert client.get(f"/media/{row.file.name}").status_code == 404


def test_given_a_page_delete_then_the_file_goes_and_the_page_says_so(
    manager_client, deal, manager, media_root, django_capture_on_commit_callbacks
):
    row = files.deal_file_upload(deal=deal, upload=pdf(), by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/deals/{deal.pk}/files/{row.pk}/delete/")
    assert (response.status_code, response["Location"]) == (302, f"/deals/{deal.pk}/")
    assert (DealFile.objects.count(), stored(media_root)) == (0, [])


def test_given_the_creators_signed_link_when_a_draft_with_a_file_is_sent_then_it_is_kept(
    client, deal, media_root
):
    token = content.draft_link_token(deal)
    # when
    response = client.post(
        f"/content/c/{token}/", {"caption": "#ad My run", "media_file": pdf("reel.pdf")}
    )
    # then
    assert response.status_code == 200
    assert "Version 1 received with reel.pdf." in response.content.decode()
    draft = ContentDraft.objects.get()
    assert (draft.submitted_via, draft.media_file.uploaded_via, draft.media_file.uploaded_by) == (
        "creator",
        "creator",
        None,
    )


def test_given_the_creators_link_when_a_forbidden_file_is_sent_then_400_and_no_draft(
    client, deal, media_root
):
    token = content.draft_link_token(deal)
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    response = client.post(f"/content/c/{token}/", {"caption": "#ad x", "media_file": upload})
    assert response.status_code == 400
    assert "&#x27;.exe&#x27; files are not accepted" in response.content.decode()
    assert (ContentDraft.objects.count(), DealFile.objects.count(), stored(media_root)) == (
        0,
        0,
        [],
    )


def test_given_a_manager_draft_with_a_file_on_the_content_page_then_linked(
    manager_client, deal, media_root
):
    response = manager_client.post(
        f"/content/deals/{deal.pk}/",
        {"action": "submit", "caption": "#ad Shoes", "media_file": pdf("cut.pdf")},
    )
    assert response.status_code == 302
    draft = ContentDraft.objects.get()
    page = manager_client.get(f"/content/deals/{deal.pk}/").content.decode()
    assert f'href="/deals/{deal.pk}/files/{draft.media_file_id}/">cut.pdf</a>' in page


def test_given_orphan_files_then_prune_removes_only_old_ones_without_a_row(
    deal, manager, media_root
):
    # given a file with its row, an old orphan and one just written (an upload in flight)
    kept = files.deal_file_upload(deal=deal, upload=pdf(), by=manager)
    folder = media_root / "deal-files" / str(deal.workspace_id) / str(deal.pk)
    old, fresh = folder / "old.pdf", folder / "fresh.pdf"
    old.write_bytes(PDF)
    fresh.write_bytes(PDF)
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(media_root / kept.file.name, (two_hours_ago, two_hours_ago))
    prefix = f"deal-files/{deal.workspace_id}/{deal.pk}"
    # when listed, then removed
    out = io.StringIO()
    call_command("prune_deal_files", "--dry-run", stdout=out)
    assert out.getvalue() == f"{prefix}/old.pdf\n1 orphan file(s); nothing removed (--dry-run)\n"
    out = io.StringIO()
    call_command("prune_deal_files", stdout=out)
    # then
    assert out.getvalue() == f"{prefix}/old.pdf\n1 orphan file(s) removed\n"
    assert stored(media_root) == sorted([kept.file.name, f"{prefix}/fresh.pdf"])
