"""Store connection pages (owner/manager only): the list, and creating one, which shows the
webhook URL and the secret once (the list never shows a secret)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from infludesk.core.listing import Column, Listing, choices_with_any
from infludesk.core.permissions import member_required
from infludesk.tracking.models import StoreConnection, StorePlatform
from infludesk.tracking.selectors import WEBHOOK_ROUTES, store_connection_webhook_url
from infludesk.tracking.services import store_connection_create

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
]  # fmt: skip


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

    def clean_secret(self) -> str:
        secret = (self.cleaned_data.get("secret") or "").strip()
        if secret and len(secret) < 8:
            raise ValidationError("The secret must have at least 8 characters.")
        return secret


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
