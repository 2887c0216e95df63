"""Attach the signed-in member and their current workspace to each request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from infludesk.core.models import Member

SESSION_KEY = "workspace_id"


class WorkspaceMiddleware:
    """Sets request.member (or None) and request.workspace (or None).

    The current workspace is the one chosen with the switcher (kept in the session) when the
    user is still a member of it, else their oldest membership.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.member = None  # type: ignore[attr-defined]
        request.workspace = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            member = current_member(user_id=user.pk, workspace_id=request.session.get(SESSION_KEY))
            if member is not None:
                request.member = member  # type: ignore[attr-defined]
                request.workspace = member.workspace  # type: ignore[attr-defined]
        return self.get_response(request)


def current_member(*, user_id: int, workspace_id: int | None) -> Member | None:
    memberships = Member.objects.select_related("workspace", "user").filter(user_id=user_id)
    if workspace_id is not None:
        chosen = memberships.filter(workspace_id=workspace_id).first()
        if chosen is not None:
            return chosen
    return memberships.order_by("created_at", "id").first()
