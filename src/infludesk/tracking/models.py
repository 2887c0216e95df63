"""Tracked links and clicks, discount codes, store connections, orders, refunds, conversions."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from infludesk.campaigns.models import Campaign, Deal
from infludesk.core.models import CURRENCY_MAX, Workspace, WorkspaceScoped, money_field
from infludesk.creators.models import Creator


class LinkStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused (redirects to the fallback URL)"
    DISABLED = "disabled", "Disabled"


class TrackedLink(WorkspaceScoped):
    """A short link /l/<slug> to a destination with UTM parameters and a click id."""

    slug = models.CharField(max_length=32, unique=True)
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="tracked_links")
    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, null=True, blank=True, related_name="tracked_links"
    )
    destination_url = models.URLField(max_length=2000)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, default="influencer")
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.ACTIVE)
    fallback_url = models.URLField(max_length=2000, blank=True)

    def __str__(self) -> str:
        return f"/l/{self.slug}"


class Click(models.Model):
    """One request to a tracked link. Bots and HEAD requests are kept but flagged."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="clicks")
    click_id = models.CharField(max_length=32, unique=True)
    clicked_at = models.DateTimeField()
    visitor_hash = models.CharField(max_length=64, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    ua_class = models.CharField(max_length=20, blank=True)
    referrer_host = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=2, blank=True)
    is_bot = models.BooleanField(default=False)
    is_unique = models.BooleanField(default=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["workspace", "link", "clicked_at"], name="click_ws_link_time"),
            models.Index(fields=["workspace", "visitor_hash"], name="click_ws_visitor"),
        ]

    def __str__(self) -> str:
        return f"click {self.click_id}"


class DiscountKind(models.TextChoices):
    PERCENT = "percent", "Percent off"
    FIXED = "fixed", "Fixed amount off"


