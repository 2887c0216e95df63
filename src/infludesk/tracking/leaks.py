"""Leak detection for discount codes: pure rules over code orders and clicks (no Django).

An order credited to a creator by their code is a probable leak when any rule fires:

- no_click: no click on that creator's links in the `window_days` before the order
  (default 7 days: clicked_at in [placed_at - 7 days, placed_at]);
- coupon_site: the order's referrer host is (a subdomain of) a known coupon site;
- burst: on that UTC day the creator's code orders exceed max(5, 3 x the creator's clicks
  that day): with 2 clicks the threshold is 6, so the 7th order of the day is a burst and
  every code order of that day gets the evidence.

The evidence is a list of JSON-ready dicts, one per rule that fired.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

DEFAULT_WINDOW_DAYS = 7
BURST_MIN_ORDERS = 5
BURST_CLICK_FACTOR = 3
COUPON_SITES = (
    "honey.com",
    "joinhoney.com",
    "retailmenot.com",
    "couponbirds.com",
    "wethrift.com",
    "knoji.com",
    "dealspotr.com",
    "coupons.com",
    "couponfollow.com",
    "slickdeals.net",
    "groupon.com",
    "coupert.com",
    "capitaloneshopping.com",
    "rakuten.com",
    "savings.com",
    "dealcatcher.com",
    "promocodes.com",
    "goodshop.com",
    "couponcabin.com",
    "offers.com",
    "vouchercodes.co.uk",
    "myvouchercodes.co.uk",
    "hotukdeals.com",
    "mydealz.de",
    "sparwelt.de",
    "gutscheine.de",
    "cuponation.com",
    "dealabs.com",
    "karmanow.com",
)


@dataclass(frozen=True)
class CodeOrder:
    key: Hashable
    creator_id: int
    placed_at: dt.datetime
    referrer: str = ""


@dataclass(frozen=True)
class ClickEvent:
    creator_id: int
    at: dt.datetime


def referrer_host(referrer: str) -> str:
    """The lower-case host of a referrer URL (scheme optional); "" when there is none."""
    value = (referrer or "").strip()
    if not value:
        return ""
    if "//" not in value:
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def coupon_site(host: str, sites: Iterable[str] = COUPON_SITES) -> str:
    """The coupon site the host belongs to (exact or subdomain), or ""."""
    for site in sites:
        if host == site or host.endswith("." + site):
            return site
    return ""


def detect_leaks(
    *,
    orders: Iterable[CodeOrder],
    clicks: Iterable[ClickEvent],
    window_days: int = DEFAULT_WINDOW_DAYS,
    sites: Iterable[str] = COUPON_SITES,
) -> dict[Hashable, list[dict[str, Any]]]:
    """{order key: evidence} for the orders where at least one rule fires."""
    order_list = list(orders)
    site_list = tuple(sites)
    click_times: dict[int, list[dt.datetime]] = defaultdict(list)
    clicks_per_day: dict[tuple[int, dt.date], int] = defaultdict(int)
    for click in clicks:
        click_times[click.creator_id].append(click.at)
        clicks_per_day[(click.creator_id, click.at.astimezone(dt.UTC).date())] += 1
    for times in click_times.values():
        times.sort()
    orders_per_day: dict[tuple[int, dt.date], int] = defaultdict(int)
    for order in order_list:
        orders_per_day[(order.creator_id, order.placed_at.astimezone(dt.UTC).date())] += 1

    window = dt.timedelta(days=window_days)
    result: dict[Hashable, list[dict[str, Any]]] = {}
    for order in order_list:
        evidence: list[dict[str, Any]] = []
        times = click_times.get(order.creator_id, [])
        lo = bisect.bisect_left(times, order.placed_at - window)
        hi = bisect.bisect_right(times, order.placed_at)
        if hi - lo == 0:
            evidence.append({"rule": "no_click", "window_days": window_days})
        host = referrer_host(order.referrer)
        site = coupon_site(host, site_list) if host else ""
        if site:
            evidence.append({"rule": "coupon_site", "referrer_host": host, "site": site})
        day = order.placed_at.astimezone(dt.UTC).date()
        day_orders = orders_per_day[(order.creator_id, day)]
        day_clicks = clicks_per_day.get((order.creator_id, day), 0)
        threshold = max(BURST_MIN_ORDERS, BURST_CLICK_FACTOR * day_clicks)
        if day_orders > threshold:
            evidence.append(
                {
                    "rule": "burst",
                    "day": day.isoformat(),
                    "code_orders": day_orders,
                    "clicks": day_clicks,
                    "threshold": threshold,
                }
            )
        if evidence:
            result[order.key] = evidence
    return result
