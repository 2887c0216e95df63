"""TikTok API v2 (Display API) with the creator's user access token.

- ``GET /v2/user/info/?fields=...``: profile and counts of the token's owner
  (developers.tiktok.com/doc/tiktok-api-v2-get-user-info). The API has no lookup by handle:
  the handle we sync must be the token owner's, else we refuse rather than store another
  person's numbers under this account.
- ``POST /v2/video/list/?fields=...`` with ``{"max_count": 20, "cursor": ...}``: videos newest
  first with like / comment / share / view counts; page while ``data.has_more``, sending back
  ``data.cursor`` (developers.tiktok.com/doc/tiktok-api-v2-video-list).
- Every answer carries ``error: {code, message, log_id}``; ``code == "ok"`` is success.
  ``rate_limit_exceeded`` (HTTP 429; 600 requests per minute per endpoint) and
  ``internal_error`` retry with backoff; ``access_token_invalid`` is ``TokenExpiredError``
  (developers.tiktok.com/doc/tiktok-api-v2-error-handling).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx

from infludesk.connectors.social import (
    OK,
    AccountData,
    PostData,
    SocialConnector,
    SocialConnectorError,
    TokenExpiredError,
    Verdict,
    as_int,
    register_social,
)

USER_FIELDS = (
    "open_id,union_id,avatar_url,display_name,bio_description,profile_deep_link,is_verified,"
    "username,follower_count,following_count,likes_count,video_count"
)
VIDEO_FIELDS = (
    "id,create_time,title,video_description,share_url,like_count,comment_count,share_count,"
    "view_count"
)
PAGE_MAX = 20  # max_count accepts 1-20
TOKEN_CODES = frozenset({"access_token_invalid", "scope_not_authorized"})
RETRY_CODES = frozenset({"rate_limit_exceeded", "internal_error"})


@register_social
class TikTokConnector(SocialConnector):
    platform = "tiktok"
    default_base_url = "https://open.tiktokapis.com"

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def classify(self, response: httpx.Response, body: Any) -> Verdict:
        error = body.get("error") if isinstance(body, dict) else None
        code = error.get("code", "") if isinstance(error, dict) else ""
        if response.status_code < 400 and code in ("", "ok"):
            return OK
        message = error.get("message", "") if isinstance(error, dict) else response.text[:300]
        log_id = error.get("log_id", "") if isinstance(error, dict) else ""
        reason = f"HTTP {response.status_code} {code or '?'}: {message} (log_id {log_id})"
        if code in TOKEN_CODES or response.status_code == 401:
            return Verdict("fatal", f"access token invalid or expired ({reason})", None,
                           TokenExpiredError)  # fmt: skip
        if code in RETRY_CODES or response.status_code == 429 or response.status_code >= 500:
            return Verdict("retry", reason)
        return Verdict("fatal", reason)

    def fetch_account(self, handle: str) -> AccountData:
        body = self.call("GET", f"{self.base_url}/v2/user/info/", params={"fields": USER_FIELDS})
        user = (body.get("data") or {}).get("user") or {}
        username = user.get("username") or ""
        wanted = handle.lstrip("@")
        if username and username.lower() != wanted.lower():
            raise SocialConnectorError(
                f"tiktok: the token belongs to @{username}, not @{wanted}; "
                "paste the token of this creator's own account"
            )
        return AccountData(
            platform=self.platform,
            handle=username or wanted,
            external_id=user.get("open_id") or "",
            display_name=user.get("display_name") or "",
            bio=user.get("bio_description") or "",
            followers=as_int(user.get("follower_count")),
            following=as_int(user.get("following_count")),
            posts_count=as_int(user.get("video_count")),
            verified=bool(user.get("is_verified")),
            profile_picture_url=user.get("avatar_url") or "",
            url=user.get("profile_deep_link") or f"https://www.tiktok.com/@{username or wanted}",
            extra={"likes_count": as_int(user.get("likes_count"))},
        )

    def fetch_posts(
        self, account: AccountData, since: dt.datetime | None = None
    ) -> Iterator[PostData]:
        cursor: int | None = None
        seen = 0
        while True:
            payload: dict[str, Any] = {"max_count": PAGE_MAX}
            if cursor is not None:
                payload["cursor"] = cursor
            body = self.call(
                "POST",
                f"{self.base_url}/v2/video/list/",
                params={"fields": VIDEO_FIELDS},
                json=payload,
            )
            data = body.get("data") or {}
            for video in data.get("videos", []):
                posted = dt.datetime.fromtimestamp(as_int(video.get("create_time")), tz=dt.UTC)
                if since is not None and posted < since:
                    return
                yield PostData(
                    platform_post_id=str(video["id"]),
                    posted_at=posted,
                    caption=video.get("video_description") or video.get("title") or "",
                    media_type="video",
                    url=video.get("share_url") or "",
                    likes=as_int(video.get("like_count")),
                    comments=as_int(video.get("comment_count")),
                    shares=as_int(video.get("share_count")),
                    views=as_int(video.get("view_count")),
                )
                seen += 1
                if seen >= self.max_posts:
                    return
            if not data.get("has_more") or not data.get("videos"):
                return
            cursor = as_int(data.get("cursor"))
