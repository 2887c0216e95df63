"""The durable click log: per-process append-only segment files with group commit.

Why: a click is only worth a 302 once it is safe. Writing each click to the database before
answering costs a transaction per click; instead every worker process appends click records to
its own segment file and fsyncs before the 302 leaves. One writer thread does the writes: while
it fsyncs one batch, new clicks queue up and go out together in the next batch, so one
fdatasync (~0.2-0.4 ms here) covers every request that arrived meanwhile (group commit).

Files in the click directory (``var/clicks`` unless CLICK_LOG_DIR / INFLUDESK_CLICK_DIR):
- ``<ns-time>-<pid>-<token>.log``: segments, one JSON array per line (see `encode_record`).
  The writer holds an exclusive flock on its open segment; the kernel drops that lock when the
  process dies, even on SIGKILL, which is how the folder knows a segment is no longer written.
  Segments are created under a temporary name, locked, then renamed, so a folder never sees an
  unlocked live segment.
- ``fold.lock``: taken by whoever folds, so one folder runs at a time on a host.
- ``links.version``: replaced whenever a tracked link changes (see `bump_link_version`).
- ``ip-salt-YYYY-MM-DD``: the day's random salt for IP hashes; older days' salts are deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

SEGMENT_SUFFIX = ".log"
VERSION_FILE = "links.version"
FOLD_LOCK_FILE = "fold.lock"


def click_dir() -> Path:
    """The click directory, created on first use."""
    from django.conf import settings

    configured = getattr(settings, "CLICK_LOG_DIR", None) or os.environ.get("INFLUDESK_CLICK_DIR")
    path = Path(configured) if configured else Path(settings.VAR_DIR) / "clicks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def fsync_dir(path: Path) -> None:
    """Make a created, renamed or deleted directory entry durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class ClickRecord:
    """One click as written to the log; `clicked_at_us` is Unix time in microseconds."""

    click_id: str
    link_id: int
    workspace_id: int
    clicked_at_us: int
    visitor_hash: str
    ip_hash: str
    ua_class: str
    referrer_host: str
    country: str
    is_bot: bool


def encode_record(r: ClickRecord) -> bytes:
    """A JSON array (positional: small and fast to parse) plus newline."""
    row = [
        1,
        r.click_id,
        r.link_id,
        r.workspace_id,
        r.clicked_at_us,
        r.visitor_hash,
        r.ip_hash,
        r.ua_class,
        r.referrer_host,
        r.country,
        int(r.is_bot),
    ]
    return json.dumps(row, separators=(",", ":")).encode() + b"\n"


def encode_click(
    click_id: str,
    link_id: int,
    workspace_id: int,
    clicked_at_us: int,
    visitor_hash: str,
    ip_hash: str,
    ua_class: str,
    referrer_host: str,
    is_bot: bool,
    country: str = "",
) -> bytes:
    """`encode_record` for the hot path (same bytes; ids and hashes are URL-safe / hex, and
    the country is empty or two capital letters, so only the referrer host needs JSON
    escaping)."""
    referrer = json.dumps(referrer_host)
    return (
        f'[1,"{click_id}",{link_id},{workspace_id},{clicked_at_us},"{visitor_hash}",'
        f'"{ip_hash}","{ua_class}",{referrer},"{country}",{int(is_bot)}]\n'
    ).encode()


def decode_segment(data: bytes) -> tuple[list[ClickRecord], int]:
    """The complete records of a segment and how many lines were unreadable.

    Only the last line can be torn (the process died mid-write); its 302 was never sent
    because responses wait for the fsync of their batch, so dropping it loses nothing.
    """
    records: list[ClickRecord] = []
    bad = 0
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        lines.pop()  # no newline at the end: torn write
        bad += 1
    for line in lines:
        try:
            row = json.loads(line)
            if row[0] != 1:
                raise ValueError(f"unknown record version {row[0]}")
            records.append(
                ClickRecord(
                    click_id=str(row[1]),
                    link_id=int(row[2]),
                    workspace_id=int(row[3]),
                    clicked_at_us=int(row[4]),
                    visitor_hash=str(row[5]),
                    ip_hash=str(row[6]),
                    ua_class=str(row[7]),
                    referrer_host=str(row[8]),
                    country=str(row[9]),
                    is_bot=bool(row[10]),
                )
            )
        except (ValueError, TypeError, IndexError):
            bad += 1
    return records, bad


class _Segment:
    """An open, locked segment file. Only the writer thread (under its lock) touches it."""

    def __init__(self, directory: Path) -> None:
        token = secrets.token_hex(4)
        tmp = directory / f".{os.getpid()}-{token}.tmp"
        self.fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        self.path = directory / f"{time.time_ns():020d}-{os.getpid()}-{token}{SEGMENT_SUFFIX}"
        os.rename(tmp, self.path)
        fsync_dir(directory)
        self.opened_at = time.monotonic()
        self.size = 0

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        os.fdatasync(self.fd)
        self.size += len(data)

    def close(self) -> None:
        """Close (which releases the lock); an empty segment is removed."""
        if self.size == 0:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        os.close(self.fd)


