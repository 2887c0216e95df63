"""The redirect's in-memory link cache: expiry, cross-process invalidation, bounded size."""

from __future__ import annotations

import asyncio
import os

from infludesk.tracking.clicklog import link_version_path
from infludesk.tracking.linkcache import LinkCache, LinkEntry


class Loader:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.status = "active"

    def __call__(self, slug: str) -> LinkEntry | None:
        self.calls.append(slug)
        if slug.startswith("none"):
            return None
        return LinkEntry(1, 1, self.status, "https://x.test/?ifd_click=", "", "")


class Monotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(tmp_path, **kwargs):
    loader, clock = Loader(), Monotonic()
    cache = LinkCache(tmp_path, loader=loader, monotonic=clock, **kwargs)
    return cache, loader, clock


def get(cache: LinkCache, slug: str) -> LinkEntry | None:
    return asyncio.run(cache.get(slug))


def test_given_an_unknown_slug_then_it_is_looked_up_once_within_the_ttl(tmp_path):
    cache, loader, _ = make(tmp_path)
    results = [get(cache, "none1234") for _ in range(3)]
    cache.close()
    assert (results, loader.calls) == ([None, None, None], ["none1234"])


def test_given_an_entry_older_than_the_ttl_then_it_is_reloaded(tmp_path):
    cache, loader, clock = make(tmp_path, ttl=5.0)
    get(cache, "abc")
    clock.now += 4.9
    get(cache, "abc")
    clock.now += 0.2
    get(cache, "abc")
    cache.close()
    assert loader.calls == ["abc", "abc"]


def test_given_another_process_changes_a_link_then_seen_after_the_check_interval(tmp_path):
    cache, loader, clock = make(tmp_path, check_interval=0.1)
    get(cache, "abc")
    other = tmp_path / "other-process.tmp"  # what bump_link_version does in another process
    other.write_text("v2")
    os.replace(other, link_version_path(tmp_path))
    loader.status = "paused"
    clock.now += 0.05
    before = get(cache, "abc")
    clock.now += 0.1
    after = get(cache, "abc")
    cache.close()
    assert (before.status, after.status) == ("active", "paused")  # type: ignore[union-attr]


def test_given_many_distinct_slugs_then_the_cache_stays_bounded(tmp_path):
    cache, _, _ = make(tmp_path, max_entries=10)
    for n in range(25):
        get(cache, f"none{n:04d}")
    size = len(cache._entries)
    cache.close()
    assert size == 5  # cleared at 10 and 20, then 5 more
