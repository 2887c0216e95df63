"""Writes for tracking: every change goes through a function here (see STYLE.md).

Orders from every source (Shopify / WooCommerce / generic webhooks, pull sync, CSV) reach
`order_upsert` as a NormalizedOrder. The money rules (docs/webhooks.md):

    cancelled -> gross = refunded = 0 (the order contributes nothing)
    otherwise gross = the order total (shipping included),
              refunded = min(gross, sum of the distinct refunds, keyed by refund id),
              net = gross - refunded
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from infludesk.connectors.base import StoreConnector, connector_for
from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.tracking import leaks
from infludesk.tracking.models import (
    Click,
    Conversion,
    DiscountCode,
    MatchedBy,
    Order,
    Refund,
    StoreConnection,
    StorePlatform,
    WebhookDelivery,
)
from infludesk.tracking.stores import (
    NormalizedOrder,
    NormalizedRefund,
    PayloadError,
    parse_json_bytes,
    shopify,
    woocommerce,
)
from infludesk.tracking.stores import generic as generic_store

ZERO = Decimal("0.00")


# --- store connections -----------------------------------------------------------------------


@transaction.atomic
def store_connection_create(
    *,
    workspace: Workspace,
    platform: str,
    secret: str,
    shop_domain: str = "",
    api_url: str = "",
    api_token: str = "",
    by: Member | None = None,
) -> StoreConnection:
    """A store connection with a fresh unguessable public key for its webhook URL."""
    if platform not in StorePlatform.values or platform == StorePlatform.CSV:
        raise ValueError(f"unknown store platform {platform!r}")
    if len(secret.strip()) < 8:
        raise ValueError("the webhook secret must have at least 8 characters")
    api_url, api_token = api_url.strip(), api_token.strip()
    store_api_fields_check(platform=platform, api_url=api_url, api_token=api_token)
    connection = StoreConnection(
        workspace=workspace,
        platform=platform,
        public_key=secrets.token_urlsafe(24),
        shop_domain=shop_domain.strip().lower(),
        secret=secret.strip(),
        api_url=api_url,
        api_token=api_token,
    )
    connection.full_clean()
    connection.save()
    audit_record(workspace=workspace, actor=by, action="store_connection.create", target=connection)
    return connection


API_PLATFORMS = (StorePlatform.SHOPIFY, StorePlatform.WOOCOMMERCE)
_url_check = URLValidator(schemes=["http", "https"])


def store_api_fields_check(*, platform: str, api_url: str, api_token: str) -> None:
    """The API URL and token a connection may hold (pull sync and code pushes): Shopify and
    WooCommerce only; the URL an http(s) base address without credentials or a query (the
    token carries the credentials); a WooCommerce token is "consumer_key:consumer_secret".
    Raises ValidationError naming the field."""
    errors: dict[str, str] = {}
    if platform not in API_PLATFORMS:
        for name, value in (("api_url", api_url), ("api_token", api_token)):
            if value:
                errors[name] = "Only Shopify and WooCommerce connections use the store's API."
        if errors:
            raise ValidationError(errors)
        return
    if api_url:
        try:
            _url_check(api_url)
        except ValidationError:
            errors["api_url"] = "Enter a full http:// or https:// address."
        else:
            parts = urlsplit(api_url)
            if parts.username or parts.password or parts.query or parts.fragment:
                errors["api_url"] = (
                    "Only the store's base address: credentials go in the API token."
                )
        if len(api_url) > 500:
            errors["api_url"] = "At most 500 characters."
    problem = _api_token_problem(platform=platform, api_token=api_token)
    if problem:
        errors["api_token"] = problem
    if errors:
        raise ValidationError(errors)


def _api_token_problem(*, platform: str, api_token: str) -> str:
    """What is wrong with a Shopify / WooCommerce API token ("" when nothing is)."""
    if not api_token:
        return ""
    if any(ch.isspace() for ch in api_token) or len(api_token) > 500:
        return "The API token has no spaces and at most 500 characters."
    key, _, consumer_secret = api_token.partition(":")
    if platform == StorePlatform.WOOCOMMERCE and (not key or not consumer_secret):
        return "WooCommerce needs the consumer key and secret as ck_...:cs_..."
    return ""


UNSET_MARK, SET_MARK = "(not set)", "(set)"


@transaction.atomic
def store_connection_update(
    *,
    connection: StoreConnection,
    by: Member | None = None,
    shop_domain: str | None = None,
    api_url: str | None = None,
    active: bool | None = None,
    api_token: str | None = None,
    clear_api_token: bool = False,
    secret: str | None = None,
) -> StoreConnection:
    """Change the fields given (None leaves a field as it is). The API token and the webhook
    secret are write-only: an empty value keeps the current one, `clear_api_token` removes
    the token. The audit entry names the changed fields; for the token and the secret it
    records only "(set)" / "(replaced)" / "(cleared)", never a value."""
    changes: dict[str, list[object]] = {}
    new_token = (api_token or "").strip()
    new_secret = (secret or "").strip()
    if clear_api_token and new_token:
        raise ValidationError({"api_token": "Either give a new API token or clear it, not both."})
    if new_secret and len(new_secret) < 8:
        raise ValidationError({"secret": "The secret must have at least 8 characters."})
    plain = {
        "shop_domain": None if shop_domain is None else shop_domain.strip().lower(),
        "api_url": None if api_url is None else api_url.strip(),
        "active": active,
    }
    for name, value in plain.items():
        if value is not None and value != getattr(connection, name):
            changes[name] = [getattr(connection, name), value]
            setattr(connection, name, value)
    had_token = bool(connection.api_token)
    if new_token and new_token != connection.api_token:
        changes["api_token"] = [SET_MARK, "(replaced)"] if had_token else [UNSET_MARK, SET_MARK]
        connection.api_token = new_token
    elif clear_api_token and had_token:
        changes["api_token"] = [SET_MARK, "(cleared)"]
        connection.api_token = ""
    if new_secret and new_secret != connection.secret:
        changes["secret"] = [SET_MARK, "(replaced)"]
        connection.secret = new_secret
    if not changes:
        return connection
    try:
        store_api_fields_check(
            platform=connection.platform,
            api_url=connection.api_url if "api_url" in changes else "",
            api_token=new_token,
        )
        connection.full_clean()
    except ValidationError:
        connection.refresh_from_db()  # the caller's instance shows what is stored, not the refusal
        raise
    connection.save()
    audit_record(
        workspace=connection.workspace,
        actor=by,
        action="store_connection.update",
        target=connection,
        changes=changes,
    )
    return connection


# --- webhook deliveries ----------------------------------------------------------------------


def webhook_delivery_record(
    *, connection: StoreConnection, delivery_id: str, topic: str, body: bytes
) -> tuple[WebhookDelivery, bool]:
    """Remember a verified delivery (raw body kept as text so numbers stay exact).

    Returns (delivery, created); created is False for a repeated delivery id.
    """
    defaults = {
        "workspace": connection.workspace,
        "topic": topic[:60],
        "payload": {"raw": body.decode("utf-8")},
    }
    try:
        with transaction.atomic():
            return WebhookDelivery.objects.get_or_create(
                connection=connection, delivery_id=delivery_id[:128], defaults=defaults
            )
    except IntegrityError:
        # a concurrent copy of the same delivery won the insert
        return WebhookDelivery.objects.get(connection=connection, delivery_id=delivery_id), False


def webhook_delivery_process(*, delivery_pk: int) -> str:
    """Apply one stored delivery; idempotent (a processed delivery is skipped).

    Returns what happened: "processed", "already processed", "waiting for order" (a refund
    whose order has not arrived yet; it is applied when the order comes) or "ignored".
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("connection", "workspace")
            .get(pk=delivery_pk)
        )
        if delivery.processed_at is not None:
            return "already processed"
        outcome = _apply_delivery(delivery)
        if outcome != "waiting for order":
            delivery.processed_at = timezone.now()
            delivery.save(update_fields=["processed_at"])
        return outcome


