"""`infludesk worker`: run background tasks (django-tasks' database worker) until stopped."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the background worker: takes tasks from the database queue and runs them. "
        "Stop it with Ctrl-C or SIGTERM (the running task finishes first)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue",
            default="*",
            help="Queues to serve, comma-separated; '*' serves all (default: %(default)s).",
        )
        parser.add_argument(
            "--interval",
            default="1",
            help="Seconds to wait when the queue is empty (default: %(default)s).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run every task waiting now, then exit (for cron jobs and tests).",
        )
        parser.add_argument(
            "--max-tasks", default=None, help="Exit after this many tasks (default: no limit)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        argv = ["--queue-name", options["queue"], "--interval", str(options["interval"])]
        # No autoreload (db_worker turns it on under DEBUG): the worker is supervised by the
        # demo/serve commands or a process manager, which expect one process they can stop.
        argv += ["--no-reload", "--no-startup-delay"]
        if options["batch"]:
            argv.append("--batch")
        if options["max_tasks"]:
            argv += ["--max-tasks", str(options["max_tasks"])]
        call_command("db_worker", *argv, verbosity=options["verbosity"])
