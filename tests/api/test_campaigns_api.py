"""Campaigns API: slug, money as strings, date rule, filters, update and delete."""

from __future__ import annotations

import pytest

from infludesk.campaigns.models import Campaign
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

NEW = {"name": "Summer Trails", "objective": "conversions", "type": "affiliate"}


def test_when_creating_a_campaign_then_201_with_slug_and_money_as_string(owner_api, workspace):
    response = owner_api.post("/campaigns", {**NEW, "budget": 2500.5, "currency": "EUR"})
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("slug", "budget", "currency", "status")} == {
        "slug": "summer-trails",
        "budget": "2500.50",
        "currency": "EUR",
        "status": "draft",
    }
    assert Campaign.objects.get(pk=body["id"]).workspace == workspace


def test_given_a_taken_slug_when_creating_then_422_naming_slug(owner_api, workspace):
    CampaignFactory(workspace=workspace, slug="taken")
    response = owner_api.post("/campaigns", {**NEW, "slug": "taken"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["slug"]


def test_given_end_before_start_when_creating_then_422_naming_ends_on(owner_api):
    response = owner_api.post(
        "/campaigns", {**NEW, "starts_on": "2026-06-10", "ends_on": "2026-06-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "ends_on", "message": "The end date must be on or after the start date."}
    ]


def test_given_budget_with_three_decimals_when_creating_then_422_naming_budget(owner_api):
    response = owner_api.post("/campaigns", {**NEW, "budget": "10.005"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["budget"]


def test_given_a_bad_date_when_creating_then_422_naming_starts_on(owner_api):
    response = owner_api.post("/campaigns", {**NEW, "starts_on": "2026-13-45"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["starts_on"]


def test_given_filters_when_listing_then_status_objective_and_q_apply(owner_api, workspace):
    def make(name: str, status: str, objective: str, product: str = "Socks") -> None:
        CampaignFactory(
            workspace=workspace, name=name, status=status, objective=objective, product=product
        )

    make("Trail A", "active", "awareness")
    make("Trail B", "draft", "awareness")
    make("Road C", "active", "awareness")
    make("Road D", "active", "awareness", product="Trail socks")
    make("Trail E", "active", "insight")
    body = owner_api.get("/campaigns", status="active", objective="awareness", q="trail").json()
    assert sorted(c["name"] for c in body["items"]) == ["Road D", "Trail A"]


def test_when_patching_the_end_date_before_start_then_422_and_unchanged(owner_api, workspace):
    campaign = CampaignFactory(workspace=workspace)
    response = owner_api.patch(f"/campaigns/{campaign.pk}", {"ends_on": "2026-10-01"})
    assert response.status_code == 422
    campaign.refresh_from_db()
    assert str(campaign.ends_on) == "2026-12-31"


def test_when_patching_the_status_then_200_and_saved(owner_api, workspace):
    campaign = CampaignFactory(workspace=workspace, status="draft")
    response = owner_api.patch(f"/campaigns/{campaign.pk}", {"status": "active"})
    assert (response.status_code, response.json()["status"]) == (200, "active")
    campaign.refresh_from_db()
    assert campaign.status == "active"


def test_when_clearing_a_date_with_null_then_it_is_cleared(owner_api, workspace):
    campaign = CampaignFactory(workspace=workspace)
    response = owner_api.patch(f"/campaigns/{campaign.pk}", {"ends_on": None})
    assert (response.status_code, response.json()["ends_on"]) == (200, None)


def test_when_deleting_a_campaign_then_204_and_gone(owner_api, workspace):
    campaign = CampaignFactory(workspace=workspace)
    assert owner_api.delete(f"/campaigns/{campaign.pk}").status_code == 204
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
