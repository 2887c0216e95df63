"""A 2,000-row file: every row lands, the query count per row stays within a pinned budget, and
a re-import is cheap because unchanged rows write nothing."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connection

from infludesk.creators.import_jobs import CHUNK
from infludesk.creators.models import Creator, SocialAccount
from tests.creators.import_helpers import counts, run_import

pytestmark = pytest.mark.django_db

ROWS = 2_000
# A new row: savepoint, creator insert + audit, account duplicate check + insert + audit, and the
# services' own savepoints. Pinned so a change that adds a query per row shows up here.
CREATE_BUDGET_PER_ROW = 13
# An unchanged row writes nothing: its savepoint (2) plus the per-chunk lookups remain.
UNCHANGED_BUDGET_PER_ROW = 2
# Per chunk of rows: the account lookup, the progress save and its transaction; per job: upload,
# start and finish with their audit entries.
PER_CHUNK = 4
PER_JOB = 20
FIXED = PER_CHUNK * (ROWS // CHUNK) + PER_JOB


class _Counter:
    count = 0


@contextmanager
def _counting_queries():
    """Counts every statement (Django's query log keeps only the last 9,000)."""
    counter = _Counter()

    def wrapper(execute, sql, params, many, context):
        counter.count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def _big_csv() -> str:
    lines = ["handle,platform,followers,following,posts,name,country"]
    for i in range(ROWS):
        platform = ("instagram", "tiktok", "youtube")[i % 3]
        lines.append(f"creator_{i},{platform},{1000 + i * 37},{i % 500},{i % 90},Creator {i},US")
    return "\n".join(lines) + "\n"


def test_two_thousand_rows_within_query_budget_and_reimport_writes_nothing(workspace):
    data = _big_csv()
    # when 2,000 new rows are imported
    with _counting_queries() as first_queries:
        first = run_import(workspace, data)
    # then all land, within the pinned queries per row
    assert counts(first) == (ROWS, 0, 0, 0)
    assert SocialAccount.objects.filter(workspace=workspace).count() == ROWS
    assert Creator.objects.filter(workspace=workspace).count() == ROWS
    assert first_queries.count <= CREATE_BUDGET_PER_ROW * ROWS + FIXED
    # when the same file is imported again
    with _counting_queries() as second_queries:
        second = run_import(workspace, data)
    # then every row is an update without changes, at a few queries per row
    assert counts(second) == (0, ROWS, ROWS, 0)
    assert second_queries.count <= UNCHANGED_BUDGET_PER_ROW * ROWS + FIXED
