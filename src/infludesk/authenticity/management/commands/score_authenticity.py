"""`infludesk score-authenticity --workspace SLUG`: score every account of a workspace."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.authenticity.services import workspace_score_authenticity
from infludesk.core.models import Workspace


class Command(BaseCommand):
    help = (
        "Score the authenticity of every social account of a workspace from its stored posts, "
        "snapshots, comments and follower samples, and store the score with its explanation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", required=True, help="the workspace's slug")
        parser.add_argument(
            "--prior",
            type=float,
            default=None,
            help="expected share of fake followers, strictly between 0 and 1 (default: the "
            "INFLUDESK_FAKE_PRIOR setting, 0.10)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prior = options["prior"]
        if prior is not None and not 0 < prior < 1:
            raise CommandError(f"--prior must be strictly between 0 and 1, got {prior}")
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"no workspace with the slug {options['workspace']!r}")
        results = workspace_score_authenticity(workspace=workspace, prior=prior)
        verdicts = Counter(r.verdict for r in results.values())
        self.stdout.write(
            f"{len(results)} accounts scored in {workspace.slug}: "
            f"{verdicts['suspicious']} suspicious, {verdicts['watch']} to watch, "
            f"{verdicts['clean']} clean"
        )
