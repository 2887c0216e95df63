"""The Django admin: every registered model's list and add pages open for a superuser."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from infludesk.core.models import AuditEntry, User
from infludesk.core.tokens import api_token_create
from tests.factories import DealFactory, OrderFactory, UserFactory


@pytest.fixture
def admin_client(db, client):
    superuser = User.objects.create_superuser("root@acme.test", "an-admin-secret-42")
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _registered():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_given_the_project_then_core_creators_campaigns_and_tracking_models_are_registered():
    labels = {model._meta.label for model in _registered()}

    assert {
        "core.User",
        "core.Workspace",
        "core.Member",
        "core.Invitation",
        "core.ApiToken",
        "core.AuditEntry",
        "creators.Creator",
        "campaigns.Deal",
        "tracking.Order",
    } <= labels


def test_given_rows_when_a_superuser_opens_every_list_page_then_all_answer_200(admin_client, owner):
    DealFactory(campaign__workspace=owner.workspace)
    OrderFactory(workspace=owner.workspace)
    api_token_create(member=owner, name="CI")
    failures = []
    for model in _registered():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        status = admin_client.get(url).status_code
        if status != 200:
            failures.append((url, status))

    assert failures == []


def test_given_a_user_when_a_superuser_opens_its_change_page_then_the_email_is_shown(
    admin_client,
):
    user = UserFactory(email="ann@acme.test")

    response = admin_client.get(reverse("admin:core_user_change", args=[user.pk]))

    assert response.status_code == 200
    assert 'value="ann@acme.test"' in response.text


def test_given_the_add_user_form_when_posted_then_an_email_user_is_created(admin_client):
    response = admin_client.post(
        reverse("admin:core_user_add"),
        {
            "email": "new@acme.test",
            "usable_password": "true",
            "password1": "a-new-secret-777",
            "password2": "a-new-secret-777",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(email="new@acme.test").check_password("a-new-secret-777")


def test_given_an_audit_entry_when_a_superuser_tries_to_delete_it_then_forbidden(
    admin_client, owner
):
    api_token_create(member=owner, name="CI")
    entry = AuditEntry.objects.get()

    response = admin_client.post(
        reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_given_a_member_without_staff_when_opening_the_admin_then_sent_to_admin_login(
    owner_client,
):
    response = owner_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
