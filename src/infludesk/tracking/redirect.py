"""The tracked-link redirect: a minimal ASGI app in front of Django's.

`/l/<slug>` is answered here without Django's request cycle: the link comes from the in-memory
`LinkCache`, the click is appended to the durable `ClickLog` (the 302 leaves only after the
click's batch is fsynced), and a folder thread moves finished log segments into the Click
table. Every other request, and every other ASGI scope type, goes to Django.

Privacy: the visitor id is a random first-party cookie (`ifd_vid`); only HMAC-SHA256(SECRET_KEY,
id) is stored (first 128 bits, hex). The IP address is only used as HMAC-SHA256(daily random
salt, ip), 128 bits; the salt file of a day is deleted the next day. No raw IP is stored or
logged. With GEOIP_DB set (tracking/geoip.py), the raw IP is looked up in that local country
database before hashing and only the country code is kept; unset, the country stays empty
and no lookup code runs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import hmac
import logging
import os
import re
import threading
import time
from base64 import urlsafe_b64encode
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections

from infludesk.tracking.bots import classify_user_agent
from infludesk.tracking.clicklog import ClickLog, click_dir, daily_ip_salt, encode_click
from infludesk.tracking.geoip import CountryLookup, open_country_lookup
from infludesk.tracking.linkcache import LinkCache, LinkEntry
from infludesk.tracking.models import LinkStatus

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]

PREFIX = "/l/"
VISITOR_COOKIE = "ifd_vid"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
_SLUG_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_VISITOR_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")

NOT_FOUND_HTML = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Link not available</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;
color:#222;line-height:1.5}h1{font-size:1.4rem}</style></head>
<body><h1>This link is not available</h1>
<p>The link you followed may be mistyped, or its owner has turned it off.</p>
<p>If someone shared it with you, ask them for a new one.</p></body></html>
"""
UNAVAILABLE_HTML = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Try again</title></head>
<body><h1>Please try again in a moment</h1></body></html>
"""


class RedirectApp:
    """Wraps Django's ASGI app; serves `/l/<slug>` itself. Clock and paths are injectable."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        directory: Path | None = None,
        clock: Callable[[], float] = time.time,
        fold_interval: float | None = None,
        rotate_seconds: float = 1.0,
        link_ttl: float = 5.0,
        background_fold: bool = True,
    ) -> None:
        self.app = app
        self._directory = directory
        self.clock = clock
        # INFLUDESK_FOLD_INTERVAL=0 leaves folding to `infludesk fold-clicks` (e.g. from cron)
        if fold_interval is None:
            fold_interval = float(os.environ.get("INFLUDESK_FOLD_INTERVAL", "1"))
        self.fold_interval = fold_interval
        self.rotate_seconds = rotate_seconds
        self.link_ttl = link_ttl
        self.background_fold = background_fold
        self.log: ClickLog | None = None
        self.links: LinkCache | None = None
        self._stop = threading.Event()
        self._folder: threading.Thread | None = None
        self._salt_since = 0.0
        self._salt_until = 0.0
        self._ip_salt = b""
        self._visitor_key = b""
        self._cookie_tail = b""
        self._proxy_hops = int(os.environ.get("INFLUDESK_PROXY_HOPS", "0"))
        self.geoip: CountryLookup | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        if self.log is not None:
            return
        directory = self._directory or click_dir()
        directory.mkdir(parents=True, exist_ok=True)
        self._directory = directory
        self.log = ClickLog(directory, rotate_seconds=self.rotate_seconds)
        self.links = LinkCache(directory, ttl=self.link_ttl)
        self.geoip = open_country_lookup()
        self._visitor_key = settings.SECRET_KEY.encode()
        secure = "; Secure" if settings.SESSION_COOKIE_SECURE else ""
        self._cookie_tail = (
            f"; Max-Age={COOKIE_MAX_AGE}; Path=/; SameSite=Lax; HttpOnly{secure}".encode()
        )
        # Django's start-up objects never die; moving them out of the collector's reach keeps
        # full collections (pauses in the redirect's p99) short.
        gc.collect()
        gc.freeze()
        if self.background_fold:
            self._folder = threading.Thread(target=self._background, name="click-folder")
            self._folder.daemon = True
            self._folder.start()

    def _background(self) -> None:
        """Rotate the log segment every `rotate_seconds` (so finished clicks become foldable
        even without new traffic) and, unless folding is left to `infludesk serve`'s
        supervisor (fold_interval 0), fold the host's finished segments."""
        from infludesk.tracking.clickfold import fold_clicks

        assert self.log is not None and self._directory is not None
        fold = self.fold_interval > 0
        tick = min(self.rotate_seconds, self.fold_interval) if fold else self.rotate_seconds
        next_fold = 0.0  # the first round folds what crashed processes left behind
        while True:
            try:
                self.log.rotate_if_due()
                if fold and time.monotonic() >= next_fold:
                    fold_clicks(directory=self._directory)
                    next_fold = time.monotonic() + self.fold_interval
            except Exception:
                logger.exception("click fold failed; the log keeps the clicks, will retry")
            if self._stop.wait(tick):
                break
        connections.close_all()  # this thread's connection, if it folded

    async def stop(self) -> None:
        """Flush and close the log, then fold what is left (graceful shutdown)."""
        if self.log is None:
            return
        self._stop.set()
        await self.log.aclose()
        if self._folder is not None:
            await asyncio.to_thread(self._folder.join)
        if self._folder is not None and self.fold_interval > 0:
            from infludesk.tracking.clickfold import fold_clicks

            await asyncio.to_thread(fold_clicks, directory=self._directory, wait=True)
        assert self.links is not None
        self.links.close()
        if self.geoip is not None:
            self.geoip.close()
            self.geoip = None
        self.log = None

    # -- ASGI --------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PREFIX):
            await self.redirect(scope, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        else:
            await self.app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        # Django's ASGI handler does not speak lifespan; we use it to start and flush the log.
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self.start()
                except Exception as exc:
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def redirect(self, scope: Scope, send: Send) -> None:
        if self.log is None:
            self.start()
        assert self.log is not None and self.links is not None
        method = scope["method"]
        if method != "GET" and method != "HEAD":
            await _respond(send, 405, [(b"allow", b"GET, HEAD")], b"", method)
            return
        slug = scope["path"][3:].rstrip("/")
        entry = self.links.peek(slug)
        if entry is False:
            entry = await self.links.get(slug) if _SLUG_RE.fullmatch(slug) else None
        if entry is None or entry.status != LinkStatus.ACTIVE:  # type: ignore[union-attr]
            await self._inactive(send, entry, method)  # type: ignore[arg-type]
            return
        assert isinstance(entry, LinkEntry)
        user_agent = referer = cookie = forwarded = ""
        for name, value in scope["headers"]:
            if name == b"user-agent":
                user_agent = value.decode("latin-1")
            elif name == b"cookie":
                cookie = value.decode("latin-1")
            elif name == b"referer":
                referer = value.decode("latin-1")
            elif name == b"x-forwarded-for":
                forwarded = value.decode("latin-1")
        # one urandom call for both ids: 12 random bytes each, 16 URL-safe characters each
        fresh = urlsafe_b64encode(os.urandom(24)).decode()
        click_id = fresh[:16]
        visitor = (_visitor_from_cookie(cookie) if cookie else "") or fresh[16:]
        ua_class, is_bot = classify_user_agent(user_agent)
        now = self.clock()
        if self._proxy_hops and forwarded:
            hops = [part.strip() for part in forwarded.split(",")]
            ip = hops[-self._proxy_hops] if len(hops) >= self._proxy_hops else hops[0]
        else:
            client = scope.get("client")
            ip = str(client[0]) if client else ""
        line = encode_click(
            click_id,
            entry.link_id,
            entry.workspace_id,
            int(now * 1_000_000),
            hmac.digest(self._visitor_key, visitor.encode(), "sha256")[:16].hex(),
            self._ip_hash(ip, now) if ip else "",
            ua_class,
            _referrer_host(referer) if referer else "",
            is_bot or method == "HEAD",
            self.geoip.country(ip) if self.geoip is not None and ip else "",
        )
        try:
            await self.log.append(line)
        except Exception:
            await _respond(send, 503, [(b"retry-after", b"1")], UNAVAILABLE_HTML, method)
            return
        location = entry.target_prefix + click_id + entry.target_suffix
        headers = [
            (b"location", location.encode("ascii", "replace")),
            (b"set-cookie", b"ifd_vid=" + visitor.encode() + self._cookie_tail),
        ]
        await _respond(send, 302, headers, b"", method)

    async def _inactive(self, send: Send, entry: LinkEntry | None, method: str) -> None:
        """Unknown or disabled: the friendly 404 page. Paused: on to the fallback, not counted."""
        if entry is not None and entry.status == LinkStatus.PAUSED and entry.fallback_url:
            location = entry.fallback_url.encode("ascii", "replace")
            await _respond(send, 302, [(b"location", location)], b"", method)
            return
        await _respond(
            send, 404, [(b"content-type", b"text/html; charset=utf-8")], NOT_FOUND_HTML, method
        )

    def _ip_hash(self, ip: str, now: float) -> str:
        """HMAC-SHA256(salt of the UTC day, ip), 128 bits as hex."""
        if now >= self._salt_until:
            assert self._directory is not None
            day = dt.datetime.fromtimestamp(now, tz=dt.UTC).date()
            self._ip_salt = daily_ip_salt(self._directory, day.isoformat())
            midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
            self._salt_since = midnight.timestamp()
            self._salt_until = self._salt_since + 86400
        elif now < self._salt_since:  # an injected clock going back
            self._salt_until = 0.0
            return self._ip_hash(ip, now)
        return hmac.digest(self._ip_salt, ip.encode(), "sha256")[:16].hex()


def _visitor_from_cookie(cookie: str) -> str:
    if not cookie:
        return ""
    for part in cookie.split(";"):
        name, _, value = part.strip().partition("=")
        if name == VISITOR_COOKIE and _VISITOR_RE.fullmatch(value):
            return value
    return ""


def _referrer_host(referer: str) -> str:
    if not referer:
        return ""
    try:
        return (urlsplit(referer).hostname or "")[:255]
    except ValueError:
        return ""


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, method: str
) -> None:
    headers = [
        *headers,
        (b"cache-control", b"no-store"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
