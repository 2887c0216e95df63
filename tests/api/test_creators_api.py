"""Creators API: create, read, list with filters and pagination, update, delete."""

from __future__ import annotations

import pytest

from infludesk.core.models import AuditEntry
from infludesk.creators.models import Creator
from tests.factories import CreatorFactory, DealFactory

pytestmark = pytest.mark.django_db


def test_when_creating_a_creator_then_201_with_the_stored_row(owner_api, owner, workspace):
    # given a manager's token / when posting a creator
    response = owner_api.post(
        "/creators", {"name": "Ana Ruiz", "country": "es", "categories": ["outdoor"]}
    )
    # then it is created in the caller's workspace and echoed back
    assert response.status_code == 201
    body = response.json()
    creator = Creator.objects.get(pk=body["id"])
    assert (creator.workspace, creator.name, creator.country) == (workspace, "Ana Ruiz", "ES")
    assert {k: body[k] for k in ("name", "country", "categories", "do_not_contact")} == {
        "name": "Ana Ruiz",
        "country": "ES",
        "categories": ["outdoor"],
        "do_not_contact": False,
    }
    assert AuditEntry.objects.get(action="creator.create").actor == owner


def test_when_a_manager_creates_a_creator_then_it_is_allowed(manager_api):
    assert manager_api.post("/creators", {"name": "Bo"}).status_code == 201


def test_when_reading_a_creator_then_200_with_its_fields(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace, name="Cleo", email="cleo@example.com")
    response = owner_api.get(f"/creators/{creator.pk}")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["email"]) == (creator.pk, "cleo@example.com")


def test_when_listing_then_rows_are_sorted_by_name_with_count(owner_api, workspace):
    for name in ("Zed", "Amy", "Mo"):
        CreatorFactory(workspace=workspace, name=name)
    body = owner_api.get("/creators").json()
    assert [c["name"] for c in body["items"]] == ["Amy", "Mo", "Zed"]
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)


def test_given_q_when_listing_then_name_or_email_matches(owner_api, workspace):
    CreatorFactory(workspace=workspace, name="Trail Tom", email="t@example.com")
    CreatorFactory(workspace=workspace, name="Sam", email="trail.sam@example.com")
    CreatorFactory(workspace=workspace, name="Kim", email="kim@example.com")
    body = owner_api.get("/creators", q="trail").json()
    assert sorted(c["name"] for c in body["items"]) == ["Sam", "Trail Tom"]


def test_given_country_when_listing_then_only_that_country(owner_api, workspace):
    CreatorFactory(workspace=workspace, name="Ana", country="ES")
    CreatorFactory(workspace=workspace, name="Bob", country="US")
    body = owner_api.get("/creators", country="es").json()
    assert [c["name"] for c in body["items"]] == ["Ana"]


def test_given_more_rows_than_a_page_when_listing_then_next_and_previous_link(owner_api, workspace):
    for i in range(5):
        CreatorFactory(workspace=workspace, name=f"C{i}")
    body = owner_api.get("/creators", page=2, page_size=2, country="US").json()
    assert [c["name"] for c in body["items"]] == ["C2", "C3"]
    assert body["count"] == 5
    assert body["next"] == "http://testserver/api/v1/creators?page=3&page_size=2&country=US"
    assert body["previous"] == "http://testserver/api/v1/creators?page=1&page_size=2&country=US"


def test_given_a_page_past_the_end_when_listing_then_empty_items(owner_api, workspace):
    CreatorFactory(workspace=workspace)
    body = owner_api.get("/creators", page=9).json()
    assert (body["count"], body["items"], body["next"]) == (1, [], None)


def test_given_page_size_over_200_when_listing_then_422_naming_page_size(owner_api):
    response = owner_api.get("/creators", page_size=201)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["page_size"]


def test_when_patching_then_only_sent_fields_change(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace, name="Old", country="US", notes="keep")
    response = owner_api.patch(f"/creators/{creator.pk}", {"name": "New"})
    assert response.status_code == 200
    creator.refresh_from_db()
    assert (creator.name, creator.country, creator.notes) == ("New", "US", "keep")


def test_given_null_for_a_required_field_when_patching_then_422_naming_it(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.patch(f"/creators/{creator.pk}", {"name": None})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["name"]


def test_when_deleting_then_204_and_gone(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.delete(f"/creators/{creator.pk}")
    assert (response.status_code, response.content) == (204, b"")
    assert not Creator.objects.filter(pk=creator.pk).exists()


def test_given_a_creator_with_deals_when_deleting_then_422_naming_creator_id(owner_api, workspace):
    deal = DealFactory(campaign__workspace=workspace)
    response = owner_api.delete(f"/creators/{deal.creator_id}")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["creator_id"]
    assert Creator.objects.filter(pk=deal.creator_id).exists()


def test_given_a_missing_id_when_reading_then_404_json(owner_api):
    response = owner_api.get("/creators/987654")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_given_empty_filter_parameters_when_listing_then_they_are_ignored(owner_api, workspace):
    # as an HTML filter form sends them: ?q=&country=
    CreatorFactory(workspace=workspace, country="ES")
    CreatorFactory(workspace=workspace, country="")
    assert owner_api.get("/creators", q="", country="").json()["count"] == 2
