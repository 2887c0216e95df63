"""A local HTTP server replaying documented store API responses (no network)."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeStore:
    url: str = ""
    routes: dict[tuple[str, str], list[tuple[int, dict[str, str], bytes]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    seen: list[Seen] = field(default_factory=list)

    def reply(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> None:
        """Queue a response for method + path; the last one queued repeats."""
        payload = raw if raw is not None else json.dumps(body).encode()
        self.routes[(method, path)].append((status, headers or {}, payload))


def _handler(store: FakeStore) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            store.seen.append(
                Seen(
                    self.command,
                    parts.path,
                    parts.query,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
            )
            queue = store.routes.get((self.command, parts.path))
            if not queue:
                status, headers, payload = 404, {}, b'{"errors":"Not Found"}'
            else:
                status, headers, payload = queue.pop(0) if len(queue) > 1 else queue[0]
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers.items():
                self.send_header(key, value.replace("{url}", store.url))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def fake_store():
    store = FakeStore()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store))
    store.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield store
    server.shutdown()
    server.server_close()


@pytest.fixture
def sleeps():
    """Records the waits a connector asks for instead of sleeping."""
    return []
