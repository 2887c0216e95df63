"""Instagram Graph API (Instagram API with Facebook Login).

- Public business / creator accounts through **business discovery**, queried on the app user's
  own professional account id (``ig_user_id``)::

      GET /{v}/{ig_user_id}?fields=business_discovery.username(<handle>){followers_count,...}

  Recent media come through the same call's ``media`` edge, paged with
  ``media.after(<paging.cursors.after>).limit(N)`` until there is no ``after`` cursor.
  Docs: developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/
  business-discovery
- A creator's **own** connected account (token pasted by a manager; no OAuth dance yet):
  insights ``GET /{v}/{ig_user_id}/insights?metric=reach,impressions&period=day`` and audience
  demographics ``metric=follower_demographics&period=lifetime&metric_type=total_value&
  breakdown=...``; comments of its media ``GET /{v}/{media_id}/comments`` paged by ``paging.next``.
- Errors (developers.facebook.com/docs/graph-api/guides/error-handling): HTTP 429 and the
  throttling codes 4, 17, 32, 613 and 80001-80014 retry, waiting the
  ``estimated_time_to_regain_access`` (minutes) of ``X-Business-Use-Case-Usage`` when given;
  code 190 (or 102) is an expired / invalid token: ``TokenExpiredError``.
"""

from __future__ import annotations

import datetime as dt
import json
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
    parse_time,
    register_social,
)

GRAPH_VERSION = "v25.0"
PAGE_LIMIT = 25
THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
TOKEN_CODES = frozenset({190, 102})
PROFILE_FIELDS = (
    "id,username,followers_count,follows_count,media_count,biography,name,profile_picture_url"
)
MEDIA_FIELDS = "id,caption,like_count,comments_count,timestamp,media_type,permalink"
INSIGHT_METRICS = "reach,impressions"
DEMOGRAPHIC_BREAKDOWNS = ("country", "city", "age", "gender")
PACE_AT = 95.0  # percent of the app / business-use-case call budget
PACE_WAIT = 60.0


