"""The workspace's cost table: defaults, edits by owner/manager, viewers read-only, isolation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.core.models import AuditEntry
from infludesk.creators.cost_table import cost_table_get
from infludesk.creators.models import CostBenchmark

pytestmark = pytest.mark.django_db


def test_given_no_overrides_the_page_shows_the_defaults(owner_client):
    html = owner_client.get("/shortlists/costs/").content.decode()
    # 5 tiers x 5 formats, all default
    assert html.count('<span class="muted">default</span>') == 25
    assert '<td class="num">5,000.00</td><td class="num">50,000.00</td>' in html


def test_manager_sets_a_price_that_estimates_then_use(manager_client, workspace, manager):
    response = manager_client.post(
        "/shortlists/costs/", {"tier": "micro", "format": "post", "low": "250", "high": "1,200.50"}
    )
    assert response.status_code == 302
    assert cost_table_get(workspace=workspace) == {
        ("micro", "post"): (Decimal("250.00"), Decimal("1200.50"))
    }
    entry = AuditEntry.objects.get(workspace=workspace)
    assert (entry.action, entry.actor) == ("cost_benchmark.create", manager)


def test_setting_again_updates_and_reset_goes_back_to_default(owner_client, workspace):
    data = {"tier": "nano", "format": "reel", "low": "20", "high": "90"}
    owner_client.post("/shortlists/costs/", data)
    owner_client.post("/shortlists/costs/", {**data, "high": "95"})
    assert CostBenchmark.objects.get().high == Decimal("95.00")
    owner_client.post("/shortlists/costs/", {"tier": "nano", "format": "reel", "reset": "1"})
    assert CostBenchmark.objects.count() == 0
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "cost_benchmark.create",
        "cost_benchmark.update",
        "cost_benchmark.delete",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"low": "abc", "high": "10"}, "Low and high must be amounts"),
        ({"low": "500", "high": "100"}, "The high price must be at least the low price."),
        ({"low": "-1", "high": "100"}, "The low price cannot be negative."),
        ({"low": "NaN", "high": "100"}, "Low and high must be amounts"),
        ({"low": "1", "high": "2", "tier": "giga"}, "Unknown tier &#x27;giga&#x27;."),
    ],
)
def test_bad_values_get_400_with_the_reason(owner_client, data, message):
    response = owner_client.post("/shortlists/costs/", {"tier": "micro", "format": "post", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CostBenchmark.objects.count() == 0


def test_viewer_reads_but_cannot_edit(viewer_client):
    assert viewer_client.get("/shortlists/costs/").status_code == 200
    response = viewer_client.post(
        "/shortlists/costs/", {"tier": "micro", "format": "post", "low": "1", "high": "2"}
    )
    assert response.status_code == 403
    assert CostBenchmark.objects.count() == 0


def test_another_workspaces_prices_do_not_apply_here(owner_client, workspace, other_workspace):
    CostBenchmark.objects.create(
        workspace=other_workspace, tier="micro", format="post", low=1, high=2
    )
    assert cost_table_get(workspace=workspace) == {}
    html = owner_client.get("/shortlists/costs/").content.decode()
    assert html.count('<span class="muted">default</span>') == 25


def test_the_page_shows_each_default_with_its_source_or_our_assumption(viewer_client):
    html = viewer_client.get("/shortlists/costs/").content.decode()
    # 5 post prices + 5 formats + 4 reach-rate rows
    assert html.count("<tr><td>Post price: ") == 5
    assert html.count("<tr><td>Format: ") == 5
    assert html.count("<tr><td>Reach rate (below 1k/nano/micro/macro/mega): ") == 4
    assert (
        '<a href="https://www.wordontheblock.com/blog/influencer-pricing-guide" '
        'rel="noopener noreferrer">How Much You Should Be Paying Influencers: A Definitive Guide '
        "to Influencer Pricing</a>, Word on the Block, 2023"
    ) in html
    assert '<td class="num">10.00-100.00</td>' in html
    assert '<td class="num">x1.5</td>' in html
    assert '<td class="num">35/30/20/15/10%</td>' in html
    # below 1k price, post (reference), short, TikTok and other reach rates
    assert html.count("<strong>our assumption</strong>") == 5
