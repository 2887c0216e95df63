"""The cost table and per-account cost estimates over the API: defaults with their sources,
owner/manager edits (audited), viewer 403, bad values 422, other workspaces 404."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.core.models import AuditEntry
from infludesk.creators.models import CostBenchmark
from tests.api.conftest import ApiClient, token_for
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_given_defaults_when_reading_the_table_then_25_rows_and_cited_defaults(
    viewer, django_assert_num_queries
):
    api = ApiClient(token_for(viewer))
    with django_assert_num_queries(3):  # token + member, the workspace's overrides
        response = api.get("/cost-table")
    assert response.status_code == 200
    body = response.json()
    assert len(body["rows"]) == 25
    assert {"tier": "micro", "format": "post", "low": "100.00", "high": "500.00",
            "is_default": True} in body["rows"]  # fmt: skip
    nano = next(d for d in body["defaults"] if (d["kind"], d["key"]) == ("post_price", "nano"))
    assert nano["value"] == "10.00-100.00"
    assert nano["is_assumption"] is False
    assert nano["sources"][0] == {
        "title": "How Much You Should Be Paying Influencers: A Definitive Guide to "
        "Influencer Pricing",
        "publisher": "Word on the Block",
        "year": "2023",
        "url": "https://www.wordontheblock.com/blog/influencer-pricing-guide",
    }
    tiktok = next(d for d in body["defaults"] if d["key"] == "tiktok")
    assert (tiktok["is_assumption"], tiktok["sources"]) == (True, [])


def test_given_manager_when_setting_and_resetting_a_price_then_used_and_audited(manager, workspace):
    api = ApiClient(token_for(manager))
    response = api.raw("put", "/cost-table/micro/post", '{"low": "250", "high": "1200.50"}')
    assert response.status_code == 200
    assert response.json() == {"tier": "micro", "format": "post", "low": "250.00",
                               "high": "1200.50", "is_default": False}  # fmt: skip
    row = next(r for r in api.get("/cost-table").json()["rows"] if r["tier"] == "micro"
               and r["format"] == "post")  # fmt: skip
    assert (row["low"], row["is_default"]) == ("250.00", False)
    assert api.delete("/cost-table/micro/post").status_code == 204
    assert CostBenchmark.objects.count() == 0
    actions = AuditEntry.objects.filter(action__startswith="cost_benchmark").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == [
        "cost_benchmark.create",
        "cost_benchmark.delete",
    ]


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        ("/cost-table/micro/post", '{"low": "500", "high": "100"}', "high",
         "The high price must be at least the low price."),
        ("/cost-table/giga/post", '{"low": "1", "high": "2"}', "tier", "Unknown tier 'giga'."),
        ("/cost-table/micro/post", '{"low": "-1", "high": "2"}', "low",
         "The low price cannot be negative."),
    ],
)  # fmt: skip
def test_given_bad_values_when_setting_then_422_naming_the_field(owner, path, body, field, message):
    response = ApiClient(token_for(owner)).raw("put", path, body)
    assert response.status_code == 422
    assert {"field": field, "message": message} in response.json()["errors"]
    assert CostBenchmark.objects.count() == 0


def test_given_viewer_when_setting_or_resetting_then_403(viewer):
    api = ApiClient(token_for(viewer))
    assert api.raw("put", "/cost-table/micro/post", '{"low": "1", "high": "2"}').status_code == 403
    assert api.delete("/cost-table/micro/post").status_code == 403
    assert CostBenchmark.objects.count() == 0


def test_given_other_workspace_prices_when_reading_then_not_seen(owner, other_owner):
    ApiClient(token_for(other_owner)).raw(
        "put", "/cost-table/nano/post", '{"low": "1", "high": "2"}'
    )
    rows = ApiClient(token_for(owner)).get("/cost-table").json()["rows"]
    assert all(r["is_default"] for r in rows)


def test_given_micro_account_when_estimating_a_post_then_the_docstring_example(viewer, workspace):
    account = SocialAccountFactory(
        creator__workspace=workspace, followers=50_000, engagement_rate=Decimal("2.0000")
    )
    response = ApiClient(token_for(viewer)).get(f"/social-accounts/{account.pk}/cost-estimate")
    assert response.status_code == 200
    assert response.json() == {
        "account_id": account.pk,
        "platform": "instagram",
        "tier": "micro",
        "currency": workspace.currency,
        "format": "post",
        "cost_low": "100.00",
        "cost_high": "500.00",
        "reach": 10000,
        "engagements": 200,
        "cpm_low": "10.00",
        "cpm_high": "50.00",
        "cpe_low": "0.50",
        "cpe_high": "2.50",
    }


def test_given_unknown_format_when_estimating_then_422(viewer, workspace):
    account = SocialAccountFactory(creator__workspace=workspace)
    response = ApiClient(token_for(viewer)).get(
        f"/social-accounts/{account.pk}/cost-estimate", format="podcast"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "format",
            "message": "Unknown format 'podcast'; expected one of post, story, reel, video, short.",
        }
    ]


def test_given_other_workspace_account_when_estimating_then_404(owner, other_workspace):
    stranger = SocialAccountFactory(creator__workspace=other_workspace)
    response = ApiClient(token_for(owner)).get(f"/social-accounts/{stranger.pk}/cost-estimate")
    assert response.status_code == 404
