"""A small base for store connectors (pull sync of orders, creating discount codes) + registry.

Each connector owns its pagination, rate limit handling and retries; callers (tracking
services) get plain JSON objects whose numbers are exact (Decimal / int, never float).
Tested against a local HTTP server replaying the documented responses; no live calls.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import httpx

DEFAULT_TIMEOUT = 20.0


class ConnectorError(RuntimeError):
    """The store answered with an error we cannot recover from (message names the call)."""


@dataclass(frozen=True)
class DiscountSpec:
    """A discount to create in a store. kind: "percent" or "fixed"; value positive."""

    code: str
    kind: str
    value: Decimal
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    single_use: bool = False
    title: str = ""


@dataclass(frozen=True)
class CreatedDiscount:
    """What the store created: its ids (as strings, exact) and the codes it accepted."""

    remote_id: str
    codes: tuple[str, ...]
    detail: dict[str, Any]


def loads_exact(content: bytes) -> Any:
    """JSON with decimals as Decimal and integers as int."""
    return json.loads(content.decode("utf-8"), parse_float=Decimal, parse_int=int)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, default=_json_default).encode("utf-8")


class StoreConnector:
    """Base class: HTTP with retries on 429 (Retry-After) and 5xx, exponential backoff."""

    platform: ClassVar[str] = ""
    max_retries: ClassVar[int] = 5
    backoff_base: ClassVar[float] = 1.0

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.client = client or httpx.Client(timeout=DEFAULT_TIMEOUT)
        self.sleep = sleep

    # the surface every store connector offers
    def fetch_orders(self, *, since: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def create_discount(self, *, spec: DiscountSpec) -> CreatedDiscount:
        raise NotImplementedError

    def create_discount_batch(self, *, spec: DiscountSpec, codes: list[str]) -> CreatedDiscount:
        raise NotImplementedError

    # HTTP plumbing
    def auth(self) -> dict[str, Any]:
        """Extra keyword arguments for httpx (headers / auth)."""
        return {}

    def after_response(self, response: httpx.Response) -> None:
        """Hook for platform rate-limit headers (e.g. Shopify's call-limit bucket)."""

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send with retries: 429 waits Retry-After (or backoff), 5xx and network errors
        back off 1, 2, 4 ... seconds; other 4xx raise ConnectorError at once."""
        auth = self.auth()
        headers = {
            "Accept": "application/json",
            **auth.pop("headers", {}),
            **kwargs.pop("headers", {}),
        }
        for attempt in range(self.max_retries + 1):
            try:
                response = self.client.request(method, url, headers=headers, **auth, **kwargs)
            except httpx.TransportError as exc:
                if attempt == self.max_retries:
                    raise ConnectorError(f"{method} {url}: {exc}") from exc
                self.sleep(self.backoff_base * 2**attempt)
                continue
            if response.status_code == 429 or response.status_code >= 500:
                if attempt == self.max_retries:
                    break
                self.sleep(self._retry_after(response, attempt))
                continue
            if response.status_code >= 400:
                raise ConnectorError(
                    f"{method} {url} answered {response.status_code}: {response.text[:300]}"
                )
            self.after_response(response)
            return response
        raise ConnectorError(
            f"{method} {url} still failing after {self.max_retries} retries "
            f"({response.status_code})"
        )

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        value = response.headers.get("Retry-After", "")
        try:
            return max(0.0, float(value))
        except ValueError:
            return self.backoff_base * 2**attempt


REGISTRY: dict[str, type[StoreConnector]] = {}


def register(cls: type[StoreConnector]) -> type[StoreConnector]:
    REGISTRY[cls.platform] = cls
    return cls


def connector_for(platform: str) -> type[StoreConnector]:
    """The connector class of a platform ("shopify", "woocommerce")."""
    # importing the modules registers them
    from infludesk.connectors import shopify, woocommerce  # noqa: F401

    try:
        return REGISTRY[platform]
    except KeyError as exc:
        raise ConnectorError(f"no connector for platform {platform!r}") from exc