def _apply_delivery(delivery: WebhookDelivery) -> str:
    connection = delivery.connection
    data = parse_json_bytes(str(delivery.payload.get("raw", "")).encode("utf-8"))
    platform = connection.platform
    if platform == StorePlatform.SHOPIFY and delivery.topic in shopify.REFUND_TOPICS:
        order_id, refund = shopify.parse_refund(data)
        order = Order.objects.filter(
            workspace=connection.workspace, source=platform, external_id=order_id
        ).first()
        if order is None:
            return "waiting for order"
        refund_record(order=order, refund=refund)
        return "processed"
    if platform == StorePlatform.SHOPIFY and delivery.topic in shopify.ORDER_TOPICS:
        normalized = shopify.parse_order(data)
    elif platform == StorePlatform.WOOCOMMERCE and delivery.topic in woocommerce.ORDER_TOPICS:
        normalized = woocommerce.parse_order(data)
    elif platform == StorePlatform.WEBHOOK:
        normalized = generic_store.parse_order(data)
    else:
        return "ignored"
    order = order_upsert(workspace=connection.workspace, order=normalized)
    _apply_waiting_refunds(connection=connection, order=order)
    return "processed"


def _apply_waiting_refunds(*, connection: StoreConnection, order: Order) -> None:
    """Refund deliveries that arrived before their order are applied once it exists."""
    waiting = WebhookDelivery.objects.filter(
        connection=connection, processed_at__isnull=True, topic__in=shopify.REFUND_TOPICS
    )
    for delivery in waiting:
        try:
            order_id, refund = shopify.parse_refund(
                parse_json_bytes(str(delivery.payload.get("raw", "")).encode("utf-8"))
            )
        except PayloadError:
            continue
        if order_id == order.external_id:
            refund_record(order=order, refund=refund)
            delivery.processed_at = timezone.now()
            delivery.save(update_fields=["processed_at"])


