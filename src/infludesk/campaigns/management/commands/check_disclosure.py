"""infludesk check-disclosure CAPTIONS.csv [--output OUT.csv] [--policy default|uk_cma]

Audits past posts in bulk with the same rules as content review (campaigns/disclosure.py).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from infludesk.campaigns.disclosure import Policy, Relationship, check_caption

REQUIRED = ("caption", "relationship")
TRUE_WORDS = {"true", "1", "yes", "y"}
FALSE_WORDS = {"false", "0", "no", "n", ""}


def _parse_bool(value: str, *, line: int, column: str) -> bool:
    folded = value.strip().lower()
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    raise CommandError(f"line {line}, column {column}: {value!r} is not true or false")


def check_rows(source: TextIO, output: TextIO, *, policy: Policy) -> int:
    """Read the captions CSV and write it back with `compliant` and `reasons`; returns the
    number of non-compliant rows. Validates the whole file before writing anything."""
    reader = csv.DictReader(source)
    header = reader.fieldnames or []
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CommandError(f"missing column(s): {', '.join(missing)} (the header needs {REQUIRED})")
    results: list[dict[str, Any]] = []
    allowed = ", ".join(r.value for r in Relationship)
    for row in reader:
        line = reader.line_num
        relationship = (row.get("relationship") or "").strip().lower()
        if relationship not in {r.value for r in Relationship}:
            raise CommandError(
                f"line {line}, column relationship: {row.get('relationship')!r} is not one of "
                f"{allowed}"
            )
        label = _parse_bool(
            row.get("paid_partnership_label") or "", line=line, column="paid_partnership_label"
        )
        result = check_caption(
            row.get("caption") or "",
            relationship=relationship,
            paid_partnership_label=label,
            policy=policy,
        )
        results.append(
            {
                **row,
                "compliant": "true" if result.compliant else "false",
                "reasons": result.reasons_text(),
            }
        )
    writer = csv.DictWriter(output, fieldnames=[*header, "compliant", "reasons"])
    writer.writeheader()
    writer.writerows(results)
    return sum(1 for r in results if r["compliant"] == "false")


class Command(BaseCommand):
    help = "Check captions for a clear ad disclosure; writes compliant and reasons columns."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("captions", type=Path)
        parser.add_argument("--output", type=Path)
        parser.add_argument("--policy", choices=[p.value for p in Policy], default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["captions"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with path.open(newline="", encoding="utf-8-sig") as source:
            if options["output"]:
                with options["output"].open("w", newline="", encoding="utf-8") as out:
                    failing = check_rows(source, out, policy=Policy(options["policy"]))
                self.stderr.write(f"{failing} caption(s) not compliant; wrote {options['output']}")
            else:
                failing = check_rows(source, sys.stdout, policy=Policy(options["policy"]))
