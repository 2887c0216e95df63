"""Signing in and out, login throttling, argon2 hashing, password reset, createsuperuser."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import call_command

from infludesk.core.models import User
from tests.factories import PASSWORD, UserFactory

LOGIN = "/account/login/"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _sign_in(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


PRODUCTION_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def test_given_the_settings_when_not_under_test_then_full_strength_argon2_comes_first(settings):
    # under pytest only, a cheaper argon2 is put in front (core/hashers.py)
    assert settings.PASSWORD_HASHERS[1:] == PRODUCTION_HASHERS


def test_given_the_production_hashers_when_a_password_is_stored_then_it_is_argon2id(db, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS

    user = UserFactory(email="ann@acme.test")

    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_given_the_right_email_and_password_when_signing_in_then_redirected_to_dashboard(
    client, owner
):
    response = _sign_in(client, "owner@acme.test", PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[SESSION_KEY] == str(owner.user.pk)


def test_given_the_email_in_capitals_when_signing_in_then_it_still_matches(client, owner):
    response = _sign_in(client, "  Owner@ACME.test ", PASSWORD)

    assert response.status_code == 302


def test_given_a_wrong_password_when_signing_in_then_the_form_says_so(client, owner):
    response = _sign_in(client, "owner@acme.test", "wrong-password")

    assert response.status_code == 200
    assert "That email address and password do not match an account." in response.text
    assert SESSION_KEY not in client.session


def test_given_an_empty_form_when_signing_in_then_both_fields_are_required(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }


def test_given_five_wrong_passwords_when_the_sixth_try_is_right_then_locked_out(
    client, owner, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        _sign_in(client, "owner@acme.test", "wrong-password")

    response = _sign_in(client, "owner@acme.test", PASSWORD)

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text
    assert SESSION_KEY not in client.session


def test_given_four_wrong_passwords_when_the_fifth_try_is_right_then_signed_in(client, owner):
    for _ in range(4):
        _sign_in(client, "owner@acme.test", "wrong-password")

    response = _sign_in(client, "owner@acme.test", PASSWORD)

    assert response.status_code == 302


def test_given_a_locked_pair_when_another_ip_signs_in_then_it_is_not_locked(client, owner):
    # the lockout is per username + IP: an attacker elsewhere cannot lock the owner out
    for _ in range(6):
        _sign_in(client, "owner@acme.test", "wrong-password", REMOTE_ADDR="10.0.0.9")

    response = _sign_in(client, "owner@acme.test", PASSWORD, REMOTE_ADDR="10.0.0.10")

    assert response.status_code == 302


def test_given_a_locked_email_in_other_capitals_when_signing_in_then_still_locked(client, owner):
    for _ in range(5):
        _sign_in(client, "owner@acme.test", "wrong-password")

    response = _sign_in(client, "OWNER@acme.test", PASSWORD)

    assert response.status_code == 429


def test_given_a_signed_in_user_when_signing_out_with_post_then_session_ends(owner_client):
    response = owner_client.post("/account/logout/")

    assert (response.status_code, response["Location"]) == (302, "/account/login/")
    assert SESSION_KEY not in owner_client.session


def test_given_a_signed_in_user_when_signing_out_with_get_then_refused(owner_client):
    response = owner_client.get("/account/logout/")

    assert response.status_code == 405
    assert SESSION_KEY in owner_client.session


def test_given_a_signed_in_user_when_opening_login_then_redirected_home(owner_client):
    response = owner_client.get(LOGIN)

    assert (response.status_code, response["Location"]) == (302, "/")


def _reset_link(message) -> str:
    match = re.search(r"https?://\S+/account/password/reset/\S+/", message.body)
    assert match is not None, message.body
    return urlsplit(match.group(0)).path


def test_given_a_forgotten_password_when_reset_by_email_then_the_new_one_signs_in(
    client, owner, settings
):
    settings.EMAIL_BACKEND = LOCMEM
    response = client.post("/account/password/reset/", {"email": "owner@acme.test"})
    assert (response.status_code, response["Location"]) == (302, "/account/password/reset/sent/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@acme.test"]
    assert mail.outbox[0].subject == "Reset your Infludesk password"

    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9"},
    )
    assert (done.status_code, done["Location"]) == (302, "/account/password/reset/done/")

    client.logout()
    assert _sign_in(client, "owner@acme.test", PASSWORD).status_code == 200
    assert _sign_in(client, "owner@acme.test", "a-brand-new-secret-9").status_code == 302


def test_given_a_used_reset_link_when_opened_again_then_it_is_refused(client, owner, settings):
    settings.EMAIL_BACKEND = LOCMEM
    client.post("/account/password/reset/", {"email": "owner@acme.test"})
    link = _reset_link(mail.outbox[0])
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9"},
    )

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
    assert "This link does not work any more" in again.text


def test_given_an_unknown_email_when_asking_for_a_reset_then_no_mail_and_same_page(
    client, db, settings
):
    settings.EMAIL_BACKEND = LOCMEM
    response = client.post("/account/password/reset/", {"email": "nobody@acme.test"})

    # the same answer as for a known address, so the form does not reveal who has an account
    assert (response.status_code, response["Location"]) == (302, "/account/password/reset/sent/")
    assert mail.outbox == []


def test_given_env_password_when_createsuperuser_noinput_then_an_email_superuser_exists(
    db, monkeypatch
):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-admin-secret-42")

    call_command("createsuperuser", "--noinput", "--email", "Admin@Acme.test", verbosity=0)

    admin = User.objects.get()
    assert (admin.email, admin.is_superuser, admin.is_staff) == ("admin@acme.test", True, True)
    assert admin.check_password("an-admin-secret-42")
    assert admin.password.startswith("argon2")


@pytest.mark.parametrize("path", ["/account/settings/", "/account/audit/"])
def test_given_an_anonymous_visitor_when_opening_account_pages_then_sent_to_sign_in(client, path):
    response = client.get(path)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next={path}")


def test_given_a_signed_in_user_when_changing_the_password_then_the_new_one_works(
    owner_client, client
):
    response = owner_client.post(
        "/account/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-secret-9",
            "new_password2": "a-brand-new-secret-9",
        },
    )

    assert (response.status_code, response["Location"]) == (302, "/account/password/change/done/")
    assert owner_client.get("/account/settings/").status_code == 200  # still signed in
    assert _sign_in(client, "owner@acme.test", "a-brand-new-secret-9").status_code == 302