class DiscountCode(WorkspaceScoped):
    """A creator's discount code; unique per workspace regardless of letter case."""

    code = models.CharField(max_length=64)
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="discount_codes")
    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, null=True, blank=True, related_name="discount_codes"
    )
    kind = models.CharField(
        max_length=8, choices=DiscountKind.choices, default=DiscountKind.PERCENT
    )
    value = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    single_use = models.BooleanField(default=False)
    batch = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(Upper("code"), "workspace", name="discount_code_unique_ci"),
            models.CheckConstraint(condition=Q(value__gte=0), name="discount_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100), name="discount_percent_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CodePattern(models.TextChoices):
    READABLE = "readable", "Readable: first name + value (ANNA15)"
    GENERATED = "generated", "Generated: prefix + random letters (WINTER7KQ2M9XD)"


class CampaignTracking(WorkspaceScoped):
    """A campaign's tracking defaults: every deal of the campaign gets a tracked link to
    `destination_url` (when set) and a discount code on these terms (when `discount_value` is
    set), created with the deal (see tracking/defaults.py)."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="tracking_defaults"
    )
    destination_url = models.URLField(max_length=2000, blank=True)
    utm_medium = models.CharField(max_length=100, default="influencer")
    utm_campaign = models.CharField(max_length=100, blank=True)  # blank: the campaign's slug
    discount_kind = models.CharField(
        max_length=8, choices=DiscountKind.choices, default=DiscountKind.PERCENT
    )
    discount_value = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    code_pattern = models.CharField(
        max_length=10, choices=CodePattern.choices, default=CodePattern.READABLE
    )
    code_prefix = models.CharField(max_length=16, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    # codes made from these defaults are created in this store by a background task
    push_store = models.ForeignKey(
        "StoreConnection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(discount_value__isnull=True) | Q(discount_value__gt=0),
                name="campaign_tracking_value_positive",
            ),
            models.CheckConstraint(
                condition=~Q(discount_kind="percent")
                | Q(discount_value__isnull=True)
                | Q(discount_value__lte=100),
                name="campaign_tracking_percent_max_100",
            ),
        ]

    def __str__(self) -> str:
        return f"tracking defaults of {self.campaign}"

    @property
    def makes_links(self) -> bool:
        return bool(self.destination_url)

    @property
    def makes_codes(self) -> bool:
        return self.discount_value is not None


class StorePlatform(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    WEBHOOK = "webhook", "Generic webhook"
    CSV = "csv", "CSV import"


class StoreConnection(WorkspaceScoped):
    """A store sending orders to a workspace; the webhook URL carries its public key."""

    platform = models.CharField(max_length=12, choices=StorePlatform.choices)
    public_key = models.CharField(max_length=40, unique=True)
    shop_domain = models.CharField(max_length=255, blank=True)
    secret = models.CharField(max_length=255)
    api_url = models.URLField(max_length=500, blank=True)
    api_token = models.CharField(max_length=500, blank=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.platform} {self.shop_domain}"


class PushStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be pushed"
    PUSHED = "pushed", "Pushed"
    FAILED = "failed", "Failed"


class CodePush(WorkspaceScoped):
    """One discount code in one store: created there at most once (tracking/codes.py). Pushes
    queued for codes made from campaign defaults start `pending`; a failure keeps the store's
    answer in `error` until a retry succeeds."""

    code = models.ForeignKey(DiscountCode, on_delete=models.CASCADE, related_name="pushes")
    store = models.ForeignKey(StoreConnection, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=PushStatus.choices, default=PushStatus.PENDING)
    remote_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["code", "store"], name="code_push_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} in {self.store} ({self.status})"


class WebhookDelivery(models.Model):
    """A verified delivery, remembered by its id so a retry never counts twice."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(StoreConnection, on_delete=models.CASCADE, related_name="+")
    delivery_id = models.CharField(max_length=128)
    topic = models.CharField(max_length=60, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField(default=dict)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["connection", "delivery_id"], name="delivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.delivery_id}"


class Order(WorkspaceScoped):
    """A store order in its shop currency. net = gross - refunded; cancelled orders have 0."""

    source = models.CharField(max_length=12, choices=StorePlatform.choices)
    external_id = models.CharField(max_length=64)
    status = models.CharField(max_length=30, blank=True)
    currency = models.CharField(max_length=CURRENCY_MAX)
    gross = money_field(default=0)
    refunded = money_field(default=0)
    placed_at = models.DateTimeField()
    source_updated_at = models.DateTimeField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    customer_hash = models.CharField(max_length=64, blank=True)
    is_new_customer = models.BooleanField(null=True, blank=True)
    discount_codes = models.JSONField(default=list, blank=True)
    landing_url = models.TextField(blank=True)
    referrer = models.TextField(blank=True)
    click_id = models.CharField(max_length=32, blank=True)
    # [{id, product_id, variant_id, sku, title, quantity, price}] as the store sent them
    line_items = models.JSONField(default=list, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["workspace", "source", "external_id"], name="order_unique_per_source"
            ),
            models.CheckConstraint(
                condition=Q(gross__gte=0) & Q(refunded__gte=0), name="order_money_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(refunded__lte=F("gross")), name="order_refund_not_above_gross"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["workspace", "placed_at"], name="order_ws_placed"),
            models.Index(fields=["workspace", "click_id"], name="order_ws_click"),
        ]

    def __str__(self) -> str:
        return f"{self.source} order {self.external_id}"

    @property
    def net(self) -> Decimal:
        return Decimal(0) if self.cancelled else self.gross - self.refunded


class Refund(WorkspaceScoped):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    external_id = models.CharField(max_length=64)
    amount = money_field()
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["order", "external_id"], name="refund_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="refund_not_negative"),
        ]

    def __str__(self) -> str:
        return f"refund {self.external_id}"


class MatchedBy(models.TextChoices):
    CODE = "code", "Discount code"
    CLICK = "click", "Tracked link click"


class Conversion(WorkspaceScoped):
    """An order credited to a creator (and deal), by code or by click."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="conversion")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="conversions")
    deal = models.ForeignKey(
        Deal, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversions"
    )
    matched_by = models.CharField(max_length=6, choices=MatchedBy.choices)
    code = models.ForeignKey(
        DiscountCode, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    click = models.ForeignKey(
        Click, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    leak_suspected = models.BooleanField(default=False)
    leak_evidence = models.JSONField(default=list, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["workspace", "deal"], name="conversion_ws_deal"),
        ]

    def __str__(self) -> str:
        return f"{self.order} -> {self.creator}"