# --- orders ----------------------------------------------------------------------------------


def customer_hash(*, workspace: Workspace, customer_id: str, email: str, source: str) -> str:
    """HMAC-SHA256 of the customer's id (per source) or else their email; never the raw value."""
    if customer_id:
        key = f"{workspace.pk}:id:{source}:{customer_id}"
    elif email.strip():
        key = f"{workspace.pk}:email:{email.strip().lower()}"
    else:
        return ""
    secret = getattr(settings, "CUSTOMER_HASH_KEY", settings.SECRET_KEY).encode("utf-8")
    return hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()


def _is_newer(incoming: dt.datetime | None, stored: dt.datetime | None) -> bool:
    """A snapshot replaces the stored one unless both are dated and it is older."""
    return incoming is None or stored is None or incoming >= stored


@transaction.atomic
def order_upsert(*, workspace: Workspace, order: NormalizedOrder, _retry: bool = True) -> Order:
    """Create or update the order of this source and id; an older snapshot never wins.

    Refunds listed in any snapshot are recorded (keyed by refund id), money recomputed,
    new/returning customer refreshed and the order matched to a creator.
    """
    existing = (
        Order.objects.select_for_update()
        .filter(workspace=workspace, source=order.source, external_id=order.external_id)
        .first()
    )
    if existing is None:
        row = Order(workspace=workspace, source=order.source, external_id=order.external_id)
        _copy_snapshot(row, order)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            if not _retry:
                raise
            # created meanwhile by a concurrent delivery of the same order: update that one
            return order_upsert(workspace=workspace, order=order, _retry=False)
    else:
        row = existing
        if _is_newer(order.updated_at, row.source_updated_at):
            _copy_snapshot(row, order)
            row.save()
    for refund in order.refunds:
        _refund_upsert(order=row, refund=refund)
    order_recompute_money(order=row)
    _customers_refresh(workspace=workspace, customer_hash=row.customer_hash)
    conversion = conversion_match(order=row)
    if conversion is not None and conversion.matched_by == MatchedBy.CODE:
        # a new code order can only change its creator's flags on that day (burst rule)
        conversions_flag_leaks(
            workspace=workspace,
            creator_id=conversion.creator_id,
            day=row.placed_at.astimezone(dt.UTC).date(),
        )
    return row


def _copy_snapshot(row: Order, order: NormalizedOrder) -> None:
    row.status = order.status[:30]
    row.currency = order.currency
    row.cancelled = order.cancelled
    row.gross = ZERO if order.cancelled else order.gross
    row.placed_at = order.placed_at or row.placed_at or timezone.now()
    row.source_updated_at = order.updated_at
    row.customer_hash = customer_hash(
        workspace=row.workspace,
        customer_id=order.customer_id,
        email=order.customer_email,
        source=order.source,
    )
    row.discount_codes = list(order.discount_codes)
    row.landing_url = order.landing_url
    row.referrer = order.referrer
    row.click_id = order.click_id
    row.line_items = [line.as_json() for line in order.line_items]


