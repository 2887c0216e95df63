"""`infludesk attribute`: run an attribution model on a journeys file, or export journeys.

    infludesk attribute JOURNEYS.csv --model markov [--format json] [--half-life 1]
    infludesk attribute --export-journeys --workspace SLUG [--window-days 30] [-o FILE]

JOURNEYS.csv has the header `path,conversions,null,value` (channels joined by " > ").
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from infludesk.attribution.engine import (
    MODELS,
    AttributionResult,
    JourneyFormatError,
    attribute,
    bootstrap_shares,
    format_journeys,
    parse_journeys,
)
from infludesk.attribution.journeys import CODE_RULES, CODE_WINS, build_journeys
from infludesk.core.models import Workspace


class Command(BaseCommand):
    help = (
        "Attribute conversions to channels with one model, from a grouped journeys file "
        "(path,conversions,null,value), or export a workspace's journeys in that format."
    )
    # A file-crunching command: skip the project-wide system checks (URLs, templates...).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("journeys", nargs="?", help="CSV file path,conversions,null,value")
        parser.add_argument("--model", choices=MODELS, help="Attribution model to run.")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--half-life", type=float, default=1.0, help="time_decay half-life in steps."
        )
        parser.add_argument(
            "--bootstrap",
            type=int,
            default=0,
            metavar="N",
            help="Add N-replicate bootstrap 95%% intervals of the credit shares (default: none).",
        )
        parser.add_argument("--seed", type=int, default=0, help="Bootstrap seed.")
        parser.add_argument(
            "--export-journeys",
            action="store_true",
            help="Write the workspace's journeys instead of attributing a file.",
        )
        parser.add_argument("--workspace", help="Workspace slug (with --export-journeys).")
        parser.add_argument("--window-days", type=int, default=30)
        parser.add_argument(
            "--code-rule",
            choices=CODE_RULES,
            default=CODE_WINS,
            help="code_wins: a creator's code takes the journey; touchpoint: it is one touch.",
        )
        parser.add_argument(
            "-o", "--output", help="File to write the journeys to (default: stdout)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["export_journeys"]:
            self._export(options)
            return
        if not options["journeys"] or not options["model"]:
            raise CommandError("give a journeys file and --model (or use --export-journeys)")
        if not options["half_life"] > 0:
            raise CommandError("--half-life must be > 0")
        path = Path(options["journeys"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        try:
            table = parse_journeys(text)
        except JourneyFormatError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        result = attribute(table, options["model"], half_life=options["half_life"])
        payload = result.as_dict()
        if options["bootstrap"] > 0:
            ci = bootstrap_shares(
                table,
                options["model"],
                n_boot=options["bootstrap"],
                seed=options["seed"],
                half_life=options["half_life"],
            )
            payload["share_intervals"] = {
                c: {"share": float(s), "low": float(lo), "high": float(hi)}
                for c, s, lo, hi in zip(ci.channels, ci.share, ci.low, ci.high, strict=True)
            }
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload))
        else:
            self.stdout.write(_table(result, payload.get("share_intervals")))

    def _export(self, options: dict[str, Any]) -> None:
        slug = options["workspace"]
        if not slug:
            raise CommandError("--export-journeys needs --workspace SLUG")
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"no workspace with slug {slug!r}")
        if options["window_days"] < 0:
            raise CommandError("--window-days must be >= 0")
        export = build_journeys(
            workspace=workspace,
            window_days=options["window_days"],
            code_rule=options["code_rule"],
        )
        text = format_journeys(export.rows)
        summary = json.dumps(export.summary())
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(summary)
        else:
            self.stdout.write(text, ending="")
            # The summary goes to stderr so stdout stays a clean CSV.
            self.stderr.write(summary)


def _table(result: AttributionResult, intervals: dict[str, dict[str, float]] | None) -> str:
    total = float(result.credit.sum())
    head = f"{'channel':<30} {'conversions':>12} {'value':>14} {'share':>7}"
    if result.removal_effects is not None:
        head += f" {'removal':>8}"
    if intervals:
        head += f" {'95% interval':>17}"
    lines = [f"model: {result.model}", head]
    for i, channel in enumerate(result.channels):
        share = result.credit[i] / total if total else 0.0
        line = f"{channel:<30} {result.credit[i]:>12.4f} {result.value[i]:>14.2f} {share:>7.1%}"
        if result.removal_effects is not None:
            line += f" {result.removal_effects[i]:>8.4f}"
        if intervals:
            ci = intervals[channel]
            line += f" {ci['low']:>8.1%}-{ci['high']:<8.1%}"
        lines.append(line)
    lines.append(f"{'total':<30} {total:>12.4f} {float(result.value.sum()):>14.2f}")
    return "\n".join(lines)
