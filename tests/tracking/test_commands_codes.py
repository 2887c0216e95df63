"""`infludesk discount-codes`: create, batch, export, and errors."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from infludesk.tracking.models import DiscountCode
from tests.factories import CreatorFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("discount_codes", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_create_prints_the_readable_code(workspace):
    creator = CreatorFactory(workspace=workspace, first_name="Anna")
    out = _run("create", "--workspace", "acme", "--creator", str(creator.pk), "--value", "15")
    assert out.strip() == "ANNA15"


def test_create_duplicate_fails_with_clear_message(workspace):
    creator = CreatorFactory(workspace=workspace, first_name="Anna")
    _run("create", "--workspace", "acme", "--creator", str(creator.pk), "--value", "15")
    with pytest.raises(CommandError, match="ANNA15 already exists in this workspace"):
        _run(
            "create",
            "--workspace",
            "acme",
            "--creator",
            str(creator.pk),
            "--value",
            "15",
            "--code",
            "Anna15",
        )


def test_creator_of_another_workspace_is_not_found(workspace, other_workspace):
    creator = CreatorFactory(workspace=other_workspace)
    with pytest.raises(CommandError, match=f"no creator #{creator.pk} in this workspace"):
        _run("create", "--workspace", "acme", "--creator", str(creator.pk), "--value", "15")


def test_batch_then_export_csv(workspace):
    creator = CreatorFactory(workspace=workspace)
    out = _run(
        "batch", "--workspace", "acme", "--creator", str(creator.pk), "--value", "20",
        "--count", "25", "--name", "giveaway", "--valid-until", "2026-12-31",
    )  # fmt: skip
    assert out.strip() == "25 codes created in batch giveaway"
    rows = list(
        csv.DictReader(io.StringIO(_run("export", "--workspace", "acme", "--batch", "giveaway")))
    )
    assert len(rows) == 25
    assert {r["valid_until"] for r in rows} == {"2026-12-31"}
    assert DiscountCode.objects.filter(batch="giveaway", single_use=True).count() == 25


def test_bad_date_is_reported(workspace):
    creator = CreatorFactory(workspace=workspace)
    with pytest.raises(CommandError, match="bad value or date"):
        _run(
            "create",
            "--workspace",
            "acme",
            "--creator",
            str(creator.pk),
            "--value",
            "5",
            "--valid-from",
            "soon",
        )


def test_push_to_unknown_connection_fails(workspace):
    with pytest.raises(CommandError, match="no store connection #999 in this workspace"):
        _run("push", "--workspace", "acme", "--connection", "999", "--code", "X")