def _refund_upsert(*, order: Order, refund: NormalizedRefund) -> None:
    Refund.objects.update_or_create(
        order=order,
        external_id=refund.external_id,
        defaults={
            "workspace": order.workspace,
            "amount": max(refund.amount, ZERO),
            "refunded_at": refund.refunded_at,
        },
    )


@transaction.atomic
def refund_record(*, order: Order, refund: NormalizedRefund) -> Order:
    """Record (or update) one refund by its id and recompute the order's money."""
    _refund_upsert(order=order, refund=refund)
    return order_recompute_money(order=order)


def order_recompute_money(*, order: Order) -> Order:
    """refunded = min(gross, sum of distinct refunds); cancelled orders stay at 0."""
    total = Refund.objects.filter(order=order).aggregate(s=Sum("amount"))["s"] or ZERO
    refunded = ZERO if order.cancelled else min(order.gross, total)
    if order.refunded != refunded:
        order.refunded = refunded
        order.save(update_fields=["refunded", "updated_at"])
    return order


def _customers_refresh(*, workspace: Workspace, customer_hash: str) -> None:
    """The customer's earliest order (by placed_at, then arrival) is new; the rest returning."""
    if not customer_hash:
        Order.objects.filter(workspace=workspace, customer_hash="").exclude(
            is_new_customer=None
        ).update(is_new_customer=None)
        return
    rows = list(
        Order.objects.filter(workspace=workspace, customer_hash=customer_hash)
        .order_by("placed_at", "pk")
        .values_list("pk", "is_new_customer")
    )
    for index, (pk, current) in enumerate(rows):
        wanted = index == 0
        if current != wanted:
            Order.objects.filter(pk=pk).update(is_new_customer=wanted)


# --- matching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    matched_by: str
    code: DiscountCode | None
    click: Click | None


def find_match(*, order: Order, code_beats_click: bool = True) -> Match | None:
    """Who gets the order: a creator's code (trimmed, case-insensitive, exact) or the click.

    Codes are tried in the order's own order; with code_beats_click False the click wins
    when both exist.
    """
    code = None
    for used in order.discount_codes or []:
        text = str(used).strip()
        if not text:
            continue
        code = (
            DiscountCode.objects.filter(workspace=order.workspace, code__iexact=text)
            .select_related("creator", "deal")
            .first()
        )
        if code is not None:
            break
    click = None
    if order.click_id:
        click = (
            Click.objects.filter(workspace=order.workspace, click_id=order.click_id)
            .select_related("link__creator", "link__deal")
            .first()
        )
    if code is not None and (code_beats_click or click is None):
        same_creator = click is not None and click.link.creator_id == code.creator_id
        return Match(MatchedBy.CODE, code, click if same_creator else None)
    if click is not None:
        return Match(MatchedBy.CLICK, None, click)
    return None


def conversion_match(*, order: Order, code_beats_click: bool | None = None) -> Conversion | None:
    """Create, update or remove the order's Conversion to reflect the current match."""
    if code_beats_click is None:
        code_beats_click = getattr(settings, "TRACKING_CODE_BEATS_CLICK", True)
    match = find_match(order=order, code_beats_click=code_beats_click)
    current = Conversion.objects.filter(order=order).first()
    if match is None:
        if current is not None:
            current.delete()
        return None
    if match.code is not None:
        creator, deal = match.code.creator, match.code.deal
    else:
        assert match.click is not None
        creator, deal = match.click.link.creator, match.click.link.deal
    conversion = current or Conversion(workspace=order.workspace, order=order)
    if current is not None and current.creator_id != creator.pk:
        conversion.leak_suspected, conversion.leak_evidence = False, []
    conversion.creator, conversion.deal = creator, deal
    conversion.matched_by, conversion.code, conversion.click = (
        match.matched_by,
        match.code,
        match.click,
    )
    conversion.save()
    return conversion


