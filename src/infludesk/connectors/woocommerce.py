"""WooCommerce REST API v3: orders (pull sync) and coupons.

Pagination: page / per_page (max 100) until X-WP-TotalPages. Auth: HTTP Basic with the
consumer key and secret (the connection's api_token is "ck_...:cs_..."). Rate limits: a 429
(from a host or the Store API limiter) waits its Retry-After, 5xx back off.
Coupons have no start date in WooCommerce: valid_from is not sent (docs/webhooks.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from infludesk.connectors.base import (
    ConnectorError,
    CreatedDiscount,
    DiscountSpec,
    StoreConnector,
    dumps,
    loads_exact,
    register,
)

PER_PAGE = 100
BATCH_MAX = 100  # coupons/batch accepts at most 100 objects per request


@register
class WooCommerceConnector(StoreConnector):
    platform = "woocommerce"

    def auth(self) -> dict[str, Any]:
        key, _, secret = self.token.partition(":")
        if not key or not secret:
            raise ConnectorError(
                "WooCommerce needs the API token as 'consumer_key:consumer_secret'"
            )
        return {"auth": (key, secret)}

    def api(self, path: str) -> str:
        return f"{self.base_url}/wp-json/wc/v3/{path}"

    def fetch_orders(self, *, since: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            params: dict[str, Any] = {
                "per_page": PER_PAGE,
                "page": page,
                "orderby": "id",
                "order": "asc",
            }
            if since is not None:
                params["modified_after"] = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
            response = self.request("GET", self.api("orders"), params=params)
            orders = loads_exact(response.content)
            if not isinstance(orders, list):
                raise ConnectorError("WooCommerce orders response is not a list")
            yield from orders
            try:
                total_pages = int(response.headers.get("X-WP-TotalPages", "1"))
            except ValueError:
                total_pages = 1
            if page >= total_pages or not orders:
                return
            page += 1

    def _coupon(self, spec: DiscountSpec, code: str) -> dict[str, Any]:
        coupon: dict[str, Any] = {
            "code": code,
            "discount_type": "fixed_cart" if spec.kind == "fixed" else "percent",
            "amount": str(Decimal(spec.value).quantize(Decimal("0.01"))),
        }
        if spec.ends_on is not None:
            coupon["date_expires"] = spec.ends_on.isoformat()
        if spec.single_use:
            coupon["usage_limit"] = 1
        if spec.title:
            coupon["description"] = spec.title
        return coupon

    def create_discount(self, *, spec: DiscountSpec) -> CreatedDiscount:
        """POST coupons with the code, type, amount and expiry."""
        response = self.request(
            "POST",
            self.api("coupons"),
            content=dumps(self._coupon(spec, spec.code)),
            headers={"Content-Type": "application/json"},
        )
        coupon = loads_exact(response.content)
        if not isinstance(coupon, dict) or "id" not in coupon:
            raise ConnectorError("WooCommerce did not return the created coupon")
        return CreatedDiscount(
            remote_id=str(coupon["id"]),
            codes=(str(coupon.get("code", spec.code)),),
            detail={"coupon_id": str(coupon["id"])},
        )

    def create_discount_batch(self, *, spec: DiscountSpec, codes: list[str]) -> CreatedDiscount:
        """POST coupons/batch with {"create": [...]}, 100 coupons per request."""
        ids: list[str] = []
        accepted: list[str] = []
        errors: list[str] = []
        for start in range(0, len(codes), BATCH_MAX):
            chunk = codes[start : start + BATCH_MAX]
            response = self.request(
                "POST",
                self.api("coupons/batch"),
                content=dumps({"create": [self._coupon(spec, c) for c in chunk]}),
                headers={"Content-Type": "application/json"},
            )
            for item in loads_exact(response.content).get("create", []):
                if isinstance(item, dict) and "error" in item:
                    errors.append(str(item["error"].get("message", item["error"])))
                elif isinstance(item, dict):
                    ids.append(str(item.get("id", "")))
                    accepted.append(str(item.get("code", "")))
        return CreatedDiscount(
            remote_id=",".join(ids[:1]),
            codes=tuple(accepted),
            detail={"coupon_ids": ids, "errors": errors},
        )
