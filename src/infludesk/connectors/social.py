"""A small base for social platform connectors (Instagram, YouTube, TikTok) + their registry.

The surface is three calls, each returning normalised dataclasses so the creators services
never see a platform's JSON:

- ``fetch_account(handle)`` -> ``AccountData`` (profile and counts),
- ``fetch_posts(account, since)`` -> ``PostData`` newest first, stopping at ``since``,
- ``fetch_comments(post)`` -> ``CommentData`` (empty where the platform offers none).

Each connector owns its paging and error mapping; the retry loop lives here. A response is
classified by the connector as ok / retry (rate limit, throttling, 5xx) / fatal. Retries wait
the platform's hint when it gives one (Retry-After, Instagram's estimated_time_to_regain_access)
and otherwise back off ``backoff_base x 2^attempt`` seconds; after ``max_retries`` retries the
call gives up with ``RateLimitedError`` naming the call and the last error. ``sleep`` is
injectable so tests never wait. The store connectors keep their own registry in ``base.py``;
this one is keyed by the same platform names as ``creators.models.Platform``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from infludesk.connectors.base import DEFAULT_TIMEOUT, ConnectorError


class SocialConnectorError(ConnectorError):
    """A platform call failed for good; the message names the call and the platform's reason."""


class TokenExpiredError(SocialConnectorError):
    """The access token is expired, revoked or invalid: a person must paste a new one."""


class RateLimitedError(SocialConnectorError):
    """Still throttled after every retry; try again later."""


class QuotaExceededError(SocialConnectorError):
    """A daily quota is used up (YouTube); retrying today cannot help."""


@dataclass(frozen=True)
class AccountData:
    platform: str
    handle: str
    external_id: str
    display_name: str = ""
    bio: str = ""
    followers: int = 0
    following: int = 0
    posts_count: int = 0
    verified: bool = False
    profile_picture_url: str = ""
    url: str = ""
    # platform details later calls need (e.g. YouTube's uploads playlist id)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PostData:
    platform_post_id: str
    posted_at: dt.datetime
    caption: str = ""
    media_type: str = ""
    url: str = ""
    likes: int = 0
    comments: int = 0
    shares: int = 0
    views: int | None = None
    reach: int | None = None
    impressions: int | None = None


@dataclass(frozen=True)
class CommentData:
    external_id: str
    text: str
    author_handle: str = ""
    posted_at: dt.datetime | None = None
    likes: int = 0


@dataclass(frozen=True)
class Verdict:
    """How the connector reads one response: ok, retry (with an optional wait) or fatal."""

    action: str  # "ok" | "retry" | "fatal"
    message: str = ""
    wait: float | None = None
    error: type[SocialConnectorError] = SocialConnectorError


OK = Verdict("ok")


def as_int(value: Any) -> int:
    """Counts arrive as ints (Graph API, TikTok) or strings (YouTube); missing is 0."""
    if value is None or value == "":
        return 0
    return int(value)


def parse_time(value: str) -> dt.datetime:
    """ISO 8601 as the platforms write it ("2026-11-20T10:00:00+0000" or "...Z"), in UTC."""
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"  # +0000 -> +00:00 for Python 3.11
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


class SocialConnector:
    """Base class: HTTP with retries driven by ``classify``; subclasses add the three fetches."""

    platform: ClassVar[str] = ""
    default_base_url: ClassVar[str] = ""
    max_retries: ClassVar[int] = 5
    backoff_base: ClassVar[float] = 2.0
    max_wait: ClassVar[float] = 900.0
    # whether comments can only be read with the account owner's own token (Instagram)
    comments_need_own_token: ClassVar[bool] = True

    def __init__(
        self,
        *,
        token: str,
        base_url: str = "",
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_posts: int = 50,
        **options: Any,
    ) -> None:
        self.token = token
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.client = client or httpx.Client(timeout=DEFAULT_TIMEOUT)
        self.sleep = sleep
        self.max_posts = max_posts
        self.options = options
        self.retries = 0  # retries made so far, for reports and tests

    # the surface every social connector offers
    def fetch_account(self, handle: str) -> AccountData:
        raise NotImplementedError

    def fetch_posts(
        self, account: AccountData, since: dt.datetime | None = None
    ) -> Iterator[PostData]:
        raise NotImplementedError

    def fetch_comments(self, post: PostData) -> Iterator[CommentData]:
        """Comments of a post; platforms that do not offer them for this token give none."""
        return iter(())

    def fetch_insights(self, account: AccountData) -> dict[str, Any]:
        """Owner-only figures (reach, impressions, audience); {} where not available."""
        return {}

    # HTTP plumbing
    def headers(self) -> dict[str, str]:
        return {}

    def after_response(self, response: httpx.Response) -> None:
        """Hook after a successful answer (e.g. slow down when a usage header nears 100%)."""

    def classify(self, response: httpx.Response, body: Any) -> Verdict:
        """Default: 429 and 5xx retry, other 4xx are fatal."""
        if response.status_code == 429 or response.status_code >= 500:
            return Verdict("retry", f"HTTP {response.status_code}")
        if response.status_code >= 400:
            return Verdict("fatal", f"HTTP {response.status_code}: {response.text[:300]}")
        return OK

    def call(
        self, method: str, url: str, *, auth_headers: dict[str, str] | None = None, **kwargs: Any
    ) -> Any:
        """Send with retries; returns the decoded JSON body of a successful answer.

        ``auth_headers`` replaces ``headers()`` for one call (e.g. a different token)."""
        headers = {
            "Accept": "application/json",
            **(self.headers() if auth_headers is None else auth_headers),
        }
        label = f"{self.platform} {method} {url.split('?')[0]}"
        last = ""
        for attempt in range(self.max_retries + 1):
            try:
                response = self.client.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                verdict = Verdict("retry", f"network error: {exc}")
                body: Any = None
            else:
                body = _json_or_none(response)
                verdict = self.classify(response, body)
                if verdict.action == "retry" and verdict.wait is None:
                    verdict = Verdict("retry", verdict.message, _retry_after(response))
            if verdict.action == "ok":
                self.after_response(response)
                return body
            if verdict.action == "fatal":
                raise verdict.error(f"{label}: {verdict.message}")
            last = verdict.message
            if attempt == self.max_retries:
                break
            self.retries += 1
            wait = verdict.wait if verdict.wait is not None else self.backoff_base * 2**attempt
            self.sleep(min(wait, self.max_wait))
        raise RateLimitedError(
            f"{label}: gave up after {self.max_retries} retries (last error: {last})"
        )


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


SOCIAL_REGISTRY: dict[str, type[SocialConnector]] = {}


def register_social(cls: type[SocialConnector]) -> type[SocialConnector]:
    SOCIAL_REGISTRY[cls.platform] = cls
    return cls


def social_connector_for(platform: str) -> type[SocialConnector]:
    """The connector class of a social platform ("instagram", "youtube", "tiktok")."""
    # importing the modules registers them
    for name in ("instagram", "youtube", "tiktok"):
        importlib.import_module(f"infludesk.connectors.{name}")
    try:
        return SOCIAL_REGISTRY[platform]
    except KeyError as exc:
        raise SocialConnectorError(f"no connector for platform {platform!r}") from exc
