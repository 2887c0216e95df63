"""REST endpoints for tracking, mounted by infludesk.api.api at /api/v1/: tracked links (with
click counts and QR codes), discount codes (single, batches, CSV, push to a store), orders with
what they were credited to, probable code leaks and the exchange rate table.

Every row is looked up from the caller's workspace, so another workspace's link, code, store or
rate is a 404 exactly like a missing one (or a 422 on the field when a body names it). Handlers
parse, call the existing service or selector, and answer; a service error becomes a 422 naming
its field.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES, ErrorOut
from infludesk.api.fields import Id
from infludesk.api.pagination import PageParams, paginate
from infludesk.campaigns.models import Deal
from infludesk.connectors.base import ConnectorError
from infludesk.core import rates as rate_services
from infludesk.core.models import ExchangeRate, Member
from infludesk.creators.models import Creator
from infludesk.tracking import codes, links, services
from infludesk.tracking.models import (
    DiscountCode,
    LinkStatus,
    StoreConnection,
    TrackedLink,
)
from infludesk.tracking.schemas import (
    BatchIn,
    BatchOut,
    BatchPushIn,
    ClickStatsOut,
    CodeFilter,
    CodeIn,
    CodeOut,
    CodePage,
    LeakFilter,
    LeakPage,
    LinkFilter,
    LinkIn,
    LinkOut,
    LinkPage,
    LinkPatch,
    OrderFilter,
    OrderPage,
    PushIn,
    PushOut,
    RateFilter,
    RateIn,
    RateOut,
    RatePage,
    RatePatch,
    StoreDetailOut,
    StorePage,
    StorePatch,
)
from infludesk.tracking.selectors import (
    exchange_rates,
    in_workspace_currency,
    leak_suspects,
    link_click_stats,
    order_row,
)
from infludesk.tracking.views_orders import orders_filtered

router = Router()
M = TypeVar("M", bound=Model)
QR_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def _in_workspace(model: type[M], member: Member, pk: int, field: str, noun: str) -> M:
    """A row named by id in a body: one of another workspace is invalid input, not a 404."""
    row = model._default_manager.filter(workspace_id=member.workspace_id, pk=pk).first()
    if row is None:
        raise ValidationError({field: f"No {noun} with id {pk} here."})
    return row


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The same errors with model field names swapped for the API's."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


# --- tracked links -------------------------------------------------------------------------


def _link(member: Member, link_id: int) -> TrackedLink:
    return get_object_or_404(
        TrackedLink.objects.select_related("deal"), workspace_id=member.workspace_id, pk=link_id
    )


@router.get("/links", response={200: LinkPage, **ERROR_RESPONSES}, tags=["tracked links"])
def list_links(
    request: HttpRequest, filters: Query[LinkFilter], page: Query[PageParams]
) -> dict[str, Any]:
    """Tracked links of the workspace, newest first; filter by campaign, deal, creator, status."""
    member = member_of(request)
    rows = TrackedLink.objects.filter(workspace_id=member.workspace_id).select_related("deal")
    return paginate(request, filters.filter(rows).order_by("-created_at", "-id"), page)


@router.post(
    "/links",
    response={201: LinkOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["tracked links"],
)
def create_link(request: HttpRequest, payload: LinkIn) -> Status[TrackedLink]:
    """A deal's link (give deal_id) or a creator's link outside a deal (give creator_id). UTM
    values left out get their defaults; an empty one is left out of the redirect target."""
    member = member_of(request)
    fields = payload.model_dump()
    deal_id, creator_id = fields.pop("deal_id"), fields.pop("creator_id")
    if deal_id is None and creator_id is None:
        raise ValidationError(
            {"deal_id": "Give a deal_id, or a creator_id for a link outside a deal."}
        )
    deal = None
    if deal_id is not None:
        deal = _in_workspace(Deal, member, deal_id, "deal_id", "deal")
    if creator_id is not None:
        creator = _in_workspace(Creator, member, creator_id, "creator_id", "creator")
    else:
        assert deal is not None
        creator = deal.creator
    try:
        link = links.tracked_link_create(
            workspace=member.workspace, creator=creator, deal=deal, by=member, **fields
        )
    except ValidationError as exc:
        raise _renamed(exc, {"deal": "deal_id", "creator": "creator_id"}) from exc
    return Status(201, link)


@router.get("/links/{link_id}", response={200: LinkOut, **ERROR_RESPONSES}, tags=["tracked links"])
def get_link(request: HttpRequest, link_id: Id) -> TrackedLink:
    return _link(member_of(request), link_id)


@router.patch(
    "/links/{link_id}",
    response={200: LinkOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["tracked links"],
)
def update_link(request: HttpRequest, link_id: Id, payload: LinkPatch) -> TrackedLink:
    """Change only the fields sent. Pausing needs a fallback URL (send it in the same request or
    before); disabling makes the short link a 404 page. All or nothing."""
    member = member_of(request)
    link = _link(member, link_id)
    fields = payload.model_dump(exclude_unset=True)
    status = fields.pop("status", None)
    with transaction.atomic():
        # leave "paused" before other edits (they may clear the fallback), enter it after them
        # (they may set the fallback it needs)
        if status is not None and status != link.status and status != LinkStatus.PAUSED:
            links.tracked_link_set_status(link=link, status=status, by=member)
        if fields:
            links.tracked_link_update(link=link, by=member, **fields)
        if status == LinkStatus.PAUSED and link.status != LinkStatus.PAUSED:
            links.tracked_link_set_status(link=link, status=status, by=member)
    return link


@router.get(
    "/links/{link_id}/clicks",
    response={200: ClickStatsOut, **ERROR_RESPONSES},
    tags=["tracked links"],
)
def link_clicks(request: HttpRequest, link_id: Id) -> dict[str, Any]:
    """Click counts of one link: human clicks, unique clicks, requests flagged as bots."""
    member = member_of(request)
    link = _link(member, link_id)
    return {"link_id": link.pk, **link_click_stats(workspace=member.workspace, link_id=link.pk)}


@router.get(
    "/links/{link_id}/qr",
    response={200: None, **ERROR_RESPONSES},
    tags=["tracked links"],
    openapi_extra={
        "responses": {
            200: {
                "description": "The short URL as a QR code (error correction M).",
                "content": {
                    "image/svg+xml": {"schema": {"type": "string"}},
                    "image/png": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def link_qr(
    request: HttpRequest,
    link_id: Id,
    fmt: Literal["svg", "png"] = Query("svg", alias="format"),
) -> HttpResponse:
    """The link's short URL as a QR code: `?format=svg` (default) or `?format=png`."""
    link = _link(member_of(request), link_id)
    response = HttpResponse(links.tracked_link_qr(link, fmt=fmt), content_type=QR_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="link-{link.slug}.{fmt}"'
    return response


# --- discount codes ------------------------------------------------------------------------

# The field each service message is about (the messages name it; see tracking/codes.py).
_CODE_ERROR_FIELDS = (
    ("kind", "kind"),
    ("value", "value"),
    ("a percent", "value"),
    ("valid_until", "valid_until"),
    ("count", "count"),
    ("length", "length"),
    ("prefix", "prefix"),
    ("codes can be created only", "store_id"),
    ("the store", "store_id"),
    ("code", "code"),
    ("the code", "code"),
)


def _code_error(exc: codes.DiscountCodeError) -> ValidationError:
    message = str(exc)
    lowered = message.lower()
    if "batch" in lowered:
        return ValidationError({"batch": message})
    for start, field in _CODE_ERROR_FIELDS:
        if lowered.startswith(start):
            return ValidationError({field: message})
    return ValidationError(message)


@router.get("/codes", response={200: CodePage, **ERROR_RESPONSES}, tags=["discount codes"])
def list_codes(
    request: HttpRequest, filters: Query[CodeFilter], page: Query[PageParams]
) -> dict[str, Any]:
    """Discount codes of the workspace by code; filter by campaign, deal, creator, batch."""
    member = member_of(request)
    rows = DiscountCode.objects.filter(workspace_id=member.workspace_id).select_related("deal")
    return paginate(request, filters.filter(rows).order_by("code", "id"), page)


@router.post(
    "/deals/{deal_id}/codes",
    response={201: CodeOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["discount codes"],
)
def create_code(request: HttpRequest, deal_id: Id, payload: CodeIn) -> Status[DiscountCode]:
    """The deal creator's code: the one given, else first name + value (ANNA15), or a random
    one with `pattern: "random"`. Unique in the workspace regardless of letter case."""
    member = member_of(request)
    deal = get_object_or_404(
        Deal.objects.select_related("creator"), workspace_id=member.workspace_id, pk=deal_id
    )
    fields = payload.model_dump()
    pattern = fields.pop("pattern")
    text = fields.pop("code").strip() or (codes.random_code() if pattern == "random" else None)
    try:
        row = codes.discount_code_create(
            workspace=member.workspace,
            creator=deal.creator,
            deal=deal,
            code=text,
            by=member,
            **fields,
        )
    except codes.DiscountCodeError as exc:
        raise _code_error(exc) from exc
    row.refresh_from_db()  # the value as stored (two decimals)
    return Status(201, row)


@router.post(
    "/codes/batches",
    response={201: BatchOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["discount codes"],
)
def create_batch(request: HttpRequest, payload: BatchIn) -> Status[dict[str, Any]]:
    """`count` single-use random codes for a deal's creator (or a creator), named as a batch."""
    member = member_of(request)
    fields = payload.model_dump()
    deal_id, creator_id = fields.pop("deal_id"), fields.pop("creator_id")
    if deal_id is None and creator_id is None:
        raise ValidationError({"deal_id": "Give a deal_id or a creator_id."})
    deal = None if deal_id is None else _in_workspace(Deal, member, deal_id, "deal_id", "deal")
    if creator_id is not None:
        creator = _in_workspace(Creator, member, creator_id, "creator_id", "creator")
        if deal is not None and deal.creator_id != creator.pk:
            raise ValidationError({"deal_id": "This deal belongs to another creator."})
    else:
        assert deal is not None
        creator = deal.creator
    try:
        rows = codes.discount_code_batch_create(
            workspace=member.workspace, creator=creator, deal=deal, by=member, **fields
        )
    except codes.DiscountCodeError as exc:
        raise _code_error(exc) from exc
    batch = rows[0].batch if rows else payload.batch
    return Status(201, {"batch": batch, "count": len(rows), "codes": [r.code for r in rows]})


@router.get(
    "/codes/batches/export",
    response={200: None, **ERROR_RESPONSES},
    tags=["discount codes"],
    openapi_extra={
        "responses": {
            200: {
                "description": "code,kind,value,valid_from,valid_until,single_use,usage_limit,"
                "creator,deal_id,batch",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_batch(request: HttpRequest, batch: str) -> HttpResponse:
    """One batch as CSV for stores without a connector (`?batch=NAME`)."""
    member = member_of(request)
    name = batch.strip()
    found = DiscountCode.objects.filter(workspace_id=member.workspace_id, batch=name).exists()
    if not name or not found:
        raise HttpError(404, "No batch of that name in this workspace.")
    response = HttpResponse(
        codes.discount_codes_csv(workspace=member.workspace, batch=name),
        content_type="text/csv; charset=utf-8",
    )
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)
    response["Content-Disposition"] = f'attachment; filename="codes-{safe}.csv"'
    return response


@router.get(
    "/stores",
    response={200: StorePage, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["discount codes"],
)
def list_stores(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """The workspace's store connections (owners and managers, like the stores page), without
    their secrets: the `store_id` to push codes to, and each store's webhook URL."""
    member = member_of(request)
    rows = StoreConnection.objects.filter(workspace_id=member.workspace_id)
    return paginate(request, rows.order_by("platform", "shop_domain", "id"), page)


@router.patch(
    "/stores/{store_id}",
    response={200: StoreDetailOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["discount codes"],
)
def update_store(request: HttpRequest, store_id: Id, payload: StorePatch) -> StoreConnection:
    """Change a store connection (owners and managers): shop domain, API URL, on/off, and set,
    replace or clear the API token (needed for order sync and code pushes) or replace the
    webhook secret. The token and the secret are never in an answer; the audit log names
    the changed fields only."""
    member = member_of(request)
    store = get_object_or_404(StoreConnection, workspace_id=member.workspace_id, pk=store_id)
    fields = payload.model_dump(exclude_unset=True)
    return services.store_connection_update(
        connection=store,
        by=member,
        shop_domain=fields.get("shop_domain"),
        api_url=fields.get("api_url"),
        active=fields.get("active"),
        api_token=fields.get("api_token") or None,
        clear_api_token=bool(fields.get("clear_api_token")),
        secret=fields.get("secret") or None,
    )


def _store(member: Member, store_id: int) -> StoreConnection:
    store = _in_workspace(StoreConnection, member, store_id, "store_id", "store connection")
    if not store.active:
        raise ValidationError({"store_id": "This store connection is switched off."})
    return store


def _pushed(store: StoreConnection, push: Any) -> dict[str, Any]:
    try:
        created = push()
    except codes.DiscountCodeError as exc:
        raise _code_error(exc) from exc
    except ConnectorError as exc:
        raise HttpError(502, f"The store did not accept the code(s): {exc}") from exc
    return {
        "store_id": store.pk,
        "platform": store.platform,
        "remote_id": created.remote_id,
        "codes": list(created.codes),
    }


PUSH_RESPONSES: dict[int, Any] = {200: PushOut, 502: ErrorOut, **ERROR_RESPONSES}


@router.post(
    "/codes/batches/push", response=PUSH_RESPONSES, auth=WRITE_AUTH, tags=["discount codes"]
)
def push_batch(request: HttpRequest, payload: BatchPushIn) -> dict[str, Any]:
    """Create a whole batch in a connected Shopify or WooCommerce store. 502 when the store
    refuses (its answer is in `detail`)."""
    member = member_of(request)
    store = _store(member, payload.store_id)
    return _pushed(
        store,
        lambda: codes.discount_batch_push(
            workspace=member.workspace, batch=payload.batch.strip(), connection=store, by=member
        ),
    )


@router.post(
    "/codes/{code_id}/push", response=PUSH_RESPONSES, auth=WRITE_AUTH, tags=["discount codes"]
)
def push_code(request: HttpRequest, code_id: Id, payload: PushIn) -> dict[str, Any]:
    """Create the code in a connected Shopify (price rule + code) or WooCommerce (coupon) store.
    502 when the store refuses (its answer is in `detail`)."""
    member = member_of(request)
    code = get_object_or_404(
        DiscountCode.objects.select_related("workspace"),
        workspace_id=member.workspace_id,
        pk=code_id,
    )
    store = _store(member, payload.store_id)
    return _pushed(store, lambda: codes.discount_code_push(code=code, connection=store, by=member))


# --- orders and leaks ----------------------------------------------------------------------


@router.get("/orders", response={200: OrderPage, **ERROR_RESPONSES}, tags=["orders"])
def list_orders(
    request: HttpRequest, filters: Query[OrderFilter], page: Query[PageParams]
) -> dict[str, Any]:
    """Orders, newest first, with money in the shop currency and in the workspace currency
    (newest rate on or before the order day; null without one) and what they were credited to."""
    member = member_of(request)
    workspace = member.workspace
    matched = {True: "yes", False: "no", None: ""}[filters.matched]
    rows = orders_filtered(
        workspace=workspace,
        data={
            "source": filters.store,
            "creator": filters.creator_id,
            "matched": matched,
            "placed_from": filters.placed_from,
            "placed_until": filters.placed_until,
        },
    )
    if filters.campaign_id is not None:
        rows = rows.filter(conversion__deal__campaign_id=filters.campaign_id)
    if filters.status is not None:
        rows = rows.filter(status__iexact=filters.status.strip())
    if filters.cancelled is not None:
        rows = rows.filter(cancelled=filters.cancelled)
    result = paginate(request, rows.order_by("-placed_at", "-id"), page)
    rates = exchange_rates(workspace=workspace) if result["items"] else []
    result["items"] = [_order_out(o, rates, workspace.currency) for o in result["items"]]
    return result


def _order_out(order: Any, rates: list[Any], currency: str) -> dict[str, Any]:
    row = order_row(order=order, rates=rates, currency=currency)

    def converted(amount: Any) -> Any:
        return in_workspace_currency(order=order, amount=amount, rates=rates, currency=currency)

    return {
        "id": order.pk,
        "platform": order.source,
        "external_id": order.external_id,
        "status": order.status,
        "cancelled": order.cancelled,
        "placed_at": order.placed_at,
        "new_customer": order.is_new_customer,
        "currency": order.currency,
        "gross": order.gross,
        "refunded": order.refunded,
        "net": order.net,
        "workspace_currency": currency,
        "gross_workspace": converted(order.gross),
        "refunded_workspace": converted(order.refunded),
        "net_workspace": converted(order.net),
        **{
            key: row[key]
            for key in (
                "matched_by",
                "matched_code",
                "matched_click_id",
                "credited_creator_id",
                "credited_creator",
                "deal_id",
                "leak_suspected",
            )
        },
    }


@router.get("/leaks", response={200: LeakPage, **ERROR_RESPONSES}, tags=["orders"])
def list_leaks(
    request: HttpRequest, filters: Query[LeakFilter], page: Query[PageParams]
) -> dict[str, Any]:
    """Code orders flagged as probable leaks, newest order first, with the evidence of each
    rule that fired (no_click, coupon_site, burst; see docs/webhooks.md)."""
    member = member_of(request)
    rows = leak_suspects(workspace=member.workspace).select_related("deal")
    return paginate(request, filters.filter(rows).order_by("-order__placed_at", "-id"), page)


# --- exchange rates ------------------------------------------------------------------------


def _rate(member: Member, rate_id: int) -> ExchangeRate:
    return get_object_or_404(
        ExchangeRate.objects.select_related("workspace"),
        workspace_id=member.workspace_id,
        pk=rate_id,
    )


@router.get("/exchange-rates", response={200: RatePage, **ERROR_RESPONSES}, tags=["exchange rates"])
def list_rates(
    request: HttpRequest, filters: Query[RateFilter], page: Query[PageParams]
) -> dict[str, Any]:
    """The rate table: 1 unit of `currency` = `rate` units of the workspace currency from
    `valid_from` on (the newest row on or before an order's day applies). By currency, newest
    first."""
    member = member_of(request)
    rows = filters.filter(ExchangeRate.objects.filter(workspace_id=member.workspace_id))
    return paginate(request, rows.order_by("currency", "-valid_from", "-id"), page)


@router.post(
    "/exchange-rates",
    response={201: RateOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["exchange rates"],
)
def create_rate(request: HttpRequest, payload: RateIn) -> Status[ExchangeRate]:
    """One rate per currency and day; the workspace's own currency needs none."""
    member = member_of(request)
    row = rate_services.exchange_rate_create(
        workspace=member.workspace, by=member, **payload.model_dump()
    )
    return Status(201, row)


@router.patch(
    "/exchange-rates/{rate_id}",
    response={200: RateOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["exchange rates"],
)
def update_rate(request: HttpRequest, rate_id: Id, payload: RatePatch) -> ExchangeRate:
    member = member_of(request)
    row = _rate(member, rate_id)
    return rate_services.exchange_rate_update(
        row=row, by=member, **payload.model_dump(exclude_unset=True)
    )


@router.delete(
    "/exchange-rates/{rate_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["exchange rates"],
)
def delete_rate(request: HttpRequest, rate_id: Id) -> Status[None]:
    member = member_of(request)
    rate_services.exchange_rate_delete(row=_rate(member, rate_id), by=member)
    return Status(204, None)
