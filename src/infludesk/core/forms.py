"""Forms for signing in, workspace settings, members, invitations and API tokens.

Forms only parse and check input; the writes are in services.py and tokens.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from infludesk.core.models import Role, User, Workspace
from infludesk.core.services import time_zone_names, validate_currency, validate_time_zone


class EmailLoginForm(AuthenticationForm):
    """Django's login form; its ``username`` field holds the email address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email address and password do not match an account.",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})

    def clean_username(self) -> str:
        # emails are stored in lower case; lowering here also makes the login throttle count
        # "Ann@x.test" and "ann@x.test" as the same account
        return (self.cleaned_data.get("username") or "").strip().lower()


def axes_username(request: Any, credentials: dict[str, Any] | None = None) -> str:
    """The account name django-axes counts failures against: the email, trimmed, lower case.

    Our login form (like Django's) names the email field ``username``, while axes would look
    for the user model's USERNAME_FIELD (``email``) and find nothing, counting by IP alone.
    """
    if credentials and credentials.get("username"):
        raw = credentials["username"]
    else:
        raw = getattr(request, "POST", {}).get("username", "")
    return str(raw or "").strip().lower()


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(time_zone_names())]


class WorkspaceForm(forms.Form):
    """Name, currency and time zone of a workspace (for creating and for editing)."""

    name = forms.CharField(max_length=Workspace._meta.get_field("name").max_length)
    currency = forms.CharField(
        max_length=3, min_length=3, help_text="Three-letter code, e.g. USD, EUR, GBP."
    )
    time_zone = forms.ChoiceField(choices=_time_zone_choices, initial="UTC")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("A workspace needs a name.")
        return name

    def clean_currency(self) -> str:
        return validate_currency(self.cleaned_data["currency"])

    def clean_time_zone(self) -> str:
        return validate_time_zone(self.cleaned_data["time_zone"])


class InvitationForm(forms.Form):
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MANAGER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What uses it, e.g. 'Shop sync' or 'Reporting script'."
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("A token needs a name.")
        return name


class InvitationSignupForm(forms.Form):
    """The invited person's name and a new password; the email comes from the invitation."""

    full_name = forms.CharField(max_length=200, label="Your name")
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except ValidationError as error:
                self.add_error("password1", error)
        return data
