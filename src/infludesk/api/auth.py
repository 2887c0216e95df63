"""Who is calling: a Bearer API token or the signed-in Django session, scoped to one member.

The member (and so the workspace) comes from the credential, never from the request body, so
every handler reads and writes only its caller's workspace. Writes need a role that can write;
a read-only member gets 403 before the body is even parsed. Session callers must send the CSRF
token on unsafe methods, as Django forms do; token callers need not (no ambient credential).
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from infludesk.core.audit import audit_actor_set
from infludesk.core.models import Member
from infludesk.core.tokens import api_token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_MESSAGE = "Your role in this workspace is read-only."


def _checked(member: Member, *, write: bool) -> Member:
    if write and not member.can_write:
        raise AuthorizationError(403, READ_ONLY_MESSAGE)
    return member


class BearerToken(HttpBearer):
    """``Authorization: Bearer ifd_...``: a member's API token (see core/tokens.py)."""

    def __init__(self, *, write: bool = False) -> None:
        self.write = write
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        member = api_token_authenticate(token)
        if member is None:
            return None
        checked = _checked(member, write=self.write)
        audit_actor_set(checked)  # automatic writes of this request name the token's member
        return checked


class SessionMember(APIKeyCookie):
    """The browser session of a signed-in member (the current workspace of the switcher)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, *, write: bool = False) -> None:
        self.write = write
        # CSRF is checked below, and only for session callers: ninja's own check would also
        # refuse token callers that happen to fall through to this scheme.
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Member | None:
        if not request.user.is_authenticated:
            return None
        member: Member | None = getattr(request, "member", None)
        if member is None:
            raise AuthorizationError(403, "You are not a member of any workspace.")
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise AuthorizationError(
                403, "CSRF check failed: send the csrftoken cookie's value in X-CSRFToken."
            )
        return _checked(member, write=self.write)


READ_AUTH: list[Any] = [BearerToken(), SessionMember()]
WRITE_AUTH: list[Any] = [BearerToken(write=True), SessionMember(write=True)]


def member_of(request: HttpRequest) -> Member:
    """The authenticated member of this API request (set by READ_AUTH / WRITE_AUTH)."""
    return cast(Member, request.auth)  # type: ignore[attr-defined]
