"""`infludesk import-creators FILE [--workspace SLUG] [--kind creators|posts|comments]
[--mapping JSON]`: import a CSV, XLSX or JSON file in the foreground, like the web import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.core.models import Workspace
from infludesk.creators.import_jobs import (
    error_lines,
    import_job_create,
    import_job_run,
    import_job_start,
)
from infludesk.creators.models import ImportJob


def workspace_from(slug: str | None) -> Workspace:
    """The workspace with this slug; without one, the only workspace there is."""
    if slug:
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"no workspace with the slug {slug!r}")
        return workspace
    workspaces = list(Workspace.objects.order_by("pk")[:2])
    if len(workspaces) != 1:
        raise CommandError("there is not exactly one workspace: name it with --workspace SLUG")
    return workspaces[0]


class Command(BaseCommand):
    help = (
        "Import creators and accounts (or posts, or comments) from a CSV, XLSX or JSON file. "
        "Rows are upserted by platform and handle; bad rows are listed with line and column. "
        "Exits with status 1 when any row failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the .csv, .xlsx or .json file")
        parser.add_argument("--workspace", help="the workspace's slug (optional with only one)")
        parser.add_argument("--kind", default="creators", choices=ImportJob.Kind.values)
        parser.add_argument(
            "--mapping",
            help='JSON object {field: column header}, e.g. \'{"handle": "Username"}\'; '
            "fields not named are guessed from the headers",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        workspace = workspace_from(options["workspace"])
        try:
            extra = json.loads(options["mapping"]) if options["mapping"] else {}
        except json.JSONDecodeError as exc:
            raise CommandError(f"--mapping is not valid JSON: {exc}") from exc
        if not isinstance(extra, dict):
            raise CommandError('--mapping must be a JSON object such as {"handle": "Username"}')
        try:
            job = import_job_create(
                workspace=workspace,
                by=None,
                kind=options["kind"],
                filename=path.name,
                data=path.read_bytes(),
            )
            mapping = {**job.mapping, **{str(k): str(v) for k, v in extra.items()}}
            import_job_start(job=job, by=None, mapping=mapping, enqueue=False)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        import_job_run(job=job)
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.message)
        for line in error_lines(job):
            self.stderr.write(line)
        self.stdout.write(
            f"{job.total} rows: {job.created_count} created, {job.updated_count} updated "
            f"({job.unchanged_count} without changes), {job.failed_count} failed"
        )
        if job.failed_count:
            raise CommandError(f"{job.failed_count} row(s) failed; see the lines above")
