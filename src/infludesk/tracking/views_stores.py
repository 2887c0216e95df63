"""Store connection pages (owner/manager only): the list, creating one, which shows the
webhook URL and the secret once (the list never shows a secret), and editing one. The API
token and the webhook secret are write-only: never rendered back, only "set" / "not set"."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from infludesk.core.listing import Column, Listing, choices_with_any
from infludesk.core.permissions import member_required
from infludesk.tracking.models import StoreConnection, StorePlatform
from infludesk.tracking.selectors import WEBHOOK_ROUTES, store_connection_webhook_url
from infludesk.tracking.services import (
    API_PLATFORMS,
    store_connection_create,
    store_connection_update,
)

PLATFORMS = [(p, label) for p, label in StorePlatform.choices if p in WEBHOOK_ROUTES]


def _webhook_url(connection: StoreConnection) -> str:
    if connection.platform not in WEBHOOK_ROUTES:
        return ""  # CSV imports have no webhook
    return store_connection_webhook_url(connection=connection)


STORE_COLUMNS = [
    Column("platform", "Platform", "get_platform_display", sort="platform"),
    Column("shop_domain", "Shop domain", "shop_domain", sort="shop_domain"),
    Column("webhook_url", "Webhook URL", _webhook_url),
    Column("active", "Active", lambda c: "yes" if c.active else "no", sort="active"),
    Column(
        "created_at", "Created", "created_at", sort="created_at",
        display=lambda v: v.strftime("%Y-%m-%d"), csv_value=lambda v: v.isoformat(),
    ),
    Column(
        "edit", "", lambda c: "Edit",
        link=lambda c: reverse("tracking:store_edit", args=[c.pk]), in_csv=False,
    ),
]  # fmt: skip

API_URL_HELP = (
    "Only for pulling orders and creating discount codes. Shopify: leave blank "
    "(https://<shop domain> is used). WooCommerce: the site's address, e.g. "
    "https://shop.example.com (blank: https://<shop domain>). Generic webhooks have none."
)
API_ACCESS_HELP = (
    "Needed to sync past orders (infludesk sync-orders) and to push discount codes to the "
    "store. Shopify: the custom app's Admin API access token (shpat_...). WooCommerce: the "
    "REST API consumer key and secret joined by a colon, ck_...:cs_... (WooCommerce > Settings "
    "> Advanced > REST API). Generic webhooks have none. Never shown again."
)


def _secret_state(value: str) -> str:
    """What a page may say about a write-only value: "not set", or "set" with its last four
    characters when it is long enough for them to give nothing useful away."""
    if not value:
        return "not set"
    return f"set, ending in …{value[-4:]}" if len(value) >= 16 else "set"


def _write_only(label: str, max_length: int, help_text: str) -> forms.CharField:
    """A field for a secret: a password box that never renders its value back."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=help_text,
    )


class StoreFilterForm(forms.Form):
    platform = forms.ChoiceField(required=False, choices=choices_with_any(StorePlatform.choices))


class StoreForm(forms.Form):
    platform = forms.ChoiceField(choices=PLATFORMS)
    shop_domain = forms.CharField(
        required=False, max_length=255, help_text="e.g. my-shop.myshopify.com"
    )
    secret = forms.CharField(
        required=False,
        max_length=255,
        help_text=(
            "The signing secret the store uses (Shopify: the app's API secret; WooCommerce: "
            "the webhook secret). Leave blank to generate one."
        ),
    )

    api_url = forms.CharField(
        label="API URL", required=False, max_length=500, help_text=API_URL_HELP
    )
    api_token = _write_only("API token", 500, API_ACCESS_HELP)

    def clean_secret(self) -> str:
        secret = (self.cleaned_data.get("secret") or "").strip()
        if secret and len(secret) < 8:
            raise ValidationError("The secret must have at least 8 characters.")
        return secret


class StoreEditForm(forms.Form):
    """The fields a connection's platform uses: every store has a shop domain and can be
    switched off; webhook stores have a signing secret; Shopify and WooCommerce also have the
    API URL and token. Secret fields start empty: empty keeps the current value."""

    shop_domain = forms.CharField(
        required=False, max_length=255, help_text="e.g. my-shop.myshopify.com"
    )
    active = forms.BooleanField(
        required=False, help_text="Switched off: webhooks are refused and nothing is pushed."
    )

    def __init__(self, *args: Any, connection: StoreConnection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connection = connection
        if connection.platform in API_PLATFORMS:
            self.fields["api_url"] = forms.CharField(
                label="API URL", required=False, max_length=500, help_text=API_URL_HELP
            )
            self.fields["api_token"] = _write_only(
                "New API token",
                500,
                f"Now: {_secret_state(connection.api_token)}. Leave empty to keep it. "
                + API_ACCESS_HELP,
            )
            self.fields["clear_api_token"] = forms.BooleanField(
                label="Clear the API token",
                required=False,
                help_text="No more order sync or code pushes until a new token is set.",
            )
        if connection.platform in WEBHOOK_ROUTES:
            self.fields["secret"] = _write_only(
                "New webhook secret",
                255,
                f"Now: {_secret_state(connection.secret)}. Leave empty to keep it; a new one "
                "must match the store's (Shopify: the app's API secret; WooCommerce: the "
                "webhook secret), at least 8 characters.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("clear_api_token") and data.get("api_token"):
            self.add_error("api_token", "Either give a new API token or clear it, not both.")
        return data


@require_GET
@member_required(write=True)
def store_list_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = StoreFilterForm(request.GET)
    form.is_valid()
    rows = StoreConnection.objects.filter(workspace=workspace)
    if form.cleaned_data.get("platform"):
        rows = rows.filter(platform=form.cleaned_data["platform"])
    listing = Listing(
        request=request,
        queryset=rows,
        form=form,
        columns=STORE_COLUMNS,
        default_sort="-created_at",
        csv_filename="stores.csv",
    )
    return listing.response(template="tracking/stores.html")


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def store_create_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = StoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            connection = store_connection_create(
                workspace=workspace,
                platform=data["platform"],
                secret=data["secret"] or secrets.token_urlsafe(32),
                shop_domain=data.get("shop_domain") or "",
                api_url=data.get("api_url") or "",
                api_token=data.get("api_token") or "",
                by=request.member,  # type: ignore[attr-defined]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            # Rendered, not redirected: the secret is shown on this response only.
            context = {"connection": connection, "webhook_url": _webhook_url(connection)}
            return render(request, "tracking/store_created.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "tracking/store_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def store_edit_view(request: HttpRequest, store_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    connection = get_object_or_404(StoreConnection, workspace=workspace, pk=store_id)
    initial = {
        "shop_domain": connection.shop_domain,
        "api_url": connection.api_url,
        "active": connection.active,
    }
    form = StoreEditForm(request.POST or None, initial=initial, connection=connection)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            store_connection_update(
                connection=connection,
                by=request.member,  # type: ignore[attr-defined]
                shop_domain=data["shop_domain"],
                active=data["active"],
                api_url=data.get("api_url"),
                api_token=data.get("api_token") or None,
                clear_api_token=bool(data.get("clear_api_token")),
                secret=data.get("secret") or None,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("tracking:stores")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "connection": connection,
        "webhook_url": _webhook_url(connection),
        "api_token_state": _secret_state(connection.api_token),
        "secret_state": _secret_state(connection.secret),
    }
    return render(request, "tracking/store_edit.html", context, status=status)
