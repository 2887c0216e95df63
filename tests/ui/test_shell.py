"""The UI shell: navigation, the workspace switcher, the section pages and the Plotly script."""

from __future__ import annotations

import pytest
from django.test import Client

from infludesk.core.middleware import SESSION_KEY
from infludesk.core.models import Role
from tests.factories import MemberFactory, UserFactory

NAV = ["Dashboard", "Creators", "Campaigns", "Tracking", "Analytics", "Research", "Reports"]


@pytest.mark.django_db
def test_signed_in_member_sees_navigation_switcher_and_sign_out(owner_client):
    # when
    response = owner_client.get("/")
    # then
    html = response.content.decode()
    for label in [*NAV, "Settings"]:
        assert f">{label}</a>" in html
    assert 'href="/account/settings/"' in html
    assert 'action="/account/logout/"' in html
    assert 'name="workspace_id"' in html
    assert '<option value="' in html and "Acme Outdoor</option>" in html


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/creators/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/creators/"


@pytest.mark.django_db
def test_user_without_workspace_sees_only_the_content_block():
    # given a user who belongs to no workspace
    client = Client()
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
    # when
    response = client.get("/")
    # then
    html = response.content.decode()
    assert response.status_code == 403
    assert "You are not a member of any workspace" in html
    assert 'class="sidebar"' not in html


@pytest.mark.django_db
def test_switcher_makes_another_membership_current(owner, owner_client, other_workspace):
    # given the owner is also a viewer of the other workspace
    MemberFactory(workspace=other_workspace, user=owner.user, role=Role.VIEWER)
    # when
    response = owner_client.post(
        "/workspace/switch/", {"workspace_id": other_workspace.pk, "next": "/creators/"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/creators/"
    assert owner_client.session[SESSION_KEY] == other_workspace.pk
    page = owner_client.get("/").content.decode()
    assert "<h1>Rival Brand</h1>" in page


@pytest.mark.django_db
def test_switcher_refuses_a_workspace_the_user_does_not_belong_to(owner_client, other_workspace):
    response = owner_client.post("/workspace/switch/", {"workspace_id": other_workspace.pk})
    assert response.status_code == 404
    assert SESSION_KEY not in owner_client.session
    assert "<h1>Acme Outdoor</h1>" in owner_client.get("/").content.decode()


@pytest.mark.django_db
def test_switcher_ignores_a_next_url_on_another_host(owner, owner_client, other_workspace):
    MemberFactory(workspace=other_workspace, user=owner.user, role=Role.VIEWER)
    response = owner_client.post(
        "/workspace/switch/",
        {"workspace_id": other_workspace.pk, "next": "https://evil.example.com/"},
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_switcher_needs_post(owner_client):
    assert owner_client.get("/workspace/switch/").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/analytics/", "/research/", "/reports/"])
def test_unbuilt_sections_say_so_plainly(owner_client, path):
    response = owner_client.get(path)
    assert response.status_code == 200
    assert "Not built yet." in response.content.decode()


@pytest.mark.django_db
def test_tracking_page_counts_only_this_workspaces_rows(owner_client, workspace, other_workspace):
    from tests.factories import DiscountCodeFactory, TrackedLinkFactory

    TrackedLinkFactory.create_batch(2, creator__workspace=workspace)
    TrackedLinkFactory(creator__workspace=other_workspace)
    DiscountCodeFactory(creator__workspace=other_workspace)
    html = owner_client.get("/tracking/").content.decode()
    assert 'id="count-links"><div class="label">Tracked links</div><div class="value">2<' in html
    assert 'id="count-codes"><div class="label">Discount codes</div><div class="value">0<' in html
    assert "Not built yet." in html


@pytest.mark.django_db
def test_plotly_script_is_served_from_the_installed_package(client):
    import plotly

    response = client.get("/vendor/plotly.min.js")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["ETag"] == f'"plotly-{plotly.__version__}"'
    assert b"plotly.js" in body[:2000]


@pytest.mark.django_db
def test_unknown_address_gets_the_not_found_page(owner_client):
    response = owner_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "There is nothing at this address" in response.content.decode()
