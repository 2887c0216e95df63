"""`infludesk classify-accounts ACCOUNTS.csv`: add a fake_probability column to each row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.authenticity.classify_csv import (
    AccountsCsvError,
    classified_csv,
    parse_accounts_csv,
)
from infludesk.authenticity.model import load_model


class Command(BaseCommand):
    # Offline tools: they touch no URLs or database, so skip the project-wide system checks.
    requires_system_checks: list[str] = []
    help = (
        "Read accounts (columns followers,following,posts,has_profile_pic,is_private,"
        "username_digit_ratio and optionally bio_length) and write the same rows with "
        "fake_probability (0-1) added, to --output or standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("accounts_csv", help="the CSV file to classify")
        parser.add_argument("--output", help="write here instead of standard output")
        parser.add_argument(
            "--prior",
            type=float,
            default=None,
            help="expected share of fake accounts, strictly between 0 and 1 (default: the "
            "INFLUDESK_FAKE_PRIOR setting, 0.10); 0.5 gives the model's 50/50 probability",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prior = options["prior"] if options["prior"] is not None else settings.FAKE_ACCOUNT_PRIOR
        if not 0 < prior < 1:
            raise CommandError(f"--prior must be strictly between 0 and 1, got {prior}")
        source = Path(options["accounts_csv"])
        try:
            text = source.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"{source}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{source}: not UTF-8 text ({exc.reason})") from exc
        try:
            parsed = parse_accounts_csv(text)
        except AccountsCsvError as exc:
            raise CommandError(f"{source}: {exc}") from exc
        result = classified_csv(parsed, load_model(settings.FAKE_MODEL_PATH or None), prior=prior)
        if options["output"]:
            Path(options["output"]).write_text(result, encoding="utf-8")
            self.stderr.write(f"{len(parsed.rows)} rows written to {options['output']}")
        else:
            self.stdout.write(result, ending="")
