"""`infludesk serve`: the production server (granian, several worker processes, ASGI).

Serves `infludesk.asgi:application`: tracked-link redirects in front of Django, static files
through WhiteNoise (Django adapts its sync middleware under ASGI). This process supervises the
server: it folds click-log segments left by a crashed run before the workers start, then keeps
folding finished segments into the database at the lowest CPU priority (nice 19) so that under load
the redirect gets the CPU and the durable log absorbs the burst. SIGTERM / SIGINT are passed to
the server, which drains its workers; the last segments are folded before exiting.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.tracking.clickfold import fold_clicks

TARGET = "infludesk.asgi:application"


class Command(BaseCommand):
    help = "Serve Infludesk with a multi-worker ASGI server (granian by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="Worker processes."
        )
        parser.add_argument("--server", choices=["granian", "uvicorn"], default="granian")
        parser.add_argument(
            "--fold-interval", type=float, default=1.0, help="Seconds between click folds."
        )
        parser.add_argument("--access-log", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        if options["fold_interval"] <= 0:
            raise CommandError("--fold-interval must be positive.")
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        result = fold_clicks(wait=True)
        if result.segments:
            self.stdout.write(f"Folded {result.inserted} click(s) left by a previous run.")
        env = {**os.environ, "INFLUDESK_FOLD_INTERVAL": "0"}  # the workers only write
        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        server = subprocess.Popen(self._argv(options), env=env)  # noqa: S603 (our own argv)
        stop = threading.Event()

        def forward(signum: int, _frame: Any) -> None:
            stop.set()
            server.send_signal(signum)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        os.nice(19)  # after starting the server, which keeps the normal priority
        while server.poll() is None:
            if not stop.is_set():
                try:
                    fold_clicks()
                except Exception as exc:  # the log keeps the clicks; retry next round
                    self.stderr.write(f"click fold failed: {exc}")
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=options["fold_interval"])
        fold_clicks(wait=True)
        sys.exit(server.returncode)

    def _argv(self, options: dict[str, Any]) -> list[str]:
        bin_dir = os.path.dirname(sys.executable)
        name = options["server"]
        exe = shutil.which(name, path=bin_dir) or shutil.which(name)
        if exe is None:
            raise CommandError(f"{name} is not installed (it is a dependency of Infludesk).")
        host, port, workers = options["host"], str(options["port"]), str(options["workers"])
        if name == "uvicorn":
            argv = [exe, TARGET, "--host", host, "--port", port, "--workers", workers]
            argv += ["--lifespan", "on"]
            return argv + ([] if options["access_log"] else ["--no-access-log"])
        argv = [exe, "--interface", "asgi", "--host", host, "--port", port]
        argv += ["--workers", workers, "--no-ws", "--respawn-failed-workers"]
        # a worker still starting when SIGTERM comes may never be told to stop; killing it
        # after 30 s loses nothing (its clicks are in the log)
        argv += ["--workers-kill-timeout", "30"]
        argv += ["--access-log"] if options["access_log"] else []
        return [*argv, TARGET]
