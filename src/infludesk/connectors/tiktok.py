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
- Comments come from the **Research API** (developers.tiktok.com/doc/
  research-api-specs-query-video-comments): ``POST /v2/research/video/comment/list/?fields=...``
  with ``{"video_id": <int64>, "max_count": 100, "cursor": n}``, paged while ``data.has_more``
  with ``data.cursor``. It takes a *client* access token (``research.data.basic`` scope), got
  with ``POST /v2/oauth/token/`` ``grant_type=client_credentials`` from the research app's
  client key and secret (options ``research_client_key`` / ``research_client_secret``) or
  given directly (``research_token``). Without them a TikTok sync stores no comments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx

from infludesk.connectors.social import (
    OK,
    AccountData,
    CommentData,
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
COMMENT_FIELDS = "id,video_id,text,like_count,reply_count,parent_comment_id,create_time"
COMMENT_PAGE_MAX = 100  # max_count accepts up to 100
TOKEN_CODES = frozenset({"access_token_invalid", "scope_not_authorized"})
RETRY_CODES = frozenset({"rate_limit_exceeded", "internal_error"})


@register_social
class TikTokConnector(SocialConnector):
    platform = "tiktok"
    default_base_url = "https://open.tiktokapis.com"
    comments_need_own_token = False

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def classify(self, response: httpx.Response, body: Any) -> Verdict:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, str):  # the OAuth endpoints: {"error", "error_description"}
            error = {
                "code": error,
                "message": body.get("error_description", ""),
                "log_id": body.get("log_id", ""),
            }
        code = error.get("code", "") if isinstance(error, dict) else ""
        if response.status_code < 400 and code in ("", "ok"):
            return OK
        message = error.get("message", "") if isinstance(error, dict) else response.text[:300]
        log_id = error.get("log_id", "") if isinstance(error, dict) else ""
        reason = f"HTTP {response.status_code} {code or '?'}: {message} (log_id {log_id})"
        if code in TOKEN_CODES or response.status_code == 401:
            return Verdict(
                "fatal", f"access token invalid or expired ({reason})", None, TokenExpiredError
            )
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

    def _research_token(self) -> str:
        """The research client token: given, or fetched once by client credentials."""
        token = str(self.options.get("research_token") or "")
        key = str(self.options.get("research_client_key") or "")
        secret = str(self.options.get("research_client_secret") or "")
        if token or not (key and secret):
            return token
        body = self.call(
            "POST",
            f"{self.base_url}/v2/oauth/token/",
            auth_headers={"Content-Type": "application/x-www-form-urlencoded"},
            data={"client_key": key, "client_secret": secret, "grant_type": "client_credentials"},
        )
        token = str((body or {}).get("access_token") or "")
        if not token:
            raise SocialConnectorError("tiktok: the client-credentials answer had no access_token")
        self.options["research_token"] = token
        return token

    def fetch_comments(self, post: PostData) -> Iterator[CommentData]:
        """Comments of a video through the Research API (none without a research token)."""
        token = self._research_token()
        if not token:
            return
        cursor = 0
        while True:
            body = self.call(
                "POST",
                f"{self.base_url}/v2/research/video/comment/list/",
                auth_headers={"Authorization": f"Bearer {token}"},
                params={"fields": COMMENT_FIELDS},
                json={
                    "video_id": int(post.platform_post_id),
                    "max_count": COMMENT_PAGE_MAX,
                    "cursor": cursor,
                },
            )
            data = body.get("data") or {}
            comments = data.get("comments") or []
            for item in comments:
                created = item.get("create_time")
                yield CommentData(
                    external_id=str(item["id"]),
                    text=item.get("text") or "",
                    posted_at=(
                        dt.datetime.fromtimestamp(as_int(created), tz=dt.UTC) if created else None
                    ),
                    likes=as_int(item.get("like_count")),
                )
            if not data.get("has_more") or not comments:
                return
            cursor = as_int(data.get("cursor"))
