"""`infludesk demo`: prints the login, reuses an existing demo, serves with a worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from infludesk.creators.models import AccountEmbedding, Creator, SocialAccount
from infludesk.creators.search import SearchFilters, creator_search
from infludesk.demo.generator import DEMO_EMAIL, DEMO_PASSWORD
from infludesk.demo.management.commands import demo as demo_command


def _run(*args: str, embed: bool = False) -> str:
    out = StringIO()
    extra = () if embed else ("--skip-embeddings",)
    call_command("demo", "--skip-migrate", *extra, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_given_no_demo_when_run_then_it_is_created_and_the_login_printed():
    output = _run("--creators", "20")
    assert "Created Northwind Outdoor" in output
    assert f"Sign in as:      {DEMO_EMAIL}" in output
    assert f"Password:        {DEMO_PASSWORD}" in output
    assert Creator.objects.count() == 20


@pytest.mark.django_db
def test_given_a_demo_when_run_again_then_it_is_reused():
    _run("--creators", "20")
    output = _run("--creators", "20")
    assert "already exists (20 creators, " in output
    assert Creator.objects.count() == 20


@pytest.mark.django_db
def test_given_reset_when_run_then_the_demo_is_rebuilt_at_the_new_size():
    _run("--creators", "20")
    output = _run("--creators", "25", "--reset")
    assert "Created Northwind Outdoor" in output
    assert Creator.objects.count() == 25


@pytest.mark.django_db
def test_given_a_new_demo_then_its_accounts_are_embedded_once_for_fit_search():
    # when the demo is loaded (with its embedding step)
    output = _run("--creators", "20", embed=True)
    # then every account is embedded and a brief finds and ranks them
    accounts = SocialAccount.objects.count()
    assert f"Embedding {accounts} accounts for fit-to-a-brief search" in output
    assert f"Embedded {accounts} accounts in " in output
    assert AccountEmbedding.objects.count() == accounts
    workspace = SocialAccount.objects.first().workspace
    page = creator_search(
        workspace=workspace,
        filters=SearchFilters(brief="trail running shoes in the mountains", sort="fit"),
        limit=5,
    )
    assert len(page.items) == 5
    assert all(a.fit.score > 0 for a in page.items)
    # when run again: nothing is embedded twice
    again = _run("--creators", "20", embed=True)
    assert "Every account was already embedded." in again
    assert AccountEmbedding.objects.count() == accounts


@pytest.mark.django_db
def test_given_a_demo_over_the_embedding_limit_then_embedding_is_left_to_the_command(monkeypatch):
    # given a limit below the 20-creator demo's account count
    monkeypatch.setattr(demo_command, "EMBED_MAX_ACCOUNTS", 10)
    # when the demo is loaded
    output = _run("--creators", "20", embed=True)
    # then nothing is embedded and the command to do it is named
    accounts = SocialAccount.objects.count()
    assert (
        f"Not embedding {accounts} accounts for fit-to-a-brief search (over 10, it takes "
        "hours): run `infludesk embed-accounts --workspace demo` for it." in output
    )
    assert AccountEmbedding.objects.count() == 0


@pytest.mark.django_db
def test_given_too_few_creators_then_the_command_fails_with_the_reason():
    with pytest.raises(CommandError, match="--creators must be at least 20 \\(got 3\\)"):
        _run("--creators", "3")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=2) as response:
        return int(response.status)


@pytest.mark.slow
def test_given_serve_when_started_then_pages_answer_and_sigterm_stops_server_and_worker(
    tmp_path: Path,
):
    # given a fresh SQLite database and a free port
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "INFLUDESK_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "1",
    }
    argv = [sys.executable, "-m", "infludesk", "demo", "--creators", "20", "--serve"]
    proc = subprocess.Popen(
        [*argv, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/account/login/"
    try:
        # when it is up (migrate, load, start): the login page answers
        status = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status = _get(url)
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200
        # then SIGTERM stops the command, the web server and the worker
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert f"Infludesk demo:  http://127.0.0.1:{port}/" in output
    assert "Stopped the web server and the worker." in output
    with pytest.raises(OSError):
        _get(url)
