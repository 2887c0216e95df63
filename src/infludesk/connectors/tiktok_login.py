"""TikTok Login Kit (web, OAuth v2): a creator connects their own TikTok account.

developers.tiktok.com/doc/login-kit-web and .../oauth-user-access-token-management:

1. The creator is sent to ``https://www.tiktok.com/v2/auth/authorize/?client_key=&scope=
   &response_type=code&redirect_uri=&state=``; TikTok sends them back with ``?code=&scopes=
   &state=`` or ``?error=access_denied&error_description=...``.
2. ``POST https://open.tiktokapis.com/v2/oauth/token/`` (form: client_key, client_secret, code,
   grant_type=authorization_code, redirect_uri) answers ``{"access_token", "expires_in",
   "open_id", "refresh_expires_in", "refresh_token", "scope", "token_type": "Bearer"}``.
3. The same endpoint with ``grant_type=refresh_token`` and ``refresh_token`` answers the same
   shape; the refresh token may be rotated, so the answer's one is kept.
4. Refusals answer ``{"error": "invalid_grant", "error_description", "log_id"}``.

The client secret travels only in the POST form and is never put in a message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from infludesk.connectors.base import DEFAULT_TIMEOUT
from infludesk.connectors.social import SocialConnectorError, TokenExpiredError, as_int

DEFAULT_AUTHORIZE_URL = "https://www.tiktok.com/v2/auth/authorize/"
DEFAULT_OAUTH_URL = "https://open.tiktokapis.com"
DEFAULT_SCOPES = ("user.info.basic", "user.info.stats", "video.list")


class TikTokOAuthError(SocialConnectorError):
    """TikTok could not be reached or answered something unusable (worth trying again)."""


class TikTokOAuthRefused(TokenExpiredError):
    """TikTok refused the code or refresh token (its message is kept)."""


@dataclass(frozen=True)
class TikTokToken:
    access_token: str
    expires_in: int
    open_id: str
    refresh_token: str
    refresh_expires_in: int
    scope: tuple[str, ...]

    def expires_at(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(seconds=self.expires_in)

    def refresh_expires_at(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(seconds=self.refresh_expires_in)


class TikTokOAuth:
    """The authorize URL and the two token calls of Login Kit (no retries: a code is single-use
    and a refused refresh must be reported, not repeated)."""

    def __init__(
        self,
        *,
        client_key: str,
        client_secret: str,
        authorize_url: str = DEFAULT_AUTHORIZE_URL,
        oauth_url: str = DEFAULT_OAUTH_URL,
        scopes: tuple[str, ...] = DEFAULT_SCOPES,
        client: httpx.Client | None = None,
    ) -> None:
        self.client_key = client_key
        self._secret = client_secret
        self.authorize_base = authorize_url
        self.oauth_url = oauth_url.rstrip("/")
        self.scopes = scopes
        self.client = client or httpx.Client(timeout=DEFAULT_TIMEOUT)

    def __repr__(self) -> str:  # never show the secret, even in a traceback's locals
        return f"TikTokOAuth(client_key={self.client_key!r})"

    def _require_app(self) -> None:
        if not self.client_key or not self._secret:
            raise TikTokOAuthError(
                "tiktok: TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET must be set to connect "
                "accounts with TikTok Login Kit"
            )

    def authorize_url(self, *, redirect_uri: str, state: str) -> str:
        self._require_app()
        query = urlencode(
            {
                "client_key": self.client_key,
                "scope": ",".join(self.scopes),
                "response_type": "code",
                "redirect_uri": redirect_uri,
                "state": state,
            }
        )
        return f"{self.authorize_base}?{query}"

    def _token(self, what: str, form: dict[str, str]) -> TikTokToken:
        self._require_app()
        data = {"client_key": self.client_key, "client_secret": self._secret, **form}
        try:
            response = self.client.post(
                f"{self.oauth_url}/v2/oauth/token/",
                data=data,
                headers={"Accept": "application/json", "Cache-Control": "no-cache"},
            )
        except httpx.TransportError as exc:
            raise TikTokOAuthError(
                f"tiktok {what}: TikTok could not be reached ({type(exc).__name__})"
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("error"):
            message = str(body.get("error_description") or body["error"])
            log_id = body.get("log_id") or ""
            suffix = f" [{body['error']}, log_id {log_id}]" if log_id else f" [{body['error']}]"
            raise TikTokOAuthRefused(
                f"tiktok {what} refused (HTTP {response.status_code}): {message}{suffix}"
            )
        if response.status_code >= 400 or not isinstance(body, dict):
            raise TikTokOAuthError(f"tiktok {what}: HTTP {response.status_code} without a token")
        token = str(body.get("access_token") or "")
        if not token:
            raise TikTokOAuthError(f"tiktok {what}: the answer had no access_token")
        scope = str(body.get("scope") or "")
        return TikTokToken(
            access_token=token,
            expires_in=as_int(body.get("expires_in")),
            open_id=str(body.get("open_id") or ""),
            refresh_token=str(body.get("refresh_token") or form.get("refresh_token", "")),
            refresh_expires_in=as_int(body.get("refresh_expires_in")),
            scope=tuple(s for s in scope.split(",") if s),
        )

    def exchange_code(self, *, code: str, redirect_uri: str) -> TikTokToken:
        """Authorization code -> access token (with its refresh token and the user's open_id)."""
        return self._token(
            "code exchange",
            {"code": code, "grant_type": "authorization_code", "redirect_uri": redirect_uri},
        )

    def refresh(self, *, refresh_token: str) -> TikTokToken:
        """Refresh token -> a new access token (and possibly a new refresh token)."""
        return self._token(
            "token refresh", {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )
