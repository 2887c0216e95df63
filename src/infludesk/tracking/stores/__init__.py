"""Pure parsing of store payloads (Shopify, WooCommerce, generic, CSV) into normalised orders.

Nothing here imports Django: the functions take the raw bytes or parsed JSON and return
dataclasses, so the rules can be tested and reused on their own. See docs/webhooks.md.
"""

from infludesk.tracking.stores.common import (
    NormalizedOrder,
    NormalizedRefund,
    PayloadError,
    click_id_from_url,
    normalize_code,
    parse_json_bytes,
)

__all__ = [
    "NormalizedOrder",
    "NormalizedRefund",
    "PayloadError",
    "click_id_from_url",
    "normalize_code",
    "parse_json_bytes",
]
