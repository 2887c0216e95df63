"""Shopify Admin REST API: orders (pull sync) and price rules + discount codes.

Pagination: the `Link` response header's rel="next" URL (page_info cursor), limit 250.
Rate limit: leaky bucket reported in X-Shopify-Shop-Api-Call-Limit ("used/size", leaking
2 calls/s on standard plans); when the bucket is nearly full we wait for it to drain, and a
429 waits its Retry-After. Auth: X-Shopify-Access-Token.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx

from infludesk.connectors.base import (
    ConnectorError,
    CreatedDiscount,
    DiscountSpec,
    StoreConnector,
    dumps,
    loads_exact,
    register,
)

API_VERSION = "2026-04"
PAGE_LIMIT = 250
BATCH_MAX = 100  # price_rules/{id}/batch.json accepts at most 100 codes per job
LEAK_PER_SECOND = 2.0
BUCKET_MARGIN = 4
LINK_NEXT_RE = re.compile(r'<([^>]+)>;\s*rel="?next"?')


def next_link(header: str | None) -> str | None:
    """The rel="next" URL of a Link header, or None on the last page."""
    if not header:
        return None
    for part in header.split(","):
        match = LINK_NEXT_RE.search(part)
        if match:
            return match.group(1)
    return None


@register
class ShopifyConnector(StoreConnector):
    platform = "shopify"

    def auth(self) -> dict[str, Any]:
        return {"headers": {"X-Shopify-Access-Token": self.token}}

    def api(self, path: str) -> str:
        return f"{self.base_url}/admin/api/{API_VERSION}/{path}"

    def after_response(self, response: httpx.Response) -> None:
        """Wait when the call bucket is within BUCKET_MARGIN of full: (excess + 1) / 2 s."""
        value = response.headers.get("X-Shopify-Shop-Api-Call-Limit", "")
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
        if not match:
            return
        used, size = int(match.group(1)), int(match.group(2))
        excess = used - (size - BUCKET_MARGIN)
        if excess >= 0:
            self.sleep((excess + 1) / LEAK_PER_SECOND)

    def fetch_orders(self, *, since: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
        """Every order (any status), oldest pages first as Shopify returns them."""
        params: dict[str, Any] | None = {"status": "any", "limit": PAGE_LIMIT}
        if since is not None and params is not None:
            params["updated_at_min"] = since.isoformat()
        url: str | None = self.api("orders.json")
        while url:
            response = self.request("GET", url, params=params)
            body = loads_exact(response.content)
            yield from body.get("orders", [])
            url = next_link(response.headers.get("Link"))
            params = None  # the next link carries page_info and limit; nothing else allowed

    def _price_rule(self, spec: DiscountSpec, title: str) -> dict[str, Any]:
        value = -abs(Decimal(spec.value))
        starts = dt.datetime.combine(spec.starts_on or dt.date.today(), dt.time(), dt.UTC)
        rule: dict[str, Any] = {
            "title": title,
            "target_type": "line_item",
            "target_selection": "all",
            "allocation_method": "across",
            "value_type": "fixed_amount" if spec.kind == "fixed" else "percentage",
            "value": str(value),
            "customer_selection": "all",
            "starts_at": starts.isoformat(),
        }
        if spec.ends_on is not None:
            end = dt.datetime.combine(spec.ends_on, dt.time(23, 59, 59), dt.UTC)
            rule["ends_at"] = end.isoformat()
        if spec.single_use:
            rule["usage_limit"] = 1  # per discount code
        response = self.request(
            "POST",
            self.api("price_rules.json"),
            content=dumps({"price_rule": rule}),
            headers={"Content-Type": "application/json"},
        )
        created = loads_exact(response.content).get("price_rule")
        if not isinstance(created, dict) or "id" not in created:
            raise ConnectorError("Shopify did not return the created price rule")
        return created

    def create_discount(self, *, spec: DiscountSpec) -> CreatedDiscount:
        """POST price_rules.json, then price_rules/{id}/discount_codes.json with the code."""
        rule = self._price_rule(spec, spec.title or spec.code)
        response = self.request(
            "POST",
            self.api(f"price_rules/{rule['id']}/discount_codes.json"),
            content=dumps({"discount_code": {"code": spec.code}}),
            headers={"Content-Type": "application/json"},
        )
        code = loads_exact(response.content).get("discount_code") or {}
        return CreatedDiscount(
            remote_id=str(rule["id"]),
            codes=(str(code.get("code", spec.code)),),
            detail={"price_rule_id": str(rule["id"]), "discount_code_id": str(code.get("id", ""))},
        )

    def create_discount_batch(self, *, spec: DiscountSpec, codes: list[str]) -> CreatedDiscount:
        """One price rule, then batch jobs of up to 100 codes (price_rules/{id}/batch.json)."""
        rule = self._price_rule(spec, spec.title or f"Batch of {len(codes)} codes")
        jobs = []
        for start in range(0, len(codes), BATCH_MAX):
            chunk = codes[start : start + BATCH_MAX]
            response = self.request(
                "POST",
                self.api(f"price_rules/{rule['id']}/batch.json"),
                content=dumps({"discount_codes": [{"code": c} for c in chunk]}),
                headers={"Content-Type": "application/json"},
            )
            job = loads_exact(response.content).get("discount_code_creation") or {}
            jobs.append(str(job.get("id", "")))
        return CreatedDiscount(
            remote_id=str(rule["id"]),
            codes=tuple(codes),
            detail={"price_rule_id": str(rule["id"]), "batch_jobs": jobs},
        )
