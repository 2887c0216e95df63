"""Crash test: every click that got a 302 survives `kill -9` of the whole server under load.

Starts `infludesk serve` (2 workers) on a migrated temporary database, fires clicks from several
threads, kills the server's process group with SIGKILL mid-run, restarts it (start-up folds the
leftover log) and checks that each click id seen in a Location header is stored exactly once.
Runs on SQLite, or on PostgreSQL when DATABASE_URL points there (in a database of its own).
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
KILL_AFTER = 150  # 302s received before the kill
MAX_CLICKS = 300
SETUP = """
import django
django.setup()
from django.db import connection
if connection.vendor == "sqlite":  # a throwaway database: skip the fsyncs of each migration
    connection.cursor().execute("PRAGMA synchronous=OFF")
from django.core.management import call_command
call_command("migrate", verbosity=0)
from infludesk.core.models import Workspace
from infludesk.creators.models import Creator
from infludesk.tracking.links import tracked_link_create
ws = Workspace.objects.create(name="Crash", slug="crash")
creator = Creator.objects.create(workspace=ws, name="Anna")
print(tracked_link_create(workspace=ws, creator=creator, by=None,
                          destination_url="https://shop.example.com/p").slug)
"""
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"the server did not listen on {port} within {timeout} s")


def wait_for_port_free(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"something still listens on {port} after {timeout} s")


def first_status(port: int, path: str, timeout: float = 60.0) -> int:
    """The status of the first answer to GET path; a connection the starting server drops
    (its workers not up yet) is tried again until the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            conn.request("GET", path)
            return conn.getresponse().status
        except (ConnectionError, http.client.RemoteDisconnected):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
        finally:
            conn.close()


@pytest.fixture
def database(tmp_path):
    """(DATABASE_URL, function listing the stored click ids) for a fresh database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        path = tmp_path / "crash.sqlite3"

        def sqlite_ids() -> list[str]:
            with sqlite3.connect(path) as db:
                return [r[0] for r in db.execute("SELECT click_id FROM tracking_click")]

        yield f"sqlite:///{path}", sqlite_ids
        return
    import psycopg

    name = f"test_crash_{secrets.token_hex(4)}"
    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    own = urlsplit(url)._replace(path=f"/{name}").geturl()

    def postgres_ids() -> list[str]:
        with psycopg.connect(own) as conn:
            return [r[0] for r in conn.execute("SELECT click_id FROM tracking_click")]

    try:
        yield own, postgres_ids
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "TEST_DB_NAME"}}
    env.update(
        DJANGO_SETTINGS_MODULE="infludesk.settings",
        DATABASE_URL=database_url,
        INFLUDESK_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="crash-test-secret",
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    return env


def start_server(env: dict[str, str], port: int, cwd: Path, workers: int = 2) -> subprocess.Popen:
    cmd = [str(BIN / "infludesk"), "serve", "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(
        cmd, env=env, cwd=cwd, start_new_session=True, stdout=subprocess.DEVNULL
    )


def clicker(port: int, slug: str, got: list[str], stop: threading.Event) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    while not stop.is_set() and len(got) < MAX_CLICKS:
        try:
            conn.request("GET", f"/l/{slug}", headers={"User-Agent": CHROME})
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            return  # the server is gone
        if response.status == 302:
            location = response.getheader("Location", "")
            got.append(parse_qs(urlsplit(location).query)["ifd_click"][0])


def test_given_clicks_under_load_when_server_is_killed_then_every_302_click_is_stored_once(
    tmp_path, database
):
    database_url, stored_ids = database
    env = server_env(tmp_path, database_url)
    slug = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    port = free_port()
    server = start_server(env, port, tmp_path)
    try:
        wait_for_port(port)
        got: list[str] = []  # list.append is atomic under the GIL
        stop = threading.Event()
        threads = [threading.Thread(target=clicker, args=(port, slug, got, stop)) for _ in range(6)]
        for t in threads:
            t.start()
        while len(got) < KILL_AFTER and any(t.is_alive() for t in threads):
            time.sleep(0.001)
        os.killpg(server.pid, signal.SIGKILL)  # the supervisor, granian and both workers
        server.wait()
        stop.set()
        for t in threads:
            t.join()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    redirected = list(got)
    # the killed workers die a moment after the supervisor: until the last one has, the old
    # listening socket still accepts (and then resets) connections
    wait_for_port_free(port)

    restarted = start_server(env, port, tmp_path, workers=1)  # folds leftovers, then serves
    try:
        wait_for_port(port)
        assert first_status(port, "/l/NoSuchLink") == 404  # answered once the worker is up
    finally:
        restarted.send_signal(signal.SIGTERM)
        try:
            restarted.wait(timeout=60)
        finally:
            if restarted.poll() is None:  # never leave a server behind
                os.killpg(restarted.pid, signal.SIGKILL)
                restarted.wait()

    stored = stored_ids()
    assert len(redirected) >= KILL_AFTER
    assert len(stored) == len(set(stored))
    assert sorted(set(redirected) - set(stored)) == []
