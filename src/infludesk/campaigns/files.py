"""Files on a deal: upload with a size cap and a type allowlist, download through the
workspace-scoped view only, delete. Also the media file of a content draft.

A file is accepted when its extension is on the allowlist AND its first bytes match that kind
(a renamed program is refused). The stored content type comes from the extension, never from
the client. Files live under MEDIA_ROOT with random names; nothing serves MEDIA_ROOT publicly.

Disk and database stay in step: the file is written before the row, and deleted again when the
row's transaction fails; a deleted row's file is removed once the deletion commits. Call the
upload services outside any outer transaction (as views and the API do), otherwise a rollback
of the outer transaction after they return would leave the file behind.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import FileField

from infludesk.campaigns.models import Deal, DealFile, deal_file_path
from infludesk.core.audit import audit_record
from infludesk.core.models import Member


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    family: str  # how the first bytes are checked: see _looks_like


_IMAGE, _VIDEO, _PDF, _ZIP, _OLE, _TEXT = "image", "video", "pdf", "zip", "ole", "text"
ALLOWED: dict[str, Kind] = {
    ".jpg": Kind("JPEG image", "image/jpeg", "jpeg"),
    ".jpeg": Kind("JPEG image", "image/jpeg", "jpeg"),
    ".png": Kind("PNG image", "image/png", "png"),
    ".gif": Kind("GIF image", "image/gif", "gif"),
    ".webp": Kind("WebP image", "image/webp", "webp"),
    ".heic": Kind("HEIC image", "image/heic", "isobmff"),
    ".mp4": Kind("MP4 video", "video/mp4", "isobmff"),
    ".m4v": Kind("MP4 video", "video/x-m4v", "isobmff"),
    ".mov": Kind("QuickTime video", "video/quicktime", "isobmff"),
    ".webm": Kind("WebM video", "video/webm", "webm"),
    ".pdf": Kind("PDF document", "application/pdf", _PDF),
    ".docx": Kind(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    ".xlsx": Kind(
        "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP
    ),
    ".pptx": Kind(
        "PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
    ),
    ".odt": Kind("OpenDocument text", "application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": Kind("OpenDocument sheet", "application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".odp": Kind(
        "OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", _ZIP
    ),
    ".doc": Kind("Word document", "application/msword", _OLE),
    ".xls": Kind("Excel workbook", "application/vnd.ms-excel", _OLE),
    ".ppt": Kind("PowerPoint presentation", "application/vnd.ms-powerpoint", _OLE),
    ".txt": Kind("text file", "text/plain", _TEXT),
    ".csv": Kind("CSV file", "text/csv", _TEXT),
    ".md": Kind("text file", "text/markdown", _TEXT),
}
ALLOWED_TEXT = "images, videos, PDF, office documents and text files (" + ", ".join(ALLOWED) + ")"
# shown inline in the browser on request; everything else is always a download
INLINE_TYPES = frozenset(
    k.content_type for k in ALLOWED.values() if k.content_type.split("/")[0] in (_IMAGE, _VIDEO)
) | {"application/pdf"}


def max_bytes() -> int:
    return int(settings.DEAL_FILE_MAX_MB * 1024 * 1024)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")


def _looks_like(family: str, head: bytes) -> bool:
    """Whether the first bytes of a file match its claimed kind (magic numbers)."""
    if family == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if family == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if family == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if family == "webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    if family == "isobmff":  # MP4, MOV, HEIC: a box of type 'ftyp' (or an old QuickTime atom)
        return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free")
    if family == "webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if family == _PDF:
        return head.startswith(b"%PDF-")
    if family == _ZIP:
        return head.startswith(b"PK\x03\x04")
    if family == _OLE:
        return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if family == _TEXT:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:  # a multi-byte character cut at the end is fine
            return exc.start >= len(head) - 3
        return True
    return False


def _clean_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip()
    return "".join(c for c in base if c.isprintable())[:255] or "file"


def checked_kind(upload: UploadedFile) -> tuple[str, Kind]:
    """(clean original name, kind) of an acceptable upload; ValidationError on `file` naming
    the reason otherwise (too large, empty, a type not on the allowlist, content that does not
    match the extension)."""
    name = _clean_name(upload.name or "")
    size = upload.size or 0
    if size > max_bytes():
        raise ValidationError(
            {"file": [f"{name} is {_mb(size)}; files may be at most {_mb(max_bytes())}."]}
        )
    if size == 0:
        raise ValidationError({"file": [f"{name} is empty."]})
    suffix = PurePath(name).suffix.lower()
    kind = ALLOWED.get(suffix)
    if kind is None:
        what = f"{suffix!r} files are" if suffix else "Files without an extension are"
        raise ValidationError({"file": [f"{what} not accepted; upload {ALLOWED_TEXT}."]})
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if not _looks_like(kind.family, head):
        raise ValidationError(
            {"file": [f"{name} is not a real {kind.label}: its content does not match {suffix}."]}
        )
    return name, kind


def _storage() -> Storage:
    field = DealFile._meta.get_field("file")
    assert isinstance(field, FileField)
    return field.storage


@contextmanager
def stored_upload(
    *, deal: Deal, upload: UploadedFile, by: Member | None, via: str = "manager"
) -> Iterator[DealFile]:
    """Check the upload, write it to storage and yield its row, saved and audited inside a
    transaction that the caller's own writes join; if anything in the block fails the row is
    rolled back and the written file removed."""
    name, kind = checked_kind(upload)
    row = DealFile(
        workspace=deal.workspace,
        deal=deal,
        original_name=name,
        content_type=kind.content_type,
        size=upload.size or 0,
        uploaded_by=by,
        uploaded_via=via,
    )
    storage = _storage()
    stored_name = storage.save(deal_file_path(row, name), upload, max_length=300)
    row.file.name = stored_name
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                workspace=deal.workspace,
                actor=by,
                action="deal.file_upload",
                target=row,
                changes={
                    "deal": [None, deal.pk],
                    "name": [None, name],
                    "size": [None, row.size],
                    "content_type": [None, row.content_type],
                    "via": [None, via],
                },
            )
            yield row
    except BaseException:
        storage.delete(stored_name)
        raise


def deal_file_upload(
    *, deal: Deal, upload: UploadedFile, by: Member | None, via: str = "manager"
) -> DealFile:
    """Attach a file to a deal (checked, stored, audited)."""
    with stored_upload(deal=deal, upload=upload, by=by, via=via) as row:
        return row


def delete_stored_on_commit(names: Iterable[str]) -> None:
    """Remove these stored files once the current transaction commits (rows deleted with a
    deal or campaign take their files with them)."""
    names = [n for n in names if n]
    if names:
        storage = _storage()
        transaction.on_commit(lambda: [storage.delete(n) for n in names])  # type: ignore[func-returns-value]


@transaction.atomic
def deal_file_delete(*, file: DealFile, by: Member | None) -> None:
    """Delete a deal's file and, after commit, its bytes. A file that is a draft's media stays
    as long as the draft (drafts keep their versions)."""
    versions = sorted(file.drafts.values_list("version", flat=True))
    if versions:
        listed = ", ".join(f"v{v}" for v in versions)
        raise ValidationError(
            {"file": [f"{file.original_name} is the media of draft {listed}; drafts keep it."]}
        )
    audit_record(
        workspace=file.workspace,
        actor=by,
        action="deal.file_delete",
        target=file,
        changes={
            "deal": [file.deal_id, None],
            "original_name": [file.original_name, None],
            "content_type": [file.content_type, None],
            "size": [file.size, None],
            "file": [file.file.name, None],
        },
    )
    delete_stored_on_commit([file.file.name])
    file.delete()


def orphan_files(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> list[str]:
    """Stored deal files that no row names (left by a crash between writing the file and
    committing its row, or by a rolled-back outer transaction), older than `older_than` so an
    upload in flight is never taken. Names relative to MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT) / "deal-files"
    if not root.is_dir():
        return []
    cutoff = time.time() - older_than.total_seconds()
    on_disk = {
        str(path.relative_to(settings.MEDIA_ROOT)).replace(os.sep, "/"): path
        for path in root.rglob("*")
        if path.is_file() and path.stat().st_mtime < cutoff
    }
    known = set(DealFile.objects.filter(file__in=list(on_disk)).values_list("file", flat=True))
    return sorted(name for name in on_disk if name not in known)


def orphan_files_delete(names: Iterable[str]) -> int:
    storage = _storage()
    count = 0
    for name in names:
        storage.delete(name)
        count += 1
    return count
