"""Discount codes: readable codes, uniqueness regardless of case, batches, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest

from infludesk.core.models import AuditEntry
from infludesk.tracking.codes import (
    READABLE_ALPHABET,
    DiscountCodeError,
    discount_code_batch_create,
    discount_code_create,
    discount_codes_csv,
    readable_code,
)
from infludesk.tracking.models import DiscountCode
from tests.factories import CreatorFactory, DealFactory

pytestmark = pytest.mark.django_db


def test_readable_code_is_first_name_and_value():
    assert readable_code("Anna", Decimal("15")) == "ANNA15"
    assert readable_code("Zoë-Lou", Decimal("12.50")) == "ZOELOU1250"


def test_code_created_from_first_name_and_value(workspace, manager):
    creator = CreatorFactory(workspace=workspace, name="Anna Berg", first_name="Anna")
    code = discount_code_create(
        workspace=workspace, creator=creator, value=Decimal("15"), by=manager
    )
    assert (code.code, code.kind, code.value) == ("ANNA15", "percent", Decimal("15"))
    assert AuditEntry.objects.get().action == "discount_code.create"


def test_code_taken_in_another_case_gives_clear_error(workspace):
    creator = CreatorFactory(workspace=workspace, first_name="Anna")
    discount_code_create(workspace=workspace, creator=creator, value=Decimal("15"))
    with pytest.raises(DiscountCodeError, match="the code ANNA15 already exists in this workspace"):
        discount_code_create(
            workspace=workspace, creator=creator, code="anna15", value=Decimal("10")
        )


def test_same_code_allowed_in_another_workspace(workspace, other_workspace):
    discount_code_create(
        workspace=workspace,
        creator=CreatorFactory(workspace=workspace),
        code="MIA10",
        value=Decimal("10"),
    )
    other = discount_code_create(
        workspace=other_workspace,
        creator=CreatorFactory(workspace=other_workspace),
        code="MIA10",
        value=Decimal("10"),
    )
    assert other.code == "MIA10"


def test_creator_of_another_workspace_is_refused(workspace, other_workspace):
    with pytest.raises(DiscountCodeError, match="must belong to this workspace"):
        discount_code_create(
            workspace=workspace,
            creator=CreatorFactory(workspace=other_workspace),
            value=Decimal("5"),
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": Decimal("0")}, "value must be greater than 0"),
        ({"value": Decimal("101")}, "a percent discount cannot exceed 100"),
        ({"value": Decimal("5"), "code": "HAS SPACE"}, "no spaces"),
        (
            {
                "value": Decimal("5"),
                "valid_from": dt.date(2026, 12, 1),
                "valid_until": dt.date(2026, 11, 1),
            },
            "valid_until must not be before valid_from",
        ),
    ],
)
def test_invalid_terms_are_refused(workspace, kwargs, message):
    with pytest.raises(DiscountCodeError, match=message):
        discount_code_create(
            workspace=workspace, creator=CreatorFactory(workspace=workspace), **kwargs
        )


def test_fixed_value_above_100_is_fine(workspace):
    code = discount_code_create(
        workspace=workspace,
        creator=CreatorFactory(workspace=workspace, first_name="Max"),
        kind="fixed",
        value=Decimal("150"),
    )
    assert code.code == "MAX150"


def test_batch_of_500_single_use_unique_readable_codes(workspace):
    deal = DealFactory(campaign__workspace=workspace)
    rows = discount_code_batch_create(
        workspace=workspace,
        creator=deal.creator,
        deal=deal,
        count=500,
        value=Decimal("20"),
        batch="giveaway-nov",
        prefix="GIVE",
        valid_until=dt.date(2026, 12, 31),
    )
    codes = [r.code for r in rows]
    assert len(codes) == 500
    assert len({c.upper() for c in codes}) == 500
    pattern = re.compile(rf"^GIVE[{READABLE_ALPHABET}]{{8}}$")
    assert all(pattern.fullmatch(c) for c in codes)
    assert (
        DiscountCode.objects.filter(
            workspace=workspace, batch="giveaway-nov", single_use=True
        ).count()
        == 500
    )


def test_batch_name_must_be_new(workspace):
    creator = CreatorFactory(workspace=workspace)
    discount_code_batch_create(
        workspace=workspace, creator=creator, count=2, value=Decimal("5"), batch="b1"
    )
    with pytest.raises(DiscountCodeError, match="a batch named 'b1' already exists"):
        discount_code_batch_create(
            workspace=workspace, creator=creator, count=2, value=Decimal("5"), batch="b1"
        )


def test_batch_count_is_bounded(workspace):
    with pytest.raises(DiscountCodeError, match="count must be between 1 and 10000"):
        discount_code_batch_create(
            workspace=workspace,
            creator=CreatorFactory(workspace=workspace),
            count=0,
            value=Decimal("5"),
            batch="x",
        )


def test_csv_export_lists_codes_of_one_batch_only_in_this_workspace(workspace, other_workspace):
    creator = CreatorFactory(workspace=workspace, name="Anna Berg", first_name="Anna")
    discount_code_create(
        workspace=workspace, creator=creator, value=Decimal("15"), valid_until=dt.date(2026, 12, 31)
    )
    discount_code_batch_create(
        workspace=workspace, creator=creator, count=3, value=Decimal("10"), batch="b"
    )
    discount_code_create(
        workspace=other_workspace,
        creator=CreatorFactory(workspace=other_workspace),
        code="ANNA15",
        value=Decimal("1"),
    )
    rows = list(csv.DictReader(io.StringIO(discount_codes_csv(workspace=workspace))))
    assert len(rows) == 4
    anna = next(r for r in rows if r["code"] == "ANNA15")
    assert anna == {
        "code": "ANNA15",
        "kind": "percent",
        "value": "15.00",
        "valid_from": "",
        "valid_until": "2026-12-31",
        "single_use": "false",
        "usage_limit": "",
        "creator": "Anna Berg",
        "deal_id": "",
        "batch": "",
    }
    batch_rows = list(
        csv.DictReader(io.StringIO(discount_codes_csv(workspace=workspace, batch="b")))
    )
    assert [r["usage_limit"] for r in batch_rows] == ["1", "1", "1"]