class ClickLog:
    """Group commit of click records; `append` returns once the record is on disk."""

    def __init__(self, directory: Path, *, rotate_seconds: float = 1.0) -> None:
        self.directory = directory
        self.rotate_seconds = rotate_seconds
        self._lock = threading.Lock()
        self._segment: _Segment | None = None
        # The next segment, made ahead by the background thread: creating one costs a
        # directory fsync, which must not stall the requests waiting for a batch.
        self._spare: _Segment | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="click-writer")
        self._pending: list[bytes] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._flushing = False
        self._flusher: asyncio.Task[None] | None = None

    async def append(self, line: bytes) -> None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._pending.append(line)
        self._waiters.append(waiter)
        if not self._flushing:
            self._flushing = True
            self._flusher = loop.create_task(self._flush_loop())
        await waiter

    async def _flush_loop(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._pending:
                lines, waiters = self._pending, self._waiters
                self._pending, self._waiters = [], []
                try:
                    await loop.run_in_executor(self._executor, self._write, b"".join(lines))
                except Exception as exc:
                    logger.exception("click log write failed; %d clicks refused", len(waiters))
                    for waiter in waiters:
                        if not waiter.done():
                            waiter.set_exception(exc)
                else:
                    for waiter in waiters:
                        if not waiter.done():
                            waiter.set_result(None)
        finally:
            self._flushing = False

    def _write(self, data: bytes) -> None:
        with self._lock:
            if self._segment is None:
                self._segment, self._spare = self._spare or _Segment(self.directory), None
                self._segment.opened_at = time.monotonic()
            self._segment.write(data)

    def rotate_if_due(self) -> None:
        """Close the current segment when it is old enough, so the folder can take it.

        Called from the background thread; the lock keeps it between two batches.
        """
        if self._spare is None:
            spare = _Segment(self.directory)
            with self._lock:
                self._spare = spare
        with self._lock:
            segment = self._segment
            if segment is None or segment.size == 0:
                return
            if time.monotonic() - segment.opened_at < self.rotate_seconds:
                return
            self._segment, self._spare = self._spare, None
            if self._segment is not None:
                self._segment.opened_at = time.monotonic()
            segment.close()

    async def aclose(self) -> None:
        """Wait for queued records, then close the segment (making it foldable)."""
        while self._flushing or self._pending:
            await asyncio.sleep(0.005)
        with self._lock:
            for segment in (self._segment, self._spare):
                if segment is not None:
                    segment.close()
            self._segment = self._spare = None
        self._executor.shutdown(wait=True)


def list_segments(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob(f"*{SEGMENT_SUFFIX}") if p.is_file())


@contextlib.contextmanager
def claimed_segment(path: Path) -> Iterator[bytes | None]:
    """The bytes of a segment nobody writes any more, held locked; None if it is in use or gone.

    The caller deletes the file (`remove_segment`) inside the block once its records are stored.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        yield None
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        try:
            same_file = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same_file = False
        if not same_file:  # folded and removed by someone else meanwhile
            yield None
            return
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        yield b"".join(chunks)
    finally:
        os.close(fd)


def remove_segment(path: Path) -> None:
    path.unlink()
    fsync_dir(path.parent)


@contextlib.contextmanager
def fold_lock(directory: Path, *, wait: bool) -> Iterator[bool]:
    """True inside the block when this process is the host's only folder."""
    fd = os.open(directory / FOLD_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def link_version_path(directory: Path) -> Path:
    return directory / VERSION_FILE


_local_version = 0


def local_link_version() -> int:
    """Bumped with the file, so this process sees its own link changes without a stat."""
    return _local_version


def bump_link_version(directory: Path | None = None) -> None:
    """Tell every worker on this host that tracked links changed (they compare inode+mtime)."""
    global _local_version
    _local_version += 1
    directory = directory or click_dir()
    tmp = directory / f".{VERSION_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    tmp.write_text(secrets.token_hex(8))
    os.replace(tmp, link_version_path(directory))


def daily_ip_salt(directory: Path, day: str) -> bytes:
    """The random salt for IP hashes on `day` (YYYY-MM-DD, UTC), shared by the host's workers.

    Created once per day (os.link fails if another worker won the race); salts of other days
    are deleted, so yesterday's IP hashes can no longer be brute-forced back to addresses.
    """
    path = directory / f"ip-salt-{day}"
    if not path.exists():
        tmp = directory / f".ip-salt-{os.getpid()}-{secrets.token_hex(4)}"
        tmp.write_bytes(secrets.token_bytes(32))
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink()
        for old in directory.glob("ip-salt-*"):
            if old.name != path.name:
                with contextlib.suppress(FileNotFoundError):
                    old.unlink()
    return path.read_bytes()
