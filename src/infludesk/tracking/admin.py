"""Light admin registrations (list pages). Store secrets and API tokens are not shown."""

from infludesk.core.admin import register_simple
from infludesk.tracking import models as m

register_simple(
    m.TrackedLink,
    ["slug", "creator", "deal", "status", "destination_url"],
    search_fields=["slug"],
    list_filter=["status"],
)
register_simple(m.Click, ["click_id", "link", "clicked_at", "is_bot", "is_unique", "country"])
register_simple(
    m.DiscountCode, ["code", "creator", "deal", "kind", "value"], search_fields=["code"]
)
register_simple(
    m.StoreConnection,
    ["platform", "shop_domain", "public_key", "active", "workspace"],
    exclude=["secret", "api_token"],
)
register_simple(m.WebhookDelivery, ["delivery_id", "topic", "connection", "received_at"])
register_simple(
    m.Order,
    ["external_id", "source", "gross", "refunded", "currency", "placed_at", "workspace"],
    search_fields=["external_id"],
    list_filter=["source"],
)
register_simple(m.Refund, ["external_id", "order", "amount", "refunded_at"])
register_simple(m.Conversion, ["order", "creator", "deal", "matched_by"])
