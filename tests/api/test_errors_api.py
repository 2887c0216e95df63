"""Bad input gets 422 in one shape, naming the field; nothing surfaces as a 500."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from infludesk.api.errors import field_from_loc
from tests.factories import CreatorFactory

pytestmark = pytest.mark.django_db


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def test_given_invalid_json_when_posting_then_422_naming_body(owner_api):
    response = owner_api.raw("post", "/creators", '{"name": "Ana",')
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert _fields(response) == ["body"]
    assert body["errors"][0]["message"].startswith("The body is not valid JSON")


def test_given_bytes_that_are_not_utf8_when_posting_then_422_naming_body(owner_api):
    response = owner_api.raw("post", "/creators", b"\xff\xfe{")
    assert (response.status_code, _fields(response)) == (422, ["body"])


def test_given_a_json_list_instead_of_an_object_when_posting_then_422_naming_body(owner_api):
    response = owner_api.raw("post", "/creators", "[1, 2]")
    assert (response.status_code, _fields(response)) == (422, ["body"])


def test_given_an_empty_body_when_posting_then_422_naming_body(owner_api):
    response = owner_api.raw("post", "/campaigns", "")
    assert (response.status_code, _fields(response)) == (422, ["body"])


def test_given_missing_required_fields_when_posting_then_422_naming_each(owner_api):
    response = owner_api.post("/campaigns", {"product": "Socks"})
    assert response.status_code == 422
    assert sorted(response.json()["errors"], key=lambda e: e["field"]) == [
        {"field": "name", "message": "This field is required."},
        {"field": "objective", "message": "This field is required."},
        {"field": "type", "message": "This field is required."},
    ]


def test_given_a_wrong_type_when_posting_then_422_naming_the_field(owner_api):
    response = owner_api.post(
        "/campaigns", {"name": ["x"], "objective": "insight", "type": "seeding"}
    )
    assert (response.status_code, _fields(response)) == (422, ["name"])


def test_given_a_string_for_an_integer_when_posting_then_422_naming_it(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/social-accounts",
        {"creator_id": creator.pk, "platform": "tiktok", "handle": "x", "followers": "many"},
    )
    assert (response.status_code, _fields(response)) == (422, ["followers"])


def test_given_a_bad_list_item_when_posting_then_422_naming_its_position(owner_api):
    response = owner_api.post("/creators", {"name": "Ana", "categories": ["ok", 5]})
    assert (response.status_code, _fields(response)) == (422, ["categories.1"])


def test_given_an_unknown_field_when_posting_then_422_naming_it(owner_api):
    response = owner_api.post("/creators", {"name": "Ana", "nmae": "typo"})
    assert (response.status_code, _fields(response)) == (422, ["nmae"])


def test_given_a_nul_character_when_posting_then_422_naming_the_field(owner_api):
    response = owner_api.post("/creators", {"name": "An\u0000a"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "name", "message": "Text cannot contain NUL (\\u0000) characters."}
    ]


def test_given_a_nul_character_in_a_filter_when_listing_then_422_naming_q(owner_api):
    response = owner_api.get("/creators", q="a\x00b")
    assert (response.status_code, _fields(response)) == (422, ["q"])


def test_given_a_huge_integer_when_posting_then_422_not_a_database_error(owner_api, workspace):
    creator = CreatorFactory(workspace=workspace)
    response = owner_api.post(
        "/social-accounts",
        {"creator_id": creator.pk, "platform": "tiktok", "handle": "x", "followers": 10**30},
    )
    assert (response.status_code, _fields(response)) == (422, ["followers"])


def test_given_a_non_integer_path_id_when_reading_then_422_naming_it(owner_api):
    response = owner_api.get("/creators/abc")
    assert (response.status_code, _fields(response)) == (422, ["creator_id"])


def test_given_an_id_beyond_64_bits_when_reading_then_422(owner_api):
    response = owner_api.get(f"/deals/{2**70}")
    assert (response.status_code, _fields(response)) == (422, ["deal_id"])


def test_given_an_invalid_email_when_posting_then_service_error_names_email(owner_api):
    response = owner_api.post("/creators", {"name": "Ana", "email": "not-an-email"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "email", "message": "Enter a valid email address."}
    ]


def test_given_an_integrity_error_in_a_handler_then_409_json(owner_api, monkeypatch):
    from infludesk.creators import services

    def clash(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(services, "creator_create", clash)
    response = owner_api.post("/creators", {"name": "Ana"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The change conflicts with existing data (a duplicate or a row still in use).",
        "errors": [],
    }


def test_given_an_unknown_method_when_calling_then_405_not_500(owner_api):
    response = owner_api.client.put("/api/v1/creators", data="{}", content_type="application/json")
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (("body", "payload", "name"), "name"),
        (("body", "payload", "categories", 1), "categories.1"),
        (("body", "payload"), "body"),
        (("query", "page_size"), "page_size"),
        (("path", "creator_id"), "creator_id"),
    ],
)
def test_field_from_loc_names_what_the_client_sent(loc, field):
    assert field_from_loc(loc) == field
