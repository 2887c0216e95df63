"""REST endpoints for a deal's files, mounted by infludesk.api.api at /api/v1/.

Upload is multipart (`file`); the size cap and the type allowlist of campaigns/files.py apply
(a refused file is a 422 on `file` saying why, and nothing is stored). Downloads stream the
bytes to members of the deal's workspace only; another workspace's deal or file is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.campaigns import files
from infludesk.campaigns.models import Deal, DealFile
from infludesk.campaigns.views_files import file_response
from infludesk.core.models import Member

router = Router(tags=["files"])


class DealFileOut(Schema):
    id: int
    deal_id: int
    name: str
    content_type: str
    size: int
    uploaded_by: str | None
    uploaded_via: str
    created_at: dt.datetime
    download_url: str
    draft_versions: list[int]

    @staticmethod
    def resolve_name(row: DealFile) -> str:
        return row.original_name

    @staticmethod
    def resolve_uploaded_by(row: DealFile) -> str | None:
        return row.uploaded_by.user.email if row.uploaded_by is not None else None

    @staticmethod
    def resolve_download_url(row: DealFile) -> str:
        return f"/api/v1/deals/{row.deal_id}/files/{row.pk}"

    @staticmethod
    def resolve_draft_versions(row: DealFile) -> list[int]:
        return sorted(d.version for d in row.drafts.all())


def _deal(member: Member, deal_id: int) -> Deal:
    return get_object_or_404(
        Deal.objects.select_related("workspace"), workspace_id=member.workspace_id, pk=deal_id
    )


def _file(member: Member, deal_id: int, file_id: int) -> DealFile:
    return get_object_or_404(
        DealFile.objects.select_related("workspace"),
        workspace_id=member.workspace_id,
        deal_id=deal_id,
        pk=file_id,
    )


@router.get("/deals/{deal_id}/files", response={200: list[DealFileOut], **ERROR_RESPONSES})
def list_deal_files(request: HttpRequest, deal_id: Id) -> list[DealFile]:
    """The deal's files, newest first."""
    deal = _deal(member_of(request), deal_id)
    return list(
        DealFile.objects.filter(deal=deal)
        .select_related("uploaded_by__user")
        .prefetch_related("drafts")
        .order_by("-created_at", "-pk")
    )


@router.post(
    "/deals/{deal_id}/files",
    response={201: DealFileOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def upload_deal_file(
    request: HttpRequest, deal_id: Id, file: File[UploadedFile]
) -> Status[DealFile]:
    """Upload one file (multipart field `file`): images, videos, PDF, office documents or
    text, up to the configured size (INFLUDESK_FILE_MAX_MB, 25 MB by default)."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    row = files.deal_file_upload(deal=deal, upload=file, by=member)
    row = DealFile.objects.select_related("uploaded_by__user").get(pk=row.pk)
    return Status(201, row)


@router.get(
    "/deals/{deal_id}/files/{file_id}",
    response={404: ERROR_RESPONSES[404], 401: ERROR_RESPONSES[401]},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file's bytes, as an attachment",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_deal_file(request: HttpRequest, deal_id: Id, file_id: Id) -> FileResponse:
    """The file's bytes, with its stored content type, as an attachment."""
    return file_response(_file(member_of(request), deal_id, file_id))


@router.delete(
    "/deals/{deal_id}/files/{file_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def delete_deal_file(request: HttpRequest, deal_id: Id, file_id: Id) -> Status[None]:
    """Delete a file (a draft's media file stays while the draft exists: 422)."""
    member = member_of(request)
    files.deal_file_delete(file=_file(member, deal_id, file_id), by=member)
    return Status(204, None)
