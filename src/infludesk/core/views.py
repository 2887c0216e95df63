"""Core pages: the dashboard, the workspace switcher and the Plotly script."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from infludesk.core.middleware import SESSION_KEY
from infludesk.core.models import Member
from infludesk.core.permissions import member_required


@member_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    from django.shortcuts import render

    return render(request, "core/dashboard.html", {})


@require_POST
@login_required
def switch_workspace(request: HttpRequest) -> HttpResponse:
    """Make another of the user's workspaces the current one (kept in the session).

    Only workspaces the user is a member of can be chosen; anything else is refused with 404
    so the existence of other workspaces is not revealed.
    """
    raw = request.POST.get("workspace_id", "")
    membership = (
        Member.objects.select_related("workspace")
        .filter(user_id=request.user.pk, workspace_id=int(raw) if raw.isdigit() else -1)
        .first()
    )
    if membership is None:
        return HttpResponse("No such workspace.", status=404, content_type="text/plain")
    request.session[SESSION_KEY] = membership.workspace_id
    messages.success(request, f"Switched to {membership.workspace.name}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return HttpResponseRedirect(target)
