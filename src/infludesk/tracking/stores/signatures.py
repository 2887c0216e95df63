"""Webhook signature checks: HMAC-SHA256 over the raw body bytes, constant-time compare.

Shopify (X-Shopify-Hmac-Sha256) and WooCommerce (X-WC-Webhook-Signature) send
base64(HMAC-SHA256(secret, body)). The generic webhook sends X-Infludesk-Signature:
"sha256=" + hex(HMAC-SHA256(secret, body)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

GENERIC_PREFIX = "sha256="


def _digest(secret: str, body: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()


def sign_base64(secret: str, body: bytes) -> str:
    return base64.b64encode(_digest(secret, body)).decode("ascii")


def sign_generic(secret: str, body: bytes) -> str:
    return GENERIC_PREFIX + _digest(secret, body).hex()


def verify_base64(secret: str, body: bytes, header_value: str | None) -> bool:
    """True when header_value is the base64 HMAC-SHA256 of body under secret."""
    if not header_value or not secret:
        return False
    expected = sign_base64(secret, body).encode("ascii")
    return hmac.compare_digest(expected, header_value.strip().encode("utf-8", "replace"))


def verify_generic(secret: str, body: bytes, header_value: str | None) -> bool:
    """True when header_value is "sha256=<hex HMAC-SHA256 of body>" (hex in any case)."""
    if not header_value or not secret:
        return False
    value = header_value.strip()
    if not value.lower().startswith(GENERIC_PREFIX):
        return False
    given = value[len(GENERIC_PREFIX) :].lower().encode("utf-8", "replace")
    expected = _digest(secret, body).hex().encode("ascii")
    return hmac.compare_digest(expected, given)
