"""Instagram API with Instagram Login: a creator connects their own professional account.

OAuth (Business Login for Instagram, developers.facebook.com/docs/instagram-platform/
instagram-api-with-instagram-login/business-login):

1. The creator is sent to ``https://www.instagram.com/oauth/authorize?client_id=&redirect_uri=
   &response_type=code&scope=&state=``; Instagram sends them back with ``?code=...#_`` (valid one
   hour, once) and our ``state``, or with ``?error=access_denied&error_reason=user_denied
   &error_description=The+user+denied+your+request``.
2. ``POST https://api.instagram.com/oauth/access_token`` (form: client_id, client_secret,
   grant_type=authorization_code, redirect_uri, code) answers the short-lived token
   ``{"data": [{"access_token", "user_id", "permissions"}]}`` (also seen flat, without
   ``data``); a rejected code answers ``{"error_type": "OAuthException", "code": 400,
   "error_message": "Matching code was not found or was already used"}``.
3. ``GET https://graph.instagram.com/access_token?grant_type=ig_exchange_token&client_secret=
   &access_token=`` answers the long-lived token ``{"access_token", "token_type": "bearer",
   "expires_in": 5183944}`` (60 days).
4. ``GET https://graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token
   &access_token=`` (token at least 24 h old, not expired) answers the same shape.
   Graph errors look like ``{"error": {"message", "type": "OAuthException", "code": 190}}``.

The app secret travels only in the POST form and the exchange's query string; it is never put
in an error message (httpx's own request log is kept at WARNING in settings for this reason).

Data through ``graph.instagram.com`` with the creator's token (no business discovery here):
``GET /v25.0/me?fields=user_id,username,...``, ``GET /v25.0/me/media`` following
``paging.next``, comments ``GET /v25.0/{media-id}/comments`` and insights ``GET
/v25.0/{ig-user-id}/insights?metric=reach,views&period=day&metric_type=total_value``
(``impressions`` was deprecated in v22.0 for ``views``) plus ``follower_demographics`` by age,
gender, country and city (developers.facebook.com/docs/instagram-platform/api-reference/
instagram-user/insights).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from infludesk.connectors.base import DEFAULT_TIMEOUT
from infludesk.connectors.instagram import MEDIA_FIELDS, InstagramConnector
from infludesk.connectors.social import (
    AccountData,
    PostData,
    SocialConnectorError,
    TokenExpiredError,
    as_int,
)

DEFAULT_AUTHORIZE_URL = "https://www.instagram.com/oauth/authorize"
DEFAULT_OAUTH_URL = "https://api.instagram.com"
DEFAULT_GRAPH_URL = "https://graph.instagram.com"
DEFAULT_SCOPES = (
    "instagram_business_basic",
    "instagram_business_manage_comments",
    "instagram_business_manage_insights",
)
ME_FIELDS = (
    "user_id,username,name,account_type,profile_picture_url,followers_count,follows_count,"
    "media_count"
)
DAILY_METRICS = "reach,views"
TOKEN_CODES = frozenset({190, 102})


class OAuthError(SocialConnectorError):
    """Instagram refused a token exchange or refresh (the message is the platform's)."""


@dataclass(frozen=True)
class ShortLivedToken:
    access_token: str
    user_id: str
    permissions: tuple[str, ...]


@dataclass(frozen=True)
class LongLivedToken:
    access_token: str
    token_type: str
    expires_in: int

    def expires_at(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(seconds=self.expires_in)


def _error_text(body: Any, status: int) -> tuple[str, int]:
    """The platform's message and code from either error shape."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("message") or "unknown error"), as_int(error.get("code"))
        if "error_message" in body:
            return str(body["error_message"]), as_int(body.get("code"))
    return f"HTTP {status} without an error message", 0


class InstagramOAuth:
    """The three token calls of Business Login for Instagram (no retries: a code is single-use
    and a refused exchange must be shown to the person, not repeated)."""

    def __init__(
        self,
        *,
        app_id: str,
        app_secret: str,
        authorize_url: str = DEFAULT_AUTHORIZE_URL,
        oauth_url: str = DEFAULT_OAUTH_URL,
        graph_url: str = DEFAULT_GRAPH_URL,
        scopes: tuple[str, ...] = DEFAULT_SCOPES,
        client: httpx.Client | None = None,
    ) -> None:
        self.app_id = app_id
        self._secret = app_secret
        self.authorize_base = authorize_url
        self.oauth_url = oauth_url.rstrip("/")
        self.graph_url = graph_url.rstrip("/")
        self.scopes = scopes
        self.client = client or httpx.Client(timeout=DEFAULT_TIMEOUT)

    def __repr__(self) -> str:  # never show the secret, even in a traceback's locals
        return f"InstagramOAuth(app_id={self.app_id!r})"

    def _require_app(self) -> None:
        if not self.app_id or not self._secret:
            raise OAuthError(
                "instagram: INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET must be set to connect "
                "accounts with Instagram Login"
            )

    def authorize_url(self, *, redirect_uri: str, state: str) -> str:
        self._require_app()
        query = urlencode(
            {
                "client_id": self.app_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": ",".join(self.scopes),
                "state": state,
            }
        )
        return f"{self.authorize_base}?{query}"

    def _send(self, what: str, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.client.request(
                method, url, headers={"Accept": "application/json"}, **kwargs
            )
        except httpx.TransportError as exc:
            raise OAuthError(
                f"instagram {what}: Instagram could not be reached ({type(exc).__name__})"
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400 or not isinstance(body, dict) or "error" in body:
            message, code = _error_text(body, response.status_code)
            error = TokenExpiredError if code in TOKEN_CODES else OAuthError
            raise error(f"instagram {what} refused (HTTP {response.status_code}): {message}")
        return body

    def exchange_code(self, *, code: str, redirect_uri: str) -> ShortLivedToken:
        """Authorization code -> short-lived token, the Instagram-scoped user id, permissions."""
        self._require_app()
        body = self._send(
            "code exchange",
            "POST",
            f"{self.oauth_url}/oauth/access_token",
            data={
                "client_id": self.app_id,
                "client_secret": self._secret,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
                "code": code.removesuffix("#_"),
            },
        )
        rows = body.get("data")
        row = rows[0] if isinstance(rows, list) and rows else body
        token = str(row.get("access_token") or "")
        if not token:
            raise OAuthError("instagram code exchange: the answer had no access_token")
        permissions = row.get("permissions") or ""
        if isinstance(permissions, str):
            permissions = [p for p in permissions.split(",") if p]
        return ShortLivedToken(token, str(row.get("user_id") or ""), tuple(permissions))

    def _long_lived(self, what: str, body: dict[str, Any]) -> LongLivedToken:
        token = str(body.get("access_token") or "")
        if not token:
            raise OAuthError(f"instagram {what}: the answer had no access_token")
        return LongLivedToken(
            token, str(body.get("token_type") or ""), as_int(body.get("expires_in"))
        )

    def long_lived(self, *, short_token: str) -> LongLivedToken:
        """Short-lived (1 h) -> long-lived (60 days) token."""
        self._require_app()
        body = self._send(
            "long-lived token exchange",
            "GET",
            f"{self.graph_url}/access_token",
            params={
                "grant_type": "ig_exchange_token",
                "client_secret": self._secret,
                "access_token": short_token,
            },
        )
        return self._long_lived("long-lived token exchange", body)

    def refresh(self, *, token: str) -> LongLivedToken:
        """A long-lived token (over 24 h old, not expired) -> a new one valid 60 days."""
        body = self._send(
            "token refresh",
            "GET",
            f"{self.graph_url}/refresh_access_token",
            params={"grant_type": "ig_refresh_token", "access_token": token},
        )
        return self._long_lived("token refresh", body)


class InstagramLoginConnector(InstagramConnector):
    """The creator's own account through graph.instagram.com with their Instagram Login token.

    Not in the platform registry (that one is the business-discovery connector); the creators
    sync picks it for a credential whose API URL is the Instagram Login host.
    """

    default_base_url = DEFAULT_GRAPH_URL

    @property
    def ig_user_id(self) -> str:
        return str(self.options.get("ig_user_id") or "me")

    def fetch_account(self, handle: str) -> AccountData:
        me = self.get("me", {"fields": ME_FIELDS})
        username = str(me.get("username") or "")
        wanted = handle.lstrip("@")
        if username and username.lower() != wanted.lower():
            raise SocialConnectorError(
                f"instagram: the connected token belongs to @{username}, not @{wanted}; "
                "send this creator a new connect link"
            )
        username = username or wanted
        return AccountData(
            platform=self.platform,
            handle=username,
            external_id=str(me.get("user_id") or me.get("id") or ""),
            display_name=me.get("name") or "",
            followers=as_int(me.get("followers_count")),
            following=as_int(me.get("follows_count")),
            posts_count=as_int(me.get("media_count")),
            profile_picture_url=me.get("profile_picture_url") or "",
            url=f"https://www.instagram.com/{username}/",
            extra={"account_type": me.get("account_type") or ""},
        )

    def fetch_posts(
        self, account: AccountData, since: dt.datetime | None = None
    ) -> Iterator[PostData]:
        """The account's media newest first, following ``paging.next``."""
        url: str | None = self.url("me/media")
        params: dict[str, Any] | None = {"fields": MEDIA_FIELDS, "limit": 25}
        seen = 0
        while url:
            body = self.get(url, params)
            items = body.get("data") or []
            for item in items:
                post = self._post(item)
                if since is not None and post.posted_at < since:
                    return
                yield post
                seen += 1
                if seen >= self.max_posts:
                    return
            url = (body.get("paging") or {}).get("next") if items else None
            params = None  # the next URL carries every parameter

    def fetch_insights(self, account: AccountData) -> dict[str, Any]:
        """Reach and views of the last day (total_value) and follower demographics.

        Returns {"reach": int, "views": int, "demographics": {"age": {...}, "gender": {...},
        "country": {...}, "city": {...}}}; metrics the platform has no data for are left out.
        """
        out: dict[str, Any] = {}
        body = self.get(
            f"{self.ig_user_id}/insights",
            {"metric": DAILY_METRICS, "period": "day", "metric_type": "total_value"},
        )
        for metric in body.get("data", []):
            total = metric.get("total_value") or {}
            if "value" in total:
                out[metric["name"]] = as_int(total["value"])
        out["demographics"] = self.fetch_demographics()
        return out