@transaction.atomic
def conversions_rematch(*, workspace: Workspace) -> int:
    """Match every order of the workspace again (e.g. after codes were created for past
    orders); returns how many orders are credited now."""
    credited = 0
    for order in Order.objects.filter(workspace=workspace).order_by("pk"):
        credited += conversion_match(order=order) is not None
    conversions_flag_leaks(workspace=workspace)
    return credited


# --- leak detection --------------------------------------------------------------------------


@transaction.atomic
def conversions_flag_leaks(
    *,
    workspace: Workspace,
    window_days: int = leaks.DEFAULT_WINDOW_DAYS,
    creator_id: int | None = None,
    day: dt.date | None = None,
) -> int:
    """Flag code-matched conversions that look like leaked codes, with the evidence.

    Runs the pure rules of tracking.leaks over the workspace's code conversions (optionally
    one creator's orders of one UTC day: all that a new order can change) and their clicks;
    returns how many of those conversions are flagged now. Rerunning gives the same result.
    """
    rows = Conversion.objects.filter(workspace=workspace, matched_by=MatchedBy.CODE)
    clicks_qs = Click.objects.filter(workspace=workspace, is_bot=False)
    if creator_id is not None:
        rows = rows.filter(creator_id=creator_id)
    if day is not None:
        start = dt.datetime.combine(day, dt.time(), dt.UTC)
        rows = rows.filter(
            order__placed_at__gte=start, order__placed_at__lt=start + dt.timedelta(days=1)
        )
        clicks_qs = clicks_qs.filter(
            clicked_at__gte=start - dt.timedelta(days=window_days),
            clicked_at__lt=start + dt.timedelta(days=1),
        )
    conversions = list(rows.select_related("order").order_by("pk"))
    if not conversions:
        return 0
    creator_ids = {c.creator_id for c in conversions}
    clicks = [
        leaks.ClickEvent(creator_id=cid, at=at)
        for cid, at in clicks_qs.filter(link__creator_id__in=creator_ids).values_list(
            "link__creator_id", "clicked_at"
        )
    ]
    orders = [
        leaks.CodeOrder(
            key=c.pk,
            creator_id=c.creator_id,
            placed_at=c.order.placed_at,
            referrer=c.order.referrer,
        )
        for c in conversions
    ]
    evidence = leaks.detect_leaks(orders=orders, clicks=clicks, window_days=window_days)
    flagged = 0
    for conversion in conversions:
        found = evidence.get(conversion.pk, [])
        suspected = bool(found)
        flagged += suspected
        if conversion.leak_suspected != suspected or conversion.leak_evidence != found:
            conversion.leak_suspected, conversion.leak_evidence = suspected, found
            conversion.save(update_fields=["leak_suspected", "leak_evidence", "updated_at"])
    return flagged


# --- pull sync -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    orders: int
    errors: tuple[str, ...]


def _connector(connection: StoreConnection) -> StoreConnector:
    base_url = connection.api_url or f"https://{connection.shop_domain}"
    return connector_for(connection.platform)(base_url=base_url, token=connection.api_token)


def orders_sync_pull(
    *,
    connection: StoreConnection,
    since: dt.datetime | str | None = None,
    connector: StoreConnector | None = None,
) -> SyncResult:
    """Backfill past orders through the store's API into the same upsert as webhooks.

    Each order is applied in its own transaction, so one bad order does not stop the rest;
    its error is reported (with the order id) instead.
    """
    if isinstance(since, str):
        since = dt.datetime.fromisoformat(since)
    connector = connector or _connector(connection)
    parse = shopify.parse_order if connection.platform == StorePlatform.SHOPIFY else None
    if connection.platform == StorePlatform.WOOCOMMERCE:
        parse = woocommerce.parse_order
    if parse is None:
        raise ValueError(f"no pull sync for {connection.platform} connections")
    count, errors = 0, []
    for raw in connector.fetch_orders(since=since):
        try:
            normalized = parse(raw)
        except PayloadError as exc:
            errors.append(f"order {raw.get('id') if isinstance(raw, dict) else '?'}: {exc}")
            continue
        order_upsert(workspace=connection.workspace, order=normalized)
        count += 1
    return SyncResult(orders=count, errors=tuple(errors))
