"""Django admin for core, and a helper the other apps use for their light registrations.

The admin is an operator's tool (superusers only). Day-to-day changes go through the app's
pages and services, which check roles and write the audit log; the admin does neither, so
secrets, hashes and the audit log itself are read-only here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.http import HttpRequest

from infludesk.core.models import (
    ApiToken,
    AuditEntry,
    ExchangeRate,
    Invitation,
    Member,
    User,
    Workspace,
)


def register_simple(
    model: type[models.Model],
    list_display: Sequence[str],
    *,
    search_fields: Sequence[str] = (),
    list_filter: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> None:
    """Register ``model`` with a list page and raw-id widgets for every foreign key.

    Foreign keys shown in the list are joined in the list query (no query per row), and the
    change form never renders a <select> of every creator or order.
    """
    fks = [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey | models.OneToOneField) and f.concrete
    ]
    attrs: dict[str, Any] = {
        "list_display": tuple(list_display),
        "list_select_related": tuple(name for name in list_display if name in fks),
        "raw_id_fields": tuple(fks),
        "search_fields": tuple(search_fields),
        "list_filter": tuple(list_filter),
        "exclude": tuple(exclude),
        "show_full_result_count": False,
    }
    admin.site.register(model, type(f"{model.__name__}Admin", (admin.ModelAdmin,), attrs))


class _EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class _EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = _EmailUserChangeForm
    add_form = _EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name")
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name",)}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups",)


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "currency", "time_zone", "created_at")
    search_fields = ("name", "slug")
    inlines = (MemberInline,)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("user", "workspace", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "workspace")
    search_fields = ("user__email", "workspace__name")
    raw_id_fields = ("user", "workspace")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "workspace", "role", "created_at", "expires_at", "accepted_at")
    list_select_related = ("workspace",)
    search_fields = ("email",)
    raw_id_fields = ("workspace", "invited_by")
    # the link's token exists only in the email; its hash is useless to edit
    readonly_fields = ("token_hash", "created_at", "accepted_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an invitation without its emailed token could never be accepted


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "member", "workspace", "created_at", "last_used_at")
    list_select_related = ("member__user", "member__workspace", "workspace")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "member__user__email")
    readonly_fields = ("prefix", "token_hash", "created_at", "last_used_at")
    raw_id_fields = ("workspace", "member")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are made on the settings page, where the plain text is shown once


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "workspace", "actor", "action", "target_type", "target_repr")
    list_select_related = ("workspace", "actor__user", "actor__workspace")
    list_filter = ("action",)
    search_fields = ("action", "target_repr", "target_id")
    show_full_result_count = False

    # the audit log is evidence: nobody edits or deletes it, not even in the admin
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


register_simple(
    ExchangeRate, ["currency", "rate", "valid_from", "workspace"], list_filter=["currency"]
)
