"""A workspace's own ER benchmarks: set with a source, reset to the defaults, used by the
authenticity score and the compare page, other workspaces untouched; and their page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from infludesk.authenticity import selectors
from infludesk.authenticity.services import workspace_score_authenticity
from infludesk.core.models import AuditEntry
from infludesk.creators.compare import compare_columns
from infludesk.creators.er_benchmarks import (
    er_benchmark_reset,
    er_benchmark_rows,
    er_benchmark_set,
    er_benchmarks_get,
    er_benchmarks_reset_all,
)
from infludesk.creators.models import ErBenchmark
from tests.factories import PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
SOURCE = "Our 2026 campaigns, 140 micro creators"


@pytest.fixture
def account(workspace):
    """20,000 followers, 12 posts of 300 likes + 20 comments: ER 1.6%, the default micro
    benchmark exactly (ratio 1.0)."""
    account = SocialAccountFactory(
        creator__workspace=workspace, platform="instagram", followers=20_000, following=300
    )
    for n in range(12):
        PostFactory(account=account, posted_at=DAY - dt.timedelta(days=n), likes=300, comments=20)
    return account


def _engagement(account):
    account.refresh_from_db()
    signals = account.authenticity_explanation["signals"]
    return next(s for s in signals if s["key"] == "engagement")


def test_given_a_workspace_figure_when_scoring_then_er_is_compared_with_it(
    workspace, other_workspace, owner, account
):
    # given the default micro benchmark 1.6%: the account's 1.6% is typical
    workspace_score_authenticity(workspace=workspace)
    assert (_engagement(account)["status"], _engagement(account)["value"]) == ("ok", 1.0)
    # when the workspace says micro creators typically reach 8%
    er_benchmark_set(
        workspace=workspace,
        platform="instagram",
        tier="micro",
        rate=Decimal("8"),
        source=SOURCE,
        by=owner,
    )
    workspace_score_authenticity(workspace=workspace)
    # then 1.6% is 0.2x the benchmark: flagged as far below
    signal = _engagement(account)
    assert (signal["status"], signal["value"], signal["reason"]) == ("flag", 0.2, "low_engagement")
    assert signal["benchmark"] == "8.00% typical for instagram micro (ER by followers)"
    # and another workspace still reads the default
    assert er_benchmarks_get(workspace=other_workspace).rate("instagram", "micro") == 1.6
    assert selectors.er_benchmarks(workspace=workspace).rate("instagram", "micro") == 8.0


def test_given_a_workspace_figure_when_comparing_then_er_ratio_uses_it(workspace, owner):
    creators = [
        SocialAccountFactory(
            creator__workspace=workspace, followers=20_000, engagement_rate=Decimal("2.0")
        ).creator
        for _ in range(2)
    ]
    er_benchmark_set(
        workspace=workspace,
        platform="instagram",
        tier="micro",
        rate=Decimal("4"),
        source=SOURCE,
        by=owner,
    )
    columns, _ = compare_columns(workspace=workspace, creator_ids=[c.pk for c in creators])
    assert [c.er_ratio for c in columns] == [0.5, 0.5]


def test_given_figures_when_listing_then_source_and_default_per_cell(workspace, owner):
    er_benchmark_set(
        workspace=workspace,
        platform="tiktok",
        tier="nano",
        rate=Decimal("9.25"),
        source=SOURCE,
        by=owner,
    )
    rows = {(r.platform, r.tier): r for r in er_benchmark_rows(workspace=workspace)}
    assert len(rows) == 12  # 3 platforms x 4 tiers
    mine = rows[("tiktok", "nano")]
    assert (mine.rate, mine.default_rate, mine.source, mine.is_default, mine.basis) == (
        9.25,
        8.0,
        SOURCE,
        False,
        "views",
    )
    assert rows[("youtube", "mega")].rate == 1.6
    assert rows[("youtube", "mega")].is_default is True
    assert rows[("youtube", "mega")].source.startswith("Infludesk editorial defaults")


def test_given_figures_when_resetting_one_and_all_then_defaults_and_audited(workspace, owner):
    for tier in ("nano", "micro"):
        er_benchmark_set(
            workspace=workspace,
            platform="instagram",
            tier=tier,
            rate=Decimal("3"),
            source="x",
            by=owner,
        )
    assert er_benchmark_reset(workspace=workspace, platform="instagram", tier="nano", by=owner)
    assert not er_benchmark_reset(workspace=workspace, platform="instagram", tier="nano", by=owner)
    assert er_benchmarks_get(workspace=workspace).rates["instagram"] == {
        "nano": 2.2,
        "micro": 3.0,
        "macro": 1.5,
        "mega": 1.4,
    }
    assert er_benchmarks_reset_all(workspace=workspace, by=owner) == 1
    assert ErBenchmark.objects.count() == 0
    assert list(
        AuditEntry.objects.filter(action__startswith="er_benchmark")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["er_benchmark.set", "er_benchmark.set", "er_benchmark.reset", "er_benchmark.reset"]


@pytest.mark.parametrize(
    ("platform", "tier", "rate", "source", "fields"),
    [
        ("myspace", "micro", "2", SOURCE, ["platform"]),
        ("instagram", "below_nano", "2", SOURCE, ["tier"]),
        ("instagram", "micro", "0", SOURCE, ["rate"]),
        ("instagram", "micro", "101", " ", ["rate", "source"]),
    ],
)
def test_given_bad_values_when_setting_then_named_errors(
    workspace, owner, platform, tier, rate, source, fields
):
    with pytest.raises(ValidationError) as error:
        er_benchmark_set(
            workspace=workspace,
            platform=platform,
            tier=tier,
            rate=Decimal(rate),
            source=source,
            by=owner,
        )
    assert sorted(error.value.message_dict) == fields
    assert ErBenchmark.objects.count() == 0


# --- the page ------------------------------------------------------------------------------

URL = "/shortlists/costs/er-benchmarks/"


def test_given_a_manager_when_saving_on_the_page_then_shown_with_its_source(manager_client):
    response = manager_client.post(
        URL, {"platform": "youtube", "tier": "macro", "rate": "3.1", "source": SOURCE}
    )
    assert response.status_code == 302
    page = manager_client.get(URL).content.decode()
    assert f"workspace: {SOURCE}" in page
    assert 'data-platform="youtube" data-tier="macro"' in page
    assert "3.1%" in page
    assert manager_client.get("/shortlists/costs/").content.decode().count(URL) == 1


def test_given_bad_input_on_the_page_then_400_with_the_reason(manager_client):
    response = manager_client.post(
        URL, {"platform": "youtube", "tier": "macro", "rate": "lots", "source": SOURCE}
    )
    assert response.status_code == 400
    assert "The rate must be a number, e.g. 1.6 (percent)." in response.content.decode()
    response = manager_client.post(URL, {"platform": "youtube", "tier": "macro", "rate": "2"})
    assert response.status_code == 400
    assert "Say where the figure comes from" in response.content.decode()


def test_given_a_viewer_when_posting_then_403_and_nothing_changes(viewer_client):
    assert viewer_client.get(URL).status_code == 200
    response = viewer_client.post(
        URL, {"platform": "youtube", "tier": "macro", "rate": "2", "source": SOURCE}
    )
    assert response.status_code == 403
    assert ErBenchmark.objects.count() == 0


def test_given_another_workspaces_figure_when_viewing_then_not_shown(
    manager_client, other_workspace, other_owner
):
    er_benchmark_set(
        workspace=other_workspace,
        platform="youtube",
        tier="macro",
        rate=Decimal("7"),
        source="Rival's secret",
        by=other_owner,
    )
    page = manager_client.get(URL).content.decode()
    assert "Rival's secret" not in page
    assert "7%" not in page
