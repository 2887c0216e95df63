"""`infludesk train-fake-model`: retrain the fake-account model and print held-out figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.authenticity.model import DEFAULT_MODEL_PATH


class Command(BaseCommand):
    # Offline tools: they touch no URLs or database, so skip the project-wide system checks.
    requires_system_checks: list[str] = []
    help = (
        "Train the fake-account model on train.csv of the labeled accounts set (seeded, so "
        "the same data gives the same file), evaluate it on test.csv and write the JSON model."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            default="../shared/data/fake_accounts",
            help="folder holding train.csv and test.csv (default: ../shared/data/fake_accounts)",
        )
        parser.add_argument(
            "--output",
            default=str(DEFAULT_MODEL_PATH),
            help="where to write the model JSON (default: the file shipped in the package)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from infludesk.authenticity.training import train, write_model

        data_dir = Path(options["data_dir"])
        paths = [data_dir / "train.csv", data_dir / "test.csv"]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"not found: {', '.join(missing)} (use --data-dir)")
        data = train(paths[0], paths[1])
        output = Path(options["output"])
        write_model(data, output)
        self.stdout.write(f"model written to {output}")
        for variant in ("with_bio", "without_bio"):
            chosen = data["selection"][variant]["chosen"]
            report = data["heldout"][variant]
            self.stdout.write(f"\n{variant} ({chosen}), held out on test.csv, n={report['rows']}:")
            for name, figure in report["metrics"].items():
                low, high = figure["ci95"]
                self.stdout.write(
                    f"  {name:<10} {figure['value']:.4f}  95% CI {low:.4f}-{high:.4f}"
                )
