"""Store webhook endpoints: verify, validate, remember the delivery, acknowledge, enqueue.

Order of checks (docs/webhooks.md): unknown key -> 404; WooCommerce ping -> 200; bad or
missing signature -> 401; malformed body or missing fields -> 400 with the reason; unhandled
topic -> 200 "ignored"; repeated delivery -> 200 "duplicate". Nothing is stored before the
signature is verified and the body validated; the processing itself runs in a task.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from infludesk.tracking import services
from infludesk.tracking.models import StoreConnection, StorePlatform
from infludesk.tracking.stores import PayloadError, parse_json_bytes, shopify, woocommerce
from infludesk.tracking.stores import generic as generic_store
from infludesk.tracking.stores.signatures import verify_base64, verify_generic
from infludesk.tracking.tasks import process_webhook_delivery

logger = logging.getLogger(__name__)
WOO_PING_RE = re.compile(rb"^webhook_id=\d+$")
GENERIC_TOPIC = "order"


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _connection(public_key: str, platform: str) -> StoreConnection | None:
    return (
        StoreConnection.objects.select_related("workspace")
        .filter(public_key=public_key, platform=platform, active=True)
        .first()
    )


def _validate(platform: str, topic: str, body: bytes) -> str | None:
    """Parse the body as the processing task will; returns None for an unhandled topic."""
    data = parse_json_bytes(body)
    if platform == StorePlatform.SHOPIFY:
        if topic in shopify.REFUND_TOPICS:
            shopify.parse_refund(data)
        elif topic in shopify.ORDER_TOPICS:
            shopify.parse_order(data)
        else:
            return None
    elif platform == StorePlatform.WOOCOMMERCE:
        if topic not in woocommerce.ORDER_TOPICS:
            return None
        woocommerce.parse_order(data)
    else:
        generic_store.parse_order(data)
    return topic


def _delivery_id(platform: str, request: HttpRequest, topic: str, body: bytes) -> str:
    digest = hashlib.sha256(topic.encode() + b"\n" + body).hexdigest()
    if platform == StorePlatform.SHOPIFY and request.headers.get("X-Shopify-Webhook-Id"):
        return "shopify:" + request.headers["X-Shopify-Webhook-Id"].strip()
    if platform == StorePlatform.WEBHOOK and request.headers.get("X-Infludesk-Delivery-Id"):
        return "generic:" + request.headers["X-Infludesk-Delivery-Id"].strip()
    # WooCommerce's delivery id is only unique per webhook per second: use the content.
    return "sha256:" + digest


def _receive(request: HttpRequest, public_key: str, platform: str) -> JsonResponse:
    connection = _connection(public_key, platform)
    if connection is None:
        return _error(404, "unknown webhook URL")
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(413, "body too large")
    headers = request.headers  # case-insensitive lookups
    if platform == StorePlatform.SHOPIFY:
        signed = verify_base64(connection.secret, body, headers.get("X-Shopify-Hmac-Sha256"))
        topic = headers.get("X-Shopify-Topic", "")
    elif platform == StorePlatform.WOOCOMMERCE:
        signature = headers.get("X-WC-Webhook-Signature")
        topic = headers.get("X-WC-Webhook-Topic", "")
        if not signature and not topic and WOO_PING_RE.fullmatch(body.strip()):
            return JsonResponse({"status": "ping"}, status=200)
        signed = verify_base64(connection.secret, body, signature)
    else:
        signed = verify_generic(connection.secret, body, headers.get("X-Infludesk-Signature"))
        topic = headers.get("X-Infludesk-Topic", GENERIC_TOPIC)
    if not signed:
        return _error(401, "missing or invalid signature")
    topic = topic.strip().lower()
    if not topic:
        return _error(400, "missing topic header")
    try:
        handled = _validate(platform, topic, body)
    except PayloadError as exc:
        return _error(400, str(exc))
    if handled is None:
        return JsonResponse({"status": "ignored", "detail": f"topic {topic} is not used"})
    delivery, created = services.webhook_delivery_record(
        connection=connection,
        delivery_id=_delivery_id(platform, request, topic, body),
        topic=topic,
        body=body,
    )
    if not created and delivery.processed_at is not None:
        return JsonResponse({"status": "duplicate"})
    # Also re-enqueued when a retry finds it unprocessed (e.g. the first enqueue failed).
    process_webhook_delivery.enqueue(delivery_pk=delivery.pk)
    return JsonResponse({"status": "accepted" if created else "duplicate"})


@csrf_exempt
@require_POST
def shopify_webhook(request: HttpRequest, public_key: str) -> JsonResponse:
    return _receive(request, public_key, StorePlatform.SHOPIFY)


@csrf_exempt
@require_POST
def woocommerce_webhook(request: HttpRequest, public_key: str) -> JsonResponse:
    return _receive(request, public_key, StorePlatform.WOOCOMMERCE)


@csrf_exempt
@require_POST
def generic_webhook(request: HttpRequest, public_key: str) -> JsonResponse:
    return _receive(request, public_key, StorePlatform.WEBHOOK)