def regain_wait(headers: httpx.Headers) -> float | None:
    """Seconds until access returns per X-Business-Use-Case-Usage (its value is minutes)."""
    raw = headers.get("X-Business-Use-Case-Usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
        minutes = max(
            float(entry.get("estimated_time_to_regain_access", 0) or 0)
            for entries in usage.values()
            for entry in entries
        )
    except (ValueError, TypeError, AttributeError):
        return None
    return minutes * 60 if minutes > 0 else None


def usage_pct(headers: httpx.Headers) -> float:
    """The highest usage percentage in X-App-Usage / X-Business-Use-Case-Usage (0-100)."""
    highest = 0.0
    for name in ("X-App-Usage", "X-Business-Use-Case-Usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
            entries = (
                [usage] if "call_count" in usage else [e for group in usage.values() for e in group]
            )
            for entry in entries:
                for key in ("call_count", "total_cputime", "total_time"):
                    highest = max(highest, float(entry.get(key, 0) or 0))
        except (ValueError, TypeError, AttributeError):
            continue
    return highest


@register_social
class InstagramConnector(SocialConnector):
    platform = "instagram"
    default_base_url = "https://graph.facebook.com"

    @property
    def ig_user_id(self) -> str:
        value = str(self.options.get("ig_user_id") or "")
        if not value:
            raise SocialConnectorError(
                "instagram: the credential has no Instagram user id (the professional account "
                "the token belongs to); business discovery runs through it"
            )
        return value

    def url(self, node: str) -> str:
        return f"{self.base_url}/{GRAPH_VERSION}/{node}"

    def get(self, node_or_url: str, params: dict[str, Any] | None = None) -> Any:
        url = node_or_url if "://" in node_or_url else self.url(node_or_url)
        query = dict(params or {})
        if "access_token=" not in url:
            query["access_token"] = self.token
        # an empty params dict would make httpx drop the query of a paging.next URL
        return self.call("GET", url, params=query) if query else self.call("GET", url)

    def classify(self, response: httpx.Response, body: Any) -> Verdict:
        error = body.get("error") if isinstance(body, dict) else None
        if response.status_code < 400 and not error:
            return OK
        code = as_int(error.get("code")) if isinstance(error, dict) else 0
        message = error.get("message", "") if isinstance(error, dict) else response.text[:300]
        reason = f"HTTP {response.status_code}, code {code}: {message}"
        if code in TOKEN_CODES:
            return Verdict("fatal", f"access token expired or invalid ({reason})", None,
                           TokenExpiredError)  # fmt: skip
        if response.status_code == 429 or code in THROTTLE_CODES:
            return Verdict("retry", f"throttled ({reason})", regain_wait(response.headers))
        if response.status_code >= 500 or code in {1, 2}:
            return Verdict("retry", reason)
        return Verdict("fatal", reason)

    def after_response(self, response: httpx.Response) -> None:
        """Pace before the hourly limit bites: at PACE_AT% usage wait the regain time the
        header gives, else PACE_WAIT s, so the next call is not the one that gets throttled."""
        if usage_pct(response.headers) >= PACE_AT:
            self.sleep(min(regain_wait(response.headers) or PACE_WAIT, self.max_wait))

    # business discovery
    def _discover(self, handle: str, fields: str) -> dict[str, Any]:
        body = self.get(
            self.ig_user_id, {"fields": f"business_discovery.username({handle}){{{fields}}}"}
        )
        found = body.get("business_discovery") if isinstance(body, dict) else None
        if not isinstance(found, dict):
            raise SocialConnectorError(
                f"instagram: @{handle} is not a public business or creator account"
            )
        return found

    def fetch_account(self, handle: str) -> AccountData:
        found = self._discover(handle, PROFILE_FIELDS)
        username = found.get("username") or handle
        return AccountData(
            platform=self.platform,
            handle=username,
            external_id=str(found.get("id", "")),
            display_name=found.get("name") or "",
            bio=found.get("biography") or "",
            followers=as_int(found.get("followers_count")),
            following=as_int(found.get("follows_count")),
            posts_count=as_int(found.get("media_count")),
            profile_picture_url=found.get("profile_picture_url") or "",
            url=f"https://www.instagram.com/{username}/",
        )

    def fetch_posts(
        self, account: AccountData, since: dt.datetime | None = None
    ) -> Iterator[PostData]:
        """Newest first; stops at ``since``, at ``max_posts`` or when no ``after`` cursor."""
        after: str | None = None
        seen = 0
        while True:
            edge = (
                f"media.after({after}).limit({PAGE_LIMIT})"
                if after
                else (f"media.limit({PAGE_LIMIT})")
            )
            media = self._discover(account.handle, f"{edge}{{{MEDIA_FIELDS}}}").get("media") or {}
            for item in media.get("data", []):
                post = self._post(item)
                if since is not None and post.posted_at < since:
                    return
                yield post
                seen += 1
                if seen >= self.max_posts:
                    return
            after = (media.get("paging") or {}).get("cursors", {}).get("after")
            if not after or not media.get("data"):
                return

    @staticmethod
    def _post(item: dict[str, Any]) -> PostData:
        return PostData(
            platform_post_id=str(item["id"]),
            posted_at=parse_time(item["timestamp"]),
            caption=item.get("caption") or "",
            media_type=(item.get("media_type") or "").lower(),
            url=item.get("permalink") or "",
            likes=as_int(item.get("like_count")),
            comments=as_int(item.get("comments_count")),
        )

    # the creator's own connected account
    def fetch_comments(self, post: PostData) -> Iterator[CommentData]:
        """Comments of the token owner's media, following ``paging.next`` to the end."""
        url: str | None = self.url(f"{post.platform_post_id}/comments")
        params: dict[str, Any] | None = {"fields": "id,text,timestamp,username,like_count"}
        while url:
            body = self.get(url, params)
            for item in body.get("data", []):
                yield CommentData(
                    external_id=str(item["id"]),
                    text=item.get("text") or "",
                    author_handle=item.get("username") or "",
                    posted_at=parse_time(item["timestamp"]) if item.get("timestamp") else None,
                    likes=as_int(item.get("like_count")),
                )
            url = (body.get("paging") or {}).get("next")
            params = None  # the next URL carries every parameter

    def fetch_insights(self, account: AccountData) -> dict[str, Any]:
        """Latest daily reach / impressions and audience demographics of the token owner.

        Returns {"reach": int, "impressions": int, "end_time": iso,
        "demographics": {"country": {"US": 123, ...}, "age": {...}, ...}}.
        """
        node = f"{self.ig_user_id}/insights"
        out: dict[str, Any] = {}
        body = self.get(node, {"metric": INSIGHT_METRICS, "period": "day"})
        for metric in body.get("data", []):
            values = metric.get("values") or []
            if values:
                out[metric["name"]] = as_int(values[-1].get("value"))
                out["end_time"] = values[-1].get("end_time", "")
        out["demographics"] = self.fetch_demographics()
        return out

    def fetch_demographics(self) -> dict[str, dict[str, int]]:
        """Followers by each breakdown (``follower_demographics``, lifetime, total_value):
        {"age": {"25-34": n, ...}, "gender": {"F": n, ...}, "country": {...}, "city": {...}};
        a breakdown the platform has no data for (under 100 followers) is left out."""
        node = f"{self.ig_user_id}/insights"
        demographics: dict[str, dict[str, int]] = {}
        for breakdown in DEMOGRAPHIC_BREAKDOWNS:
            body = self.get(
                node,
                {
                    "metric": "follower_demographics",
                    "period": "lifetime",
                    "metric_type": "total_value",
                    "breakdown": breakdown,
                },
            )
            for metric in body.get("data", []):
                for part in (metric.get("total_value") or {}).get("breakdowns", []):
                    demographics[breakdown] = {
                        ",".join(row["dimension_values"]): as_int(row["value"])
                        for row in part.get("results", [])
                    }
        return demographics
