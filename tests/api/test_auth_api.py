"""Who may call the API: 401 without valid credentials, 403 for read-only writers, session
callers need CSRF on writes."""

from __future__ import annotations

import pytest
from django.test import Client

from infludesk.core.models import ApiToken, AuditEntry
from infludesk.core.tokens import api_token_create, api_token_revoke
from tests.api.conftest import ApiClient
from tests.factories import CampaignFactory, CreatorFactory, DealFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_given_no_credentials_when_listing_then_401_with_bearer_challenge(anonymous_api):
    response = anonymous_api.get("/creators")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "detail": "Authentication required: send 'Authorization: Bearer <API token>'.",
        "errors": [],
    }


def test_given_an_unknown_token_when_listing_then_401(db):
    response = ApiClient("ifd_deadbeef_not-a-real-token").get("/creators")
    assert response.status_code == 401


def test_given_a_malformed_authorization_header_when_listing_then_401(db):
    client = ApiClient(client=Client(headers={"Authorization": "Basic dXNlcjpwYXNz"}))
    assert client.get("/creators").status_code == 401


def test_given_a_revoked_token_when_listing_then_401(owner):
    token, raw = api_token_create(member=owner, name="ci")
    api_token_revoke(token=token, by=owner)
    assert ApiClient(raw).get("/creators").status_code == 401


def test_given_a_revoked_token_when_posting_then_401_not_a_csrf_403(owner):
    token, raw = api_token_create(member=owner, name="ci")
    api_token_revoke(token=token, by=owner)
    assert ApiClient(raw).post("/creators", {"name": "X"}).status_code == 401


def test_given_a_token_of_a_deactivated_user_when_listing_then_401(owner):
    _, raw = api_token_create(member=owner, name="ci")
    owner.user.is_active = False
    owner.user.save()
    assert ApiClient(raw).get("/creators").status_code == 401


def test_when_a_token_is_used_then_its_last_used_time_is_recorded(owner):
    token, raw = api_token_create(member=owner, name="ci")
    ApiClient(raw).get("/creators")
    assert ApiToken.objects.filter(pk=token.pk, last_used_at__isnull=False).count() == 1


def test_given_a_viewer_token_when_reading_then_200(viewer_api, workspace):
    CreatorFactory(workspace=workspace)
    assert viewer_api.get("/creators").json()["count"] == 1


def _write_requests(workspace):
    creator = CreatorFactory(workspace=workspace)
    account = SocialAccountFactory(creator=creator)
    campaign = CampaignFactory(workspace=workspace)
    deal = DealFactory(campaign=campaign)
    return [
        ("post", "/creators", {"name": "X"}),
        ("patch", f"/creators/{creator.pk}", {"name": "X"}),
        ("delete", f"/creators/{CreatorFactory(workspace=workspace).pk}", None),
        (
            "post",
            "/social-accounts",
            {"creator_id": creator.pk, "platform": "tiktok", "handle": "x"},
        ),
        ("patch", f"/social-accounts/{account.pk}", {"followers": 1}),
        ("delete", f"/social-accounts/{account.pk}", None),
        ("post", "/campaigns", {"name": "X", "objective": "insight", "type": "seeding"}),
        ("patch", f"/campaigns/{campaign.pk}", {"name": "X"}),
        ("post", "/deals", {"campaign_id": campaign.pk, "creator_id": creator.pk}),
        ("patch", f"/deals/{deal.pk}", {"stage": "paid"}),
        ("delete", f"/deals/{deal.pk}", None),
        ("delete", f"/campaigns/{campaign.pk}", None),
    ]


def test_given_a_viewer_token_when_writing_anything_then_403_and_nothing_changes(
    viewer_api, workspace
):
    requests = _write_requests(workspace)
    statuses = []
    for method, path, body in requests:
        if body is None:
            response = viewer_api.delete(path)
        else:
            response = getattr(viewer_api, method)(path, body)
        statuses.append((method, path, response.status_code, response.json()["detail"]))
    assert statuses == [
        (m, p, 403, "Your role in this workspace is read-only.") for m, p, _ in requests
    ]
    writes = AuditEntry.objects.filter(workspace=workspace).exclude(action="api_token.create")
    assert writes.count() == 0


def test_given_a_viewer_token_and_an_invalid_body_when_posting_then_403_before_422(viewer_api):
    assert viewer_api.raw("post", "/creators", "{not json").status_code == 403


# --- the browser session ------------------------------------------------------------------


def test_given_a_signed_in_session_when_listing_then_200(owner_client, workspace):
    CreatorFactory(workspace=workspace)
    response = owner_client.get("/api/v1/creators")
    assert (response.status_code, response.json()["count"]) == (200, 1)


def test_given_a_session_without_csrf_token_when_posting_then_403(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/api/v1/creators", {"name": "X"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF check failed")


def test_given_a_session_with_csrf_token_when_posting_then_201(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner.user, backend="django.contrib.auth.backends.ModelBackend")
    # Django accepts the cookie's 32-character secret itself as the header value.
    secret = "abcdefghijklmnopqrstuvwxyzABCDEF"
    client.cookies["csrftoken"] = secret
    response = client.post(
        "/api/v1/creators",
        {"name": "X"},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201


def test_given_a_viewer_session_when_posting_then_403(viewer_client):
    response = viewer_client.post(
        "/api/v1/creators", {"name": "X"}, content_type="application/json"
    )
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "Your role in this workspace is read-only.",
    )


def test_given_a_signed_in_user_without_a_workspace_when_listing_then_403(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/api/v1/creators")
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "You are not a member of any workspace.",
    )
