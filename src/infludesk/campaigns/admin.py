"""Light admin registrations (list pages); campaigns and deals are run from the app's pages."""

from infludesk.campaigns import models as m
from infludesk.core.admin import register_simple

register_simple(
    m.Campaign,
    ["name", "status", "objective", "type", "starts_on", "ends_on", "budget", "workspace"],
    search_fields=["name", "slug"],
    list_filter=["status", "objective", "type"],
)
register_simple(m.Wave, ["campaign", "number", "name", "starts_on", "ends_on", "budget"])
register_simple(
    m.Deal,
    ["campaign", "creator", "stage", "fee_cash", "currency", "stage_changed_at"],
    list_filter=["stage"],
)
register_simple(m.Goal, ["campaign", "deal", "metric", "target", "deadline"])
register_simple(m.Deliverable, ["deal", "platform", "format", "count", "due_on", "status"])
register_simple(m.Shipment, ["deal", "product", "value", "status"])
register_simple(m.Payment, ["deal", "amount", "currency", "due_on", "paid_on", "status"])
