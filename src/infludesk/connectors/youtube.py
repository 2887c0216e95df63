"""YouTube Data API v3 with an API key (public channel data).

- ``channels.list?part=statistics,snippet,contentDetails&forHandle=@x`` (or ``id=UC...``):
  subscribers, videos, the uploads playlist id (``contentDetails.relatedPlaylists.uploads``).
- ``playlistItems.list?part=contentDetails&playlistId=<uploads>`` paged by ``pageToken``
  (newest first), then ``videos.list?part=statistics,snippet&id=...`` in batches of 50.
- Counts are JSON strings in this API; they are read as exact ints.
- Errors (developers.google.com/youtube/v3/docs/errors): 403 ``quotaExceeded`` is the daily
  quota, which resets at midnight Pacific time, so it fails at once (``QuotaExceededError``);
  403 ``rateLimitExceeded`` / ``userRateLimitExceeded``, 429 and 5xx back off and retry;
  400 ``keyInvalid`` / 401 is a bad key (``TokenExpiredError``).
- Comments: ``commentThreads.list?part=snippet&videoId=...&maxResults=100&textFormat=plainText``
  paged by ``pageToken``; each thread's ``snippet.topLevelComment`` is a comment resource
  (``snippet.textOriginal`` / ``textDisplay``, ``authorDisplayName``, ``likeCount``,
  ``publishedAt``). A video with comments turned off answers 403 ``commentsDisabled``: that is
  "no comments", not a failure (developers.google.com/youtube/v3/docs/commentThreads/list).
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
    QuotaExceededError,
    SocialConnector,
    SocialConnectorError,
    TokenExpiredError,
    Verdict,
    as_int,
    parse_time,
    register_social,
)

BATCH = 50  # videos.list accepts at most 50 ids; playlistItems.list maxResults is 0-50
RETRY_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "backendError"})
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
KEY_REASONS = frozenset({"keyInvalid", "keyExpired", "authError"})
NO_COMMENT_REASONS = frozenset({"commentsDisabled"})
COMMENT_PAGE = 100  # commentThreads.list maxResults is 1-100


class CommentsDisabledError(SocialConnectorError):
    """The video's owner turned comments off (403 commentsDisabled)."""


def _reasons(body: Any) -> set[str]:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return set()
    return {e.get("reason", "") for e in error.get("errors", []) if isinstance(e, dict)}


