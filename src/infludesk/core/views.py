"""Core pages: the workspace switcher and the Plotly script. (The dashboard reads every app,
so it lives in analytics and the project urls.py mounts it as core:dashboard.)"""

from __future__ import annotations

from importlib import resources

import plotly
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from infludesk.core.middleware import SESSION_KEY
from infludesk.core.models import Member


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
        .filter(user_id=int(request.user.pk or 0), workspace_id=int(raw) if raw.isdigit() else -1)
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


@cache_control(public=True, max_age=7 * 24 * 3600)
def plotly_js(request: HttpRequest) -> FileResponse:
    """plotly.min.js from the installed ``plotly`` Python package, so the repository does not
    carry a copy and the script always matches the pinned package version."""
    path = resources.files("plotly").joinpath("package_data", "plotly.min.js")
    response = FileResponse(path.open("rb"), content_type="text/javascript; charset=utf-8")
    response["ETag"] = f'"plotly-{plotly.__version__}"'
    return response
