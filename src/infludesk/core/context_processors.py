from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from infludesk.core.models import Member


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The current workspace and member, and the user's other workspaces for the switcher."""
    member = getattr(request, "member", None)
    if member is None:
        return {"workspace": None, "member": None, "memberships": []}
    memberships = list(
        Member.objects.select_related("workspace")
        .filter(user_id=member.user_id)
        .order_by("workspace__name")
    )
    return {"workspace": member.workspace, "member": member, "memberships": memberships}