@register_social
class YouTubeConnector(SocialConnector):
    platform = "youtube"
    default_base_url = "https://www.googleapis.com/youtube/v3"
    comments_need_own_token = False

    def get(self, resource: str, params: dict[str, Any]) -> Any:
        return self.call("GET", f"{self.base_url}/{resource}", params={**params, "key": self.token})

    def classify(self, response: httpx.Response, body: Any) -> Verdict:
        if response.status_code < 400:
            return OK
        reasons = _reasons(body)
        error = body.get("error") if isinstance(body, dict) else None
        message = error.get("message", "") if isinstance(error, dict) else response.text[:300]
        reason = f"HTTP {response.status_code} {','.join(sorted(reasons))}: {message}"
        if reasons & QUOTA_REASONS:
            return Verdict(
                "fatal",
                f"daily quota exceeded; it resets at midnight Pacific time ({reason})",
                None,
                QuotaExceededError,
            )
        if reasons & NO_COMMENT_REASONS:
            return Verdict("fatal", f"comments are turned off ({reason})", None,
                           CommentsDisabledError)  # fmt: skip
        if reasons & KEY_REASONS or response.status_code == 401:
            return Verdict("fatal", f"API key invalid or expired ({reason})", None,
                           TokenExpiredError)  # fmt: skip
        if response.status_code in (429, 500, 503) or reasons & RETRY_REASONS:
            return Verdict("retry", reason)
        return Verdict("fatal", reason)

    def fetch_account(self, handle: str) -> AccountData:
        handle = handle.strip()
        if handle.startswith("UC") and len(handle) == 24:
            selector = {"id": handle}
        else:
            selector = {"forHandle": "@" + handle.lstrip("@")}
        body = self.get("channels", {"part": "statistics,snippet,contentDetails", **selector})
        items = body.get("items") or []
        if not items:
            raise SocialConnectorError(f"youtube: no channel for {handle!r}")
        channel = items[0]
        snippet = channel.get("snippet") or {}
        stats = channel.get("statistics") or {}
        uploads = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get(
            "uploads", ""
        )
        custom = (snippet.get("customUrl") or "").lstrip("@")
        return AccountData(
            platform=self.platform,
            handle=custom or handle.lstrip("@"),
            external_id=channel["id"],
            display_name=snippet.get("title") or "",
            bio=snippet.get("description") or "",
            # hidden subscriber counts are reported as 0 by the API
            followers=as_int(stats.get("subscriberCount")),
            posts_count=as_int(stats.get("videoCount")),
            profile_picture_url=((snippet.get("thumbnails") or {}).get("default") or {}).get(
                "url", ""
            ),
            url=f"https://www.youtube.com/channel/{channel['id']}",
            extra={
                "uploads_playlist": uploads,
                "view_count": as_int(stats.get("viewCount")),
                "hidden_subscribers": bool(stats.get("hiddenSubscriberCount")),
                "country": snippet.get("country") or "",
            },
        )

    def _upload_ids(self, playlist: str, since: dt.datetime | None) -> list[str]:
        ids: list[str] = []
        token: str | None = None
        while len(ids) < self.max_posts:
            params = {"part": "contentDetails", "playlistId": playlist, "maxResults": BATCH}
            if token:
                params["pageToken"] = token
            body = self.get("playlistItems", params)
            for item in body.get("items", []):
                details = item.get("contentDetails") or {}
                published = details.get("videoPublishedAt")
                if since is not None and published and parse_time(published) < since:
                    return ids
                ids.append(details["videoId"])
                if len(ids) >= self.max_posts:
                    return ids
            token = body.get("nextPageToken")
            if not token:
                break
        return ids

    def fetch_posts(
        self, account: AccountData, since: dt.datetime | None = None
    ) -> Iterator[PostData]:
        playlist = account.extra.get("uploads_playlist") or ""
        if not playlist:
            raise SocialConnectorError(f"youtube: channel {account.external_id} has no uploads")
        ids = self._upload_ids(playlist, since)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            body = self.get("videos", {"part": "statistics,snippet", "id": ",".join(chunk)})
            for video in body.get("items", []):
                snippet = video.get("snippet") or {}
                stats = video.get("statistics") or {}
                yield PostData(
                    platform_post_id=video["id"],
                    posted_at=parse_time(snippet["publishedAt"]),
                    caption=snippet.get("title", "")
                    + ("\n\n" + snippet["description"] if snippet.get("description") else ""),
                    media_type="video",
                    url=f"https://www.youtube.com/watch?v={video['id']}",
                    likes=as_int(stats.get("likeCount")),
                    comments=as_int(stats.get("commentCount")),
                    views=as_int(stats.get("viewCount")),
                )

    def fetch_comments(self, post: PostData) -> Iterator[CommentData]:
        """Top-level comments of a video, newest first as the API orders them, across pages;
        none when the video's comments are turned off."""
        token: str | None = None
        while True:
            params: dict[str, Any] = {
                "part": "snippet",
                "videoId": post.platform_post_id,
                "maxResults": COMMENT_PAGE,
                "textFormat": "plainText",
            }
            if token:
                params["pageToken"] = token
            try:
                body = self.get("commentThreads", params)
            except CommentsDisabledError:
                return
            for thread in body.get("items", []):
                top = (thread.get("snippet") or {}).get("topLevelComment") or {}
                snippet = top.get("snippet") or {}
                published = snippet.get("publishedAt")
                yield CommentData(
                    external_id=str(top.get("id") or thread["id"]),
                    text=snippet.get("textOriginal") or snippet.get("textDisplay") or "",
                    author_handle=(snippet.get("authorDisplayName") or "").lstrip("@"),
                    posted_at=parse_time(published) if published else None,
                    likes=as_int(snippet.get("likeCount")),
                )
            token = body.get("nextPageToken")
            if not token or not body.get("items"):
                return
