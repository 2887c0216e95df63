"""Who may do what: views and API handlers use these checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from infludesk.core.models import Member

View = TypeVar("View", bound=Callable[..., HttpResponse])


def member_required(*, write: bool = False, owner: bool = False) -> Callable[[View], View]:
    """Require a signed-in member of the current workspace; write needs owner or manager,
    owner needs the owner role."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member: Member | None = getattr(request, "member", None)
            if member is None:
                return render(request, "core/no_workspace.html", status=403)
            if write and not member.can_write:
                raise PermissionDenied("Your role in this workspace is read-only.")
            if owner and not member.can_manage_members:
                raise PermissionDenied("Only the workspace owner can do this.")
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
