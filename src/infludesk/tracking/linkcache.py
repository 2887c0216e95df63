"""Tracked links cached in each worker's memory for the redirect.

Invalidation, and the staleness bound it gives:
- Every link write (`tracked_link_*` services) replaces ``links.version`` in the click directory
  after its transaction commits. Each worker stats that file at most every `check_interval`
  (0.1 s; a stat per request would cost more than the rest of the lookup) and drops the whole
  cache when its inode or mtime changed. The writing process itself drops its cache at once.
  So on one host a change is seen at most 0.1 s after the commit, in every worker.
- Entries also expire after `ttl` seconds (default 5) and are reloaded from the database. That
  bounds staleness for changes made elsewhere (another host sharing the database, or a raw SQL
  edit) to ttl + one query.
Unknown slugs are cached too (as None), so a scanner cannot turn into one query per request.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, close_old_connections, connections
from django.utils.encoding import iri_to_uri

from infludesk.tracking.clicklog import bump_link_version, link_version_path, local_link_version
from infludesk.tracking.links import link_utm, redirect_target_parts
from infludesk.tracking.models import TrackedLink

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LinkEntry:
    link_id: int
    workspace_id: int
    status: str
    target_prefix: str
    target_suffix: str
    fallback_url: str


def load_link(slug: str) -> LinkEntry | None:
    """Read one link from the database (blocking: run it off the event loop)."""
    for attempt in (1, 2):
        try:
            link = TrackedLink.objects.filter(slug=slug).first()
            break
        except DatabaseError:
            if attempt == 2:
                raise
            close_old_connections()  # a dropped connection: reconnect once
    if link is None:
        return None
    prefix, suffix = redirect_target_parts(destination_url=link.destination_url, utm=link_utm(link))
    return LinkEntry(
        link_id=link.pk,
        workspace_id=link.workspace_id,
        status=link.status,
        target_prefix=prefix,
        target_suffix=suffix,
        fallback_url=iri_to_uri(link.fallback_url),
    )


class LinkCache:
    def __init__(
        self,
        directory: Path,
        *,
        ttl: float = 5.0,
        check_interval: float = 0.1,
        max_entries: int = 100_000,
        loader: Callable[[str], LinkEntry | None] = load_link,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.check_interval = check_interval
        self.max_entries = max_entries
        self._loader = loader
        self._monotonic = monotonic
        self._version_path = link_version_path(directory)
        if not self._version_path.exists():
            bump_link_version(directory)
        self._version = self._read_version()
        self._local = local_link_version()
        self._checked_at = monotonic()
        self._entries: dict[str, tuple[float, int, LinkEntry | None]] = {}
        self._generation = 0
        self._inflight: dict[str, asyncio.Future[LinkEntry | None]] = {}
        # one thread: loads are rare (a miss or an expiry) and each holds a DB connection
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="link-loader")

    def _read_version(self) -> tuple[int, int]:
        try:
            st = os.stat(self._version_path)
        except FileNotFoundError:
            return (0, 0)
        return (st.st_ino, st.st_mtime_ns)

    def peek(self, slug: str) -> LinkEntry | bool | None:
        """The cached entry (None: no such link) or False when it must be loaded (`get`)."""
        now = self._monotonic()
        if self._local != local_link_version():
            self._local = local_link_version()
            self.clear()
        elif now - self._checked_at >= self.check_interval:
            self._checked_at = now
            version = self._read_version()
            if version != self._version:
                self._version = version
                self.clear()
        cached = self._entries.get(slug)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[2]
        return False

    async def get(self, slug: str) -> LinkEntry | None:
        cached = self.peek(slug)
        if cached is not False:
            return cached  # type: ignore[return-value]
        pending = self._inflight.get(slug)
        if pending is None:
            pending = asyncio.ensure_future(self._load(slug))
            self._inflight[slug] = pending
        return await asyncio.shield(pending)

    async def _load(self, slug: str) -> LinkEntry | None:
        generation = self._generation
        started = self._monotonic()
        try:
            loop = asyncio.get_running_loop()
            entry = await loop.run_in_executor(self._executor, self._loader, slug)
        finally:
            self._inflight.pop(slug, None)
        if len(self._entries) >= self.max_entries:
            self._entries.clear()  # a scanner trying random slugs must not grow memory forever
        if generation == self._generation:  # not invalidated while loading
            self._entries[slug] = (started, generation, entry)
        return entry

    def clear(self) -> None:
        self._generation += 1
        self._entries.clear()

    def close(self) -> None:
        """Close the loader thread's database connection, then the thread."""
        self._executor.submit(connections.close_all).result()
        self._executor.shutdown(wait=True)
