"""The settings page: workspace, members, API tokens; roles; isolation between workspaces."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infludesk.core.middleware import SESSION_KEY as WORKSPACE_KEY
from infludesk.core.models import ApiToken, Member, Role, Workspace
from infludesk.core.services import invitation_create
from infludesk.core.tokens import api_token_authenticate, api_token_create
from tests.factories import MemberFactory

SETTINGS = "/account/settings/"


def test_given_an_owner_when_opening_settings_then_members_are_listed_with_roles(
    owner_client, owner, manager, viewer
):
    response = owner_client.get(SETTINGS)

    assert response.status_code == 200
    assert [(m.user.email, m.role) for m in response.context["members"]] == [
        ("owner@acme.test", "owner"),
        ("manager@acme.test", "manager"),
        ("viewer@acme.test", "viewer"),
    ]
    assert "Send invitation" in response.text


def test_given_a_viewer_when_opening_settings_then_read_only_without_invitations(viewer_client):
    response = viewer_client.get(SETTINGS)

    assert response.status_code == 200
    assert "Only an owner can change these." in response.text
    assert "Send invitation" not in response.text
    assert 'action="/account/members/' not in response.text


def test_given_an_owner_when_saving_workspace_settings_then_saved(owner_client, workspace):
    response = owner_client.post(
        "/account/settings/workspace/",
        {"name": "Acme Outdoors", "currency": "eur", "time_zone": "Europe/Paris"},
    )

    assert (response.status_code, response["Location"]) == (302, SETTINGS)
    workspace.refresh_from_db()
    assert (workspace.name, workspace.currency, workspace.time_zone) == (
        "Acme Outdoors",
        "EUR",
        "Europe/Paris",
    )


def test_given_an_invalid_form_when_saving_workspace_settings_then_field_errors_show(
    owner_client, workspace
):
    response = owner_client.post(
        "/account/settings/workspace/", {"name": "", "currency": "EU$", "time_zone": "Nowhere"}
    )

    assert response.status_code == 400
    assert response.context["workspace_form"].errors == {
        "name": ["This field is required."],
        "currency": ["Enter a three-letter currency code such as USD or EUR."],
        "time_zone": ["Select a valid choice. Nowhere is not one of the available choices."],
    }
    assert "Enter a three-letter currency code such as USD or EUR." in response.text
    assert Workspace.objects.get(pk=workspace.pk).name == "Acme Outdoor"


@pytest.mark.parametrize("client_fixture", ["manager_client", "viewer_client"])
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/account/settings/workspace/", {"name": "X", "currency": "USD", "time_zone": "UTC"}),
        ("/account/members/{id}/role/", {"role": "owner"}),
        ("/account/members/{id}/remove/", {}),
    ],
)
def test_given_a_manager_or_viewer_when_managing_the_workspace_then_forbidden(
    request, owner, viewer, client_fixture, path, data
):
    client = request.getfixturevalue(client_fixture)

    response = client.post(path.format(id=viewer.pk), data)

    assert response.status_code == 403
    assert Member.objects.get(pk=viewer.pk).role == "viewer"
    assert Workspace.objects.get(pk=owner.workspace_id).name == "Acme Outdoor"


def test_given_an_owner_when_changing_a_role_then_it_changes(owner_client, viewer):
    response = owner_client.post(f"/account/members/{viewer.pk}/role/", {"role": "manager"})

    assert (response.status_code, response["Location"]) == (302, SETTINGS)
    assert Member.objects.get(pk=viewer.pk).role == "manager"


def test_given_the_only_owner_when_demoting_themselves_then_a_clear_error_is_shown(
    owner_client, owner
):
    response = owner_client.post(
        f"/account/members/{owner.pk}/role/", {"role": "viewer"}, follow=True
    )

    assert "A workspace needs at least one owner. Make another member an owner first." in (
        response.text
    )
    assert Member.objects.get(pk=owner.pk).role == "owner"


def test_given_the_only_owner_when_removing_themselves_then_a_clear_error_is_shown(
    owner_client, owner
):
    response = owner_client.post(f"/account/members/{owner.pk}/remove/", follow=True)

    assert "A workspace needs at least one owner." in response.text
    assert Member.objects.filter(pk=owner.pk).exists()


def test_given_an_owner_when_removing_a_member_then_they_are_gone(owner_client, manager):
    response = owner_client.post(f"/account/members/{manager.pk}/remove/")

    assert response.status_code == 302
    assert not Member.objects.filter(pk=manager.pk).exists()


def test_given_a_member_when_creating_a_token_then_it_is_shown_once(viewer_client, viewer):
    response = viewer_client.post("/account/tokens/", {"name": "Reporting script"})

    assert response.status_code == 200
    raw = response.context["new_token"]
    assert f'<code id="new-token">{raw}</code>' in response.text
    assert api_token_authenticate(raw) == viewer
    again = viewer_client.get(SETTINGS)
    assert raw not in again.text
    token = ApiToken.objects.get()
    assert f"ifd_{token.prefix}_…" in again.text


def test_given_a_blank_token_name_when_creating_then_the_field_error_shows(owner_client):
    response = owner_client.post("/account/tokens/", {"name": "  "})

    assert response.status_code == 400
    assert response.context["token_form"].errors == {"name": ["This field is required."]}
    assert ApiToken.objects.count() == 0


def test_given_a_token_when_its_holder_revokes_it_then_it_stops_working(manager_client, manager):
    token, raw = api_token_create(member=manager, name="CI")

    response = manager_client.post(f"/account/tokens/{token.pk}/revoke/")

    assert (response.status_code, response["Location"]) == (302, SETTINGS)
    assert api_token_authenticate(raw) is None


def test_given_an_owners_token_when_a_manager_lists_and_revokes_then_hidden_and_forbidden(
    manager_client, owner, manager
):
    token, raw = api_token_create(member=owner, name="Owner's")
    api_token_create(member=manager, name="Mine")

    listed = manager_client.get(SETTINGS).context["tokens"]
    response = manager_client.post(f"/account/tokens/{token.pk}/revoke/")

    assert [t.name for t in listed] == ["Mine"]
    assert response.status_code == 403
    assert api_token_authenticate(raw) == owner


def test_given_an_owner_when_listing_tokens_then_every_members_token_is_listed(
    owner_client, owner, manager
):
    api_token_create(member=owner, name="Owner's")
    api_token_create(member=manager, name="Manager's")

    listed = owner_client.get(SETTINGS).context["tokens"]

    assert sorted(t.name for t in listed) == ["Manager's", "Owner's"]


# --- isolation between workspaces ----------------------------------------------------------


def test_given_workspace_b_rows_when_owner_of_a_opens_settings_then_none_are_shown(
    owner_client, owner, other_owner
):
    MemberFactory(workspace=other_owner.workspace, user__email="rival-viewer@rival.test")
    api_token_create(member=other_owner, name="Rival token")
    invitation_create(
        workspace=other_owner.workspace, email="hire@rival.test", role="viewer", by=other_owner
    )

    response = owner_client.get(SETTINGS)

    assert [m.user.email for m in response.context["members"]] == ["owner@acme.test"]
    assert list(response.context["tokens"]) == []
    assert list(response.context["invitations"]) == []
    for text in ("rival.test", "Rival token", "Rival Brand"):
        assert text not in response.text


@pytest.mark.parametrize(
    ("path", "data"),
    [("/account/members/{id}/role/", {"role": "viewer"}), ("/account/members/{id}/remove/", {})],
)
def test_given_a_member_of_b_when_owner_of_a_changes_them_then_not_found(
    owner_client, other_owner, path, data
):
    response = owner_client.post(path.format(id=other_owner.pk), data)

    assert response.status_code == 404
    assert Member.objects.get(pk=other_owner.pk).role == "owner"


def test_given_a_token_of_b_when_owner_of_a_revokes_it_then_not_found(owner_client, other_owner):
    token, raw = api_token_create(member=other_owner, name="Rival")

    response = owner_client.post(f"/account/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert api_token_authenticate(raw) == other_owner


def test_given_a_forged_workspace_id_when_switching_then_refused_and_unchanged(
    owner_client, owner, other_workspace
):
    response = owner_client.post("/workspace/switch/", {"workspace_id": str(other_workspace.pk)})

    assert response.status_code == 404
    assert owner_client.session.get(WORKSPACE_KEY) is None
    assert owner_client.get(SETTINGS).context["workspace"] == owner.workspace


def test_given_a_forged_workspace_id_in_the_session_then_the_own_workspace_is_used(
    owner_client, owner, other_workspace
):
    session = owner_client.session
    session[WORKSPACE_KEY] = other_workspace.pk
    session.save()

    response = owner_client.get(SETTINGS)

    assert response.context["workspace"] == owner.workspace


# --- new workspace -------------------------------------------------------------------------


def test_given_a_signed_in_user_when_creating_a_workspace_then_they_own_it_and_it_is_current(
    owner_client, owner
):
    response = owner_client.post(
        "/account/workspaces/new/", {"name": "Second Brand", "currency": "GBP", "time_zone": "UTC"}
    )

    assert (response.status_code, response["Location"]) == (302, SETTINGS)
    created = Workspace.objects.get(name="Second Brand")
    assert Member.objects.get(workspace=created).role == Role.OWNER
    assert owner_client.session[WORKSPACE_KEY] == created.pk


def test_given_an_invalid_form_when_creating_a_workspace_then_field_errors_show(owner_client):
    response = owner_client.post(
        "/account/workspaces/new/", {"name": "", "currency": "", "time_zone": "UTC"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "name": ["This field is required."],
        "currency": ["This field is required."],
    }


# --- query counts ----------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_given_more_members_and_tokens_when_listing_then_the_query_count_stays_the_same(
    owner_client, owner, django_assert_max_num_queries
):
    for _ in range(2):
        api_token_create(member=MemberFactory(workspace=owner.workspace, role="viewer"), name="t")
    few = _queries(owner_client, SETTINGS)
    for _ in range(10):
        api_token_create(member=MemberFactory(workspace=owner.workspace, role="viewer"), name="t")
    invitation_create(workspace=owner.workspace, email="a@acme.test", role="viewer", by=owner)

    with django_assert_max_num_queries(8):
        many = _queries(owner_client, SETTINGS)

    assert many == few


def test_given_a_user_without_workspace_when_creating_one_then_they_land_in_it(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/account/workspaces/new/").status_code == 200

    client.post(
        "/account/workspaces/new/", {"name": "Solo Brand", "currency": "USD", "time_zone": "UTC"}
    )
    response = client.get(SETTINGS)

    assert response.status_code == 200
    assert response.context["workspace"].name == "Solo Brand"
    assert response.context["member"].role == "owner"
