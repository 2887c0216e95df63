"""API schemas for tracking: tracked links and their clicks, discount codes (single, batches,
store pushes), orders with their conversion, probable code leaks and the exchange rate table.

Money and rates travel as decimal strings; dates are ISO. Bodies refuse unknown fields. Business
rules (URL checks, code patterns, uniqueness, pausing needs a fallback) live in the services; a
broken rule comes back as a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, FilterLookup, Schema

from infludesk.api.fields import CurrencyCode, DecimalStr, Id, QueryFilter, StrictIn
from infludesk.api.pagination import Page
from infludesk.tracking.codes import MAX_BATCH
from infludesk.tracking.links import short_url
from infludesk.tracking.models import DiscountKind, LinkStatus, StorePlatform, TrackedLink
from infludesk.tracking.selectors import WEBHOOK_ROUTES, store_connection_webhook_url
from infludesk.tracking.views_orders import evidence_text

Url = Annotated[str, Field(max_length=2000, description="a full http:// or https:// address")]
Utm = Annotated[str, Field(max_length=100)]
CodeValue = Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=2)]
Rate = Annotated[
    Decimal,
    Field(gt=0, max_digits=18, decimal_places=8, description="workspace currency per 1 unit"),
]
BatchName = Annotated[str, Field(min_length=1, max_length=60)]

# --- tracked links -------------------------------------------------------------------------


class LinkIn(StrictIn):
    deal_id: Id | None = Field(None, description="the link of a deal (its creator is implied)")
    creator_id: Id | None = Field(None, description="a creator's link outside any deal")
    destination_url: Url
    utm_source: Utm | None = Field(None, description="default: the platform of the account")
    utm_medium: Utm | None = Field(None, description='default: "influencer"')
    utm_campaign: Utm | None = Field(None, description="default: the deal's campaign slug")
    utm_content: Utm | None = Field(None, description="default: the creator's handle")
    fallback_url: Url = Field("", description="where a paused link sends clicks")


class LinkPatch(StrictIn):
    destination_url: Url = None  # type: ignore[assignment]
    utm_source: Utm = None  # type: ignore[assignment]
    utm_medium: Utm = None  # type: ignore[assignment]
    utm_campaign: Utm = None  # type: ignore[assignment]
    utm_content: Utm = None  # type: ignore[assignment]
    status: LinkStatus = Field(  # type: ignore[assignment]
        None, description="active, paused (clicks go to the fallback URL) or disabled (404)"
    )
    fallback_url: Url = Field(None, description='"" clears it')  # type: ignore[assignment]


class LinkOut(Schema):
    id: int
    slug: str
    short_url: str
    creator_id: int
    deal_id: int | None
    campaign_id: int | None
    destination_url: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    utm_content: str
    status: LinkStatus
    fallback_url: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_short_url(obj: TrackedLink) -> str:
        return short_url(obj)

    @staticmethod
    def resolve_campaign_id(obj: TrackedLink) -> int | None:
        return obj.deal.campaign_id if obj.deal is not None else None


class LinkFilter(QueryFilter):
    campaign_id: Annotated[Id | None, FilterLookup("deal__campaign_id")] = None
    deal_id: Annotated[Id | None, FilterLookup("deal_id")] = None
    creator_id: Annotated[Id | None, FilterLookup("creator_id")] = None
    status: Annotated[LinkStatus | None, FilterLookup("status")] = None


class LinkPage(Page):
    items: list[LinkOut]


class ClickStatsOut(Schema):
    link_id: int
    clicks: int = Field(description="human clicks (bots and HEAD requests are not counted)")
    unique_clicks: int = Field(description="clicks counted once per visitor per 30 minutes")
    bot_flagged: int = Field(description="requests from bots, crawlers, previews or HEAD")
    last_click_at: dt.datetime | None


# --- discount codes ------------------------------------------------------------------------


class CodeTerms(StrictIn):
    kind: DiscountKind = DiscountKind.PERCENT
    value: CodeValue = Field(description="percent (at most 100) or a fixed amount")
    valid_from: dt.date | None = None
    valid_until: dt.date | None = Field(None, description="on or after valid_from")


class CodeIn(CodeTerms):
    code: Annotated[str, Field(max_length=64)] = Field(
        "", description="3-64 letters, digits, - or _; empty: made by `pattern`"
    )
    pattern: Literal["readable", "random"] = Field(
        "readable",
        description="without a code: readable = first name + value (ANNA15), random = 8 "
        "characters from an unambiguous alphabet",
    )
    single_use: bool = False


class BatchIn(CodeTerms):
    batch: BatchName = Field(description="the batch's name, unique in the workspace")
    count: int = Field(ge=1, le=MAX_BATCH)
    deal_id: Id | None = Field(None, description="the deal the codes belong to")
    creator_id: Id | None = Field(None, description="the creator, when not given by deal_id")
    prefix: Annotated[str, Field(max_length=16, pattern=r"^[A-Za-z0-9]*$")] = ""
    length: int = Field(8, ge=6, le=32, description="random characters after the prefix")


class BatchOut(Schema):
    batch: str
    count: int
    codes: list[str]


class CodeOut(Schema):
    id: int
    code: str
    creator_id: int
    deal_id: int | None
    campaign_id: int | None
    kind: DiscountKind
    value: DecimalStr
    valid_from: dt.date | None
    valid_until: dt.date | None
    single_use: bool
    batch: str
    created_at: dt.datetime

    @staticmethod
    def resolve_campaign_id(obj: Any) -> int | None:
        return obj.deal.campaign_id if obj.deal is not None else None


class CodeFilter(QueryFilter):
    campaign_id: Annotated[Id | None, FilterLookup("deal__campaign_id")] = None
    deal_id: Annotated[Id | None, FilterLookup("deal_id")] = None
    creator_id: Annotated[Id | None, FilterLookup("creator_id")] = None
    batch: Annotated[Annotated[str, Field(max_length=60)] | None, FilterLookup("batch")] = None
    single_use: Annotated[bool | None, FilterLookup("single_use")] = None
    q: Annotated[
        str | None, Field(max_length=64, description="part of the code"),
        FilterLookup("code__icontains"),
    ] = None  # fmt: skip


class CodePage(Page):
    items: list[CodeOut]


class StoreOut(Schema):
    """A store connection without its secret or API token."""

    id: int
    platform: StorePlatform
    shop_domain: str
    active: bool
    can_push_codes: bool = Field(description="Shopify and WooCommerce stores with an API token")
    webhook_url: str = Field(description='where the store sends orders; "" for CSV imports')
    created_at: dt.datetime

    @staticmethod
    def resolve_can_push_codes(obj: Any) -> bool:
        return obj.platform in (StorePlatform.SHOPIFY, StorePlatform.WOOCOMMERCE) and bool(
            obj.api_token
        )

    @staticmethod
    def resolve_webhook_url(obj: Any) -> str:
        if obj.platform not in WEBHOOK_ROUTES:
            return ""  # CSV imports have no webhook
        return store_connection_webhook_url(connection=obj)


class StorePage(Page):
    items: list[StoreOut]


class StorePatch(StrictIn):
    """Change only the fields sent. The API token and the webhook secret are write-only: send
    one to set or replace it ("" keeps it); no answer ever contains either."""

    shop_domain: Annotated[str, Field(max_length=255)] = None  # type: ignore[assignment]
    api_url: Annotated[str, Field(max_length=500)] = Field(  # type: ignore[assignment]
        None,
        description=(
            "Shopify and WooCommerce: the store's base address for order sync and code pushes "
            '(blank: https://<shop_domain>); "" clears it'
        ),
    )
    active: bool = None  # type: ignore[assignment]
    api_token: Annotated[str, Field(max_length=500)] = Field(  # type: ignore[assignment]
        None,
        description=(
            "Shopify: the Admin API access token; WooCommerce: consumer_key:consumer_secret "
            '(ck_...:cs_...). "" keeps the current one'
        ),
    )
    clear_api_token: bool = Field(False, description="remove the API token")
    secret: Annotated[str, Field(max_length=255)] = Field(  # type: ignore[assignment]
        None, description='the webhook signing secret, at least 8 characters; "" keeps it'
    )


class StoreDetailOut(StoreOut):
    """A store connection after an edit: whether its write-only values are set, never them."""

    api_url: str
    api_token_set: bool
    secret_set: bool

    @staticmethod
    def resolve_api_token_set(obj: Any) -> bool:
        return bool(obj.api_token)

    @staticmethod
    def resolve_secret_set(obj: Any) -> bool:
        return bool(obj.secret)


class PushIn(StrictIn):
    store_id: Id = Field(description="a Shopify or WooCommerce store connection")


class BatchPushIn(PushIn):
    batch: BatchName


class PushOut(Schema):
    store_id: int
    platform: str
    remote_id: str = Field(description="the store's id of the price rule or coupon")
    codes: list[str] = Field(description="the codes the store accepted")


# --- orders and leaks ----------------------------------------------------------------------


class OrderFilter(QueryFilter):
    campaign_id: Id | None = Field(None, description="credited to a deal of this campaign")
    creator_id: Id | None = Field(None, description="credited to this creator")
    store: StorePlatform | None = Field(None, description="where the order came from")
    status: Annotated[str, Field(max_length=30)] | None = Field(
        None, description="the store's order status, e.g. paid (any letter case)"
    )
    cancelled: bool | None = None
    matched: bool | None = Field(None, description="true: credited to a creator")
    placed_from: dt.date | None = None
    placed_until: dt.date | None = None


class OrderOut(Schema):
    id: int
    platform: StorePlatform
    external_id: str
    status: str
    cancelled: bool
    placed_at: dt.datetime
    new_customer: bool | None
    currency: str = Field(description="the shop currency")
    gross: DecimalStr
    refunded: DecimalStr
    net: DecimalStr = Field(description="gross - refunded; 0 when cancelled")
    workspace_currency: str
    gross_workspace: DecimalStr | None = Field(description="null when no rate applies")
    refunded_workspace: DecimalStr | None
    net_workspace: DecimalStr | None
    matched_by: str | None = Field(description="code, click, or null when not credited")
    matched_code: str | None
    matched_click_id: str | None
    credited_creator_id: int | None
    credited_creator: str | None
    deal_id: int | None
    leak_suspected: bool


class OrderPage(Page):
    items: list[OrderOut]


class LeakFilter(QueryFilter):
    campaign_id: Annotated[Id | None, FilterLookup("deal__campaign_id")] = None
    deal_id: Annotated[Id | None, FilterLookup("deal_id")] = None
    creator_id: Annotated[Id | None, FilterLookup("creator_id")] = None


class LeakOut(Schema):
    conversion_id: int = Field(alias="id")
    order_id: int
    platform: str = Field(alias="order.source")
    external_id: str = Field(alias="order.external_id")
    placed_at: dt.datetime = Field(alias="order.placed_at")
    currency: str = Field(alias="order.currency")
    net: DecimalStr = Field(alias="order.net")
    creator_id: int
    creator: str = Field(alias="creator.name")
    deal_id: int | None
    campaign_id: int | None
    code: str | None
    evidence: list[dict[str, Any]] = Field(
        alias="leak_evidence", description="one entry per rule that fired, with its numbers"
    )
    summary: str = Field(description="the evidence in words")

    @staticmethod
    def resolve_campaign_id(obj: Any) -> int | None:
        return obj.deal.campaign_id if obj.deal is not None else None

    @staticmethod
    def resolve_code(obj: Any) -> str | None:
        return obj.code.code if obj.code is not None else None

    @staticmethod
    def resolve_summary(obj: Any) -> str:
        return evidence_text(obj.leak_evidence)


class LeakPage(Page):
    items: list[LeakOut]


# --- exchange rates ------------------------------------------------------------------------


class RateIn(StrictIn):
    currency: CurrencyCode
    rate: Rate
    valid_from: dt.date


class RatePatch(StrictIn):
    currency: CurrencyCode = None  # type: ignore[assignment]
    rate: Rate = None  # type: ignore[assignment]
    valid_from: dt.date = None  # type: ignore[assignment]


class RateOut(Schema):
    id: int
    currency: str
    rate: DecimalStr
    valid_from: dt.date
    updated_at: dt.datetime


class RateFilter(QueryFilter):
    currency: Annotated[CurrencyCode | None, FilterLookup("currency")] = None


class RatePage(Page):
    items: list[RateOut]
