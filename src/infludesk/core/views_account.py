"""Account pages: sign in and out, password reset, workspace settings (workspace, members,
invitations, API tokens), accepting an invitation, creating a workspace, the audit log.

Views parse input, call one service or selector and render; rules live in services.py.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from infludesk.core import selectors, services
from infludesk.core.emails import invitation_url, send_invitation_email
from infludesk.core.forms import (
    ApiTokenForm,
    EmailLoginForm,
    InvitationForm,
    InvitationSignupForm,
    MemberRoleForm,
    WorkspaceForm,
)
from infludesk.core.middleware import SESSION_KEY
from infludesk.core.models import Invitation, Member, Role, User
from infludesk.core.permissions import member_required
from infludesk.core.tokens import api_token_create, api_token_revoke

log = logging.getLogger(__name__)
AUDIT_PAGE_SIZE = 50
SETTINGS = "account:settings"


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as in Django 5)."""


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("account:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # links point at the public SITE_URL, like invitation links, not at the Host header
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("account:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("account:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


# --- settings page -------------------------------------------------------------------------


def _member(request: HttpRequest) -> Member:
    return request.member  # type: ignore[attr-defined]


def _settings_page(
    request: HttpRequest,
    *,
    status: int = 200,
    new_token: str = "",
    invitation_unsent: dict[str, str] | None = None,
    **forms: Any,
) -> HttpResponse:
    """The settings page; a failed POST passes its bound form here to show the field errors."""
    member = _member(request)
    workspace = member.workspace
    is_owner = member.can_manage_members
    context = {
        "is_owner": is_owner,
        "workspace_form": forms.get("workspace_form")
        or WorkspaceForm(
            initial={
                "name": workspace.name,
                "currency": workspace.currency,
                "time_zone": workspace.time_zone,
            }
        ),
        "members": selectors.member_list(workspace=workspace),
        "roles": Role.choices,
        "invitation_form": forms.get("invitation_form") or InvitationForm(),
        "invitations": selectors.invitation_list_pending(workspace=workspace) if is_owner else [],
        "token_form": forms.get("token_form") or ApiTokenForm(),
        "tokens": selectors.api_token_list(workspace=workspace, member=member),
        "new_token": new_token,
        "invitation_unsent": invitation_unsent,
    }
    return render(request, "core/account/settings.html", context, status=status)


@member_required()
def settings_view(request: HttpRequest) -> HttpResponse:
    return _settings_page(request)


@require_POST
@member_required(owner=True)
def workspace_update(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    form = WorkspaceForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, status=400, workspace_form=form)
    services.workspace_update(workspace=member.workspace, by=member, **form.cleaned_data)
    messages.success(request, "Workspace settings saved.")
    return redirect(SETTINGS)


def _member_or_404(request: HttpRequest, member_id: int) -> Member:
    target = selectors.member_get(workspace=_member(request).workspace, member_id=member_id)
    if target is None:
        raise Http404("No such member in this workspace.")
    return target


@require_POST
@member_required(owner=True)
def member_role(request: HttpRequest, member_id: int) -> HttpResponse:
    target = _member_or_404(request, member_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role: owner, manager or viewer.")
        return redirect(SETTINGS)
    try:
        services.member_change_role(
            member=target, role=form.cleaned_data["role"], by=_member(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{target.user.email} is now {target.get_role_display()}.")
    return redirect(SETTINGS)


@require_POST
@member_required(owner=True)
def member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    target = _member_or_404(request, member_id)
    try:
        services.member_remove(member=target, by=_member(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(SETTINGS)
    messages.success(request, f"{target.user.email} was removed from the workspace.")
    if target.pk == _member(request).pk:
        request.session.pop(SESSION_KEY, None)
        return redirect("core:dashboard")
    return redirect(SETTINGS)


@require_POST
@member_required(owner=True)
def invitation_create(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation, raw = services.invitation_create(
                workspace=member.workspace, by=member, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _invitation_mail(request, invitation=invitation, raw_token=raw)
    return _settings_page(request, status=400, invitation_form=form)


def _invitation_mail(
    request: HttpRequest, *, invitation: Invitation, raw_token: str
) -> HttpResponse:
    """Mail a saved invitation; when mail cannot go out, show the owner the link to pass on."""
    try:
        send_invitation_email(invitation_id=invitation.pk, raw_token=raw_token)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("invitation %s could not be mailed: %s", invitation.pk, error)
        # shown in this response only (never stored), like a new API token
        return _settings_page(
            request,
            invitation_unsent={
                "email": invitation.email,
                "error": str(error) or error.__class__.__name__,
                "url": invitation_url(raw_token),
            },
        )
    messages.success(request, f"Invitation sent to {invitation.email}.")
    return redirect(SETTINGS)


@require_POST
@member_required(owner=True)
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    member = _member(request)
    invitation = selectors.invitation_get(workspace=member.workspace, invitation_id=invitation_id)
    if invitation is None:
        raise Http404("No such invitation in this workspace.")
    services.invitation_revoke(invitation=invitation, by=member)
    messages.success(request, f"The invitation of {invitation.email} was withdrawn.")
    return redirect(SETTINGS)


@require_POST
@member_required()
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, status=400, token_form=form)
    _token, raw = api_token_create(member=_member(request), name=form.cleaned_data["name"])
    # rendered straight away rather than redirected: the plain text must never be stored,
    # not even in the session, so this response is the only place it appears
    return _settings_page(request, new_token=raw)


@require_POST
@member_required()
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    member = _member(request)
    token = selectors.api_token_get(workspace=member.workspace, token_id=token_id)
    if token is None:
        raise Http404("No such API token in this workspace.")
    api_token_revoke(token=token, by=member)
    messages.success(request, f"API token {token.name!r} was revoked.")
    return redirect(SETTINGS)


# --- workspaces, invitations, audit log ----------------------------------------------------


@login_required
def workspace_create(request: HttpRequest) -> HttpResponse:
    """Create another workspace; the signed-in user becomes its owner and it becomes current."""
    form = WorkspaceForm(request.POST or None, initial={"currency": "USD", "time_zone": "UTC"})
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        workspace = services.workspace_create(owner_user=user, **form.cleaned_data)
        request.session[SESSION_KEY] = workspace.pk
        messages.success(request, f"Workspace {workspace.name} created. You are its owner.")
        return redirect(SETTINGS)
    status = 400 if request.method == "POST" else 200
    return render(request, "core/account/workspace_new.html", {"form": form}, status=status)


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    status = 404 if reason == "unknown" else 410
    return render(
        request, "core/account/invitation_unusable.html", {"reason": reason}, status=status
    )


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email: join when signed in, else create an account."""
    try:
        invitation = services.invitation_lookup(token)
    except services.InvitationUnusable as unusable:
        return _unusable(request, unusable.reason)
    signed_in = request.user.is_authenticated
    has_account = not signed_in and selectors.account_exists(email=invitation.email)
    form = None
    if not signed_in and not has_account:
        form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        try:
            if signed_in:
                member = services.invitation_accept(raw_token=token, user=request.user)  # type: ignore[arg-type]
            elif form is not None and form.is_valid():
                member = services.invitation_accept_new_user(
                    raw_token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                member = None
        except services.InvitationUnusable as unusable:
            return _unusable(request, unusable.reason)
        except ValidationError as error:
            if form is None:
                raise
            form.add_error(None, error)
            member = None
        if member is not None:
            request.session[SESSION_KEY] = member.workspace_id
            messages.success(request, f"Welcome to {member.workspace.name}.")
            return redirect("core:dashboard")
    context = {
        "invitation": invitation,
        "form": form,
        "has_account": has_account,
        "signed_in": signed_in,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "core/account/invitation_accept.html", context, status=status)


@member_required(write=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The workspace's audit log for owners and managers, newest first, 50 a page."""
    workspace = _member(request).workspace
    actions = selectors.audit_action_names(workspace=workspace)
    action = request.GET.get("action", "")
    if action not in actions:
        action = ""
    entries = selectors.audit_entry_list(workspace=workspace, action=action)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "actions": actions, "action": action}
    return render(request, "core/account/audit.html", context)
