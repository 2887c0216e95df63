"""`infludesk serve`: the server command line it runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from infludesk.tracking.management.commands.serve import Command

BIN = str(Path(sys.executable).parent)


def test_given_defaults_then_granian_serves_the_asgi_app_with_n_workers():
    argv = Command()._argv(
        {"server": "granian", "host": "192.0.2.10", "port": 8080, "workers": 3, "access_log": False}
    )
    assert argv == [
        f"{BIN}/granian",
        "--interface",
        "asgi",
        "--host",
        "192.0.2.10",
        "--port",
        "8080",
        "--workers",
        "3",
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "30",
        "infludesk.asgi:application",
    ]


def test_given_uvicorn_then_it_runs_with_lifespan_and_no_access_log():
    argv = Command()._argv(
        {"server": "uvicorn", "host": "127.0.0.1", "port": 8000, "workers": 2, "access_log": False}
    )
    assert argv == [
        f"{BIN}/uvicorn",
        "infludesk.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--workers",
        "2",
        "--lifespan",
        "on",
        "--no-access-log",
    ]


def test_given_zero_workers_then_the_command_refuses():
    with pytest.raises(CommandError, match=r"--workers must be at least 1\."):
        call_command("serve", "--workers", "0")
