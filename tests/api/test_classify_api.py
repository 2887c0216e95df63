"""`POST /classify-accounts`: the classify-accounts command over the API: the same
probabilities as the command, the prior, named errors, no database writes."""

from __future__ import annotations

import pytest

from infludesk.authenticity.model import AccountFeatures, load_model
from tests.api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db
ANNA = {
    "followers": 850,
    "following": 420,
    "posts": 120,
    "has_profile_pic": True,
    "is_private": False,
    "username_digit_ratio": 0.0,
}
BOT = {
    "followers": 3,
    "following": 2200,
    "posts": 0,
    "has_profile_pic": False,
    "is_private": False,
    "username_digit_ratio": 0.64,
}


def test_given_accounts_when_classifying_then_the_commands_probabilities(
    viewer, django_assert_num_queries
):
    # given a viewer (nothing is stored, so every member may classify)
    api = ApiClient(token_for(viewer))
    api.get("/creators")  # the token's first use stamps it
    # when two accounts are classified at the default 10% prior
    with django_assert_num_queries(1):  # token + member; the model is a file
        response = api.post("/classify-accounts", {"accounts": [ANNA, BOT]})
    # then each row has the probability the command writes, to 4 decimals
    assert response.status_code == 200, response.content
    model = load_model()
    anna = model.probability(AccountFeatures(850, 420, 120, True, False, 0.0), prior=0.1)
    assert response.json() == {
        "prior": 0.1,
        "model_variant": "without_bio",
        "items": [
            {"index": 0, "fake_probability": round(anna, 4)},
            {"index": 1, "fake_probability": 1.0},
        ],
    }


def test_given_a_bio_length_and_a_prior_when_classifying_then_the_with_bio_model(owner):
    api = ApiClient(token_for(owner))
    body = api.post(
        "/classify-accounts", {"accounts": [{**ANNA, "bio_length": 64}], "prior": 0.5}
    ).json()
    model = load_model()
    expected = model.probability(AccountFeatures(850, 420, 120, True, False, 0.0, 64), prior=0.5)
    assert (body["prior"], body["model_variant"]) == (0.5, "with_bio")
    assert body["items"] == [{"index": 0, "fake_probability": round(expected, 4)}]


def test_given_missing_and_bad_values_when_classifying_then_422_naming_row_and_column(owner):
    api = ApiClient(token_for(owner))
    missing = {k: v for k, v in ANNA.items() if k != "followers"}
    response = api.post(
        "/classify-accounts",
        {"accounts": [missing, {**BOT, "username_digit_ratio": 1.5, "posts": -1}], "prior": 1},
    )
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [
        ("accounts.0.followers", "This field is required."),
        ("accounts.1.posts", "Input should be greater than or equal to 0"),
        ("accounts.1.username_digit_ratio", "Input should be less than or equal to 1"),
        ("prior", "Input should be less than 1"),
    ]


def test_given_no_accounts_or_no_token_when_classifying_then_422_and_401(owner, anonymous_api):
    api = ApiClient(token_for(owner))
    response = api.post("/classify-accounts", {"accounts": []})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "accounts")
    assert anonymous_api.post("/classify-accounts", {"accounts": [ANNA]}).status_code == 401
