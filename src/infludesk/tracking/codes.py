"""Discount codes: readable per-creator codes (ANNA15), batches of single-use codes, CSV
export for other stores, and creation in Shopify / WooCommerce through the connectors.

Codes are unique per workspace regardless of letter case (the database enforces it too).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
import unicodedata
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models.functions import Upper

from infludesk.campaigns.models import Deal
from infludesk.connectors.base import (
    ConnectorError,
    CreatedDiscount,
    DiscountSpec,
    StoreConnector,
)
from infludesk.core.audit import audit_record
from infludesk.core.models import Member, Workspace
from infludesk.creators.models import Creator
from infludesk.tracking.models import (
    CodePush,
    DiscountCode,
    DiscountKind,
    PushStatus,
    StoreConnection,
    StorePlatform,
)

# No 0/O, 1/I/L: codes are read aloud in videos and typed from screenshots.
READABLE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{3,64}$")
MAX_BATCH = 10_000
CSV_COLUMNS = (
    "code",
    "kind",
    "value",
    "valid_from",
    "valid_until",
    "single_use",
    "usage_limit",
    "creator",
    "deal_id",
    "batch",
)


class DiscountCodeError(ValueError):
    """A code that cannot be created; the message says why and what to do."""


def readable_code(first_name: str, value: Decimal) -> str:
    """Creator's first name in capitals (accents dropped) + the value: Anna, 15 -> ANNA15."""
    ascii_name = unicodedata.normalize("NFKD", first_name).encode("ascii", "ignore").decode()
    letters = re.sub(r"[^A-Za-z0-9]", "", ascii_name).upper()[:20]
    amount = Decimal(value)
    number = str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"
    return letters + number.replace(".", "")


def random_code(*, length: int = 8, prefix: str = "") -> str:
    return prefix.upper() + "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))


def _check_terms(
    kind: str, value: Decimal, valid_from: dt.date | None, valid_until: dt.date | None
) -> None:
    if kind not in DiscountKind.values:
        raise DiscountCodeError(f"kind must be one of {', '.join(DiscountKind.values)}")
    if value <= 0:
        raise DiscountCodeError("value must be greater than 0")
    if kind == DiscountKind.PERCENT and value > 100:
        raise DiscountCodeError("a percent discount cannot exceed 100")
    if valid_from and valid_until and valid_until < valid_from:
        raise DiscountCodeError("valid_until must not be before valid_from")


def _taken(workspace: Workspace, codes: list[str]) -> set[str]:
    upper = [c.upper() for c in codes]
    found: set[str] = set()
    for start in range(0, len(upper), 500):
        found.update(
            DiscountCode.objects.annotate(u=Upper("code"))
            .filter(workspace=workspace, u__in=upper[start : start + 500])
            .values_list("u", flat=True)
        )
    return found


@transaction.atomic
def discount_code_create(
    *,
    workspace: Workspace,
    creator: Creator,
    kind: str = DiscountKind.PERCENT,
    value: Decimal,
    code: str | None = None,
    deal: Deal | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    single_use: bool = False,
    by: Member | None = None,
) -> DiscountCode:
    """A creator's code: the given one, or first name + value (ANNA15) when none is given."""
    if creator.workspace_id != workspace.pk or (deal and deal.workspace_id != workspace.pk):
        raise DiscountCodeError("the creator and deal must belong to this workspace")
    _check_terms(kind, value, valid_from, valid_until)
    text = (code or "").strip() or readable_code(creator.first_name or creator.name, value)
    if not CODE_RE.fullmatch(text):
        raise DiscountCodeError(
            f"code {text!r} must be 3 to 64 letters, digits, '-' or '_' (no spaces)"
        )
    if _taken(workspace, [text]):
        raise DiscountCodeError(
            f"the code {text.upper()} already exists in this workspace "
            "(codes are compared without regard to case); choose another code"
        )
    row = DiscountCode(
        workspace=workspace,
        creator=creator,
        deal=deal,
        code=text,
        kind=kind,
        value=value,
        valid_from=valid_from,
        valid_until=valid_until,
        single_use=single_use,
    )
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise DiscountCodeError(
            f"the code {text.upper()} already exists in this workspace"
        ) from exc
    audit_record(workspace=workspace, actor=by, action="discount_code.create", target=row)
    return row


@transaction.atomic
def discount_code_batch_create(
    *,
    workspace: Workspace,
    creator: Creator,
    count: int,
    kind: str = DiscountKind.PERCENT,
    value: Decimal,
    batch: str,
    prefix: str = "",
    length: int = 8,
    deal: Deal | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    by: Member | None = None,
) -> list[DiscountCode]:
    """`count` single-use random codes (readable alphabet), unique in the workspace.

    31^8 ~ 8.5e11 possible codes of length 8, so collisions are rare; any found (in the batch
    or the workspace) are replaced by fresh draws.
    """
    if not 1 <= count <= MAX_BATCH:
        raise DiscountCodeError(f"count must be between 1 and {MAX_BATCH}")
    if not 6 <= length <= 32:
        raise DiscountCodeError("length must be between 6 and 32")
    if prefix and not re.fullmatch(r"[A-Za-z0-9]{0,16}", prefix):
        raise DiscountCodeError("prefix may only hold up to 16 letters and digits")
    if not batch.strip():
        raise DiscountCodeError("a batch needs a name")
    if DiscountCode.objects.filter(workspace=workspace, batch=batch.strip()).exists():
        raise DiscountCodeError(f"a batch named {batch.strip()!r} already exists")
    _check_terms(kind, value, valid_from, valid_until)
    codes: set[str] = set()
    while len(codes) < count:
        draw = {random_code(length=length, prefix=prefix) for _ in range(count - len(codes))}
        codes |= draw - _taken(workspace, list(draw))
    rows = [
        DiscountCode(
            workspace=workspace,
            creator=creator,
            deal=deal,
            code=c,
            kind=kind,
            value=value,
            valid_from=valid_from,
            valid_until=valid_until,
            single_use=True,
            batch=batch.strip()[:60],
        )
        for c in sorted(codes)
    ]
    DiscountCode.objects.bulk_create(rows, batch_size=500)
    if rows:
        audit_record(
            workspace=workspace,
            actor=by,
            action="discount_code.batch_create",
            target=creator,
            changes={"batch": [None, batch.strip()], "count": [0, len(rows)]},
        )
    return rows


def discount_codes_csv(*, workspace: Workspace, batch: str | None = None) -> str:
    """The workspace's codes (or one batch) as CSV for stores without a connector.

    Columns: code, kind, value, valid_from, valid_until, single_use, usage_limit (1 for
    single-use codes, empty otherwise), creator, deal_id, batch.
    """
    rows = DiscountCode.objects.filter(workspace=workspace).select_related("creator")
    if batch is not None:
        rows = rows.filter(batch=batch)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows.order_by("code"):
        writer.writerow(
            [
                row.code,
                row.kind,
                f"{row.value:.2f}",
                row.valid_from.isoformat() if row.valid_from else "",
                row.valid_until.isoformat() if row.valid_until else "",
                "true" if row.single_use else "false",
                "1" if row.single_use else "",
                row.creator.name,
                row.deal_id or "",
                row.batch,
            ]
        )
    return out.getvalue()


def _spec(code: DiscountCode, title: str = "") -> DiscountSpec:
    return DiscountSpec(
        code=code.code,
        kind="fixed" if code.kind == DiscountKind.FIXED else "percent",
        value=code.value,
        starts_on=code.valid_from,
        ends_on=code.valid_until,
        single_use=code.single_use,
        title=title,
    )


def _store_connector(connection: StoreConnection) -> StoreConnector:
    from infludesk.connectors.base import connector_for

    if connection.platform not in (StorePlatform.SHOPIFY, StorePlatform.WOOCOMMERCE):
        raise DiscountCodeError("codes can be created only in Shopify and WooCommerce stores")
    base_url = connection.api_url or f"https://{connection.shop_domain}"
    return connector_for(connection.platform)(base_url=base_url, token=connection.api_token)


def discount_code_push(
    *,
    code: DiscountCode,
    connection: StoreConnection,
    connector: StoreConnector | None = None,
    by: Member | None = None,
) -> CreatedDiscount:
    """Create the code in the store (Shopify price rule + code, or a WooCommerce coupon)."""
    if connection.workspace_id != code.workspace_id:
        raise DiscountCodeError("the store belongs to another workspace")
    done = CodePush.objects.filter(code=code, store=connection, status=PushStatus.PUSHED).first()
    if done is not None:
        raise DiscountCodeError(
            f"{code.code} is already in this store (id {done.remote_id}); it is never created twice"
        )
    created = (connector or _store_connector(connection)).create_discount(spec=_spec(code))
    with transaction.atomic():
        CodePush.objects.update_or_create(
            code=code,
            store=connection,
            defaults={
                "workspace_id": code.workspace_id,
                "status": PushStatus.PUSHED,
                "remote_id": created.remote_id[:64],
                "error": "",
            },
        )
        audit_record(
            workspace=code.workspace,
            actor=by,
            action="discount_code.push",
            target=code,
            changes={"store": [None, connection.platform], "remote_id": [None, created.remote_id]},
        )
    return created


def pushable_store_check(*, workspace: Workspace, store: StoreConnection) -> None:
    """Codes can be created in the workspace's active Shopify / WooCommerce stores with an API
    token; anything else raises DiscountCodeError saying why."""
    if store.workspace_id != workspace.pk:
        raise DiscountCodeError("the store belongs to another workspace")
    if store.platform not in (StorePlatform.SHOPIFY, StorePlatform.WOOCOMMERCE):
        raise DiscountCodeError("codes can be created only in Shopify and WooCommerce stores")
    if not store.active or not store.api_token:
        raise DiscountCodeError("the store connection is switched off or has no API token")


def code_push_queue(*, code: DiscountCode, store: StoreConnection, by: Member | None) -> CodePush:
    """Queue the creation of `code` in `store` (the background task `push_code_to_store` runs
    it after commit). A code already pushed or queued there is left as it is: never twice."""
    push, created = CodePush.objects.get_or_create(
        code=code, store=store, defaults={"workspace_id": code.workspace_id}
    )
    if created:
        audit_record(
            workspace=code.workspace,
            actor=by,
            action="discount_code.push_queued",
            target=code,
            changes={"store": [None, store.platform]},
        )
        _enqueue_after_commit(push.pk)
    return push


def code_push_retry(*, push: CodePush, by: Member | None) -> CodePush:
    """Queue a failed push again; a pushed or waiting one is left alone."""
    with transaction.atomic():
        updated = CodePush.objects.filter(pk=push.pk, status=PushStatus.FAILED).update(
            status=PushStatus.PENDING
        )
        if updated:
            audit_record(
                workspace=push.code.workspace,
                actor=by,
                action="discount_code.push_retry",
                target=push.code,
                changes={"status": [PushStatus.FAILED, PushStatus.PENDING]},
            )
            _enqueue_after_commit(push.pk)
    push.refresh_from_db()
    return push


def _enqueue_after_commit(push_id: int) -> None:
    from infludesk.tracking.tasks import push_code_to_store

    transaction.on_commit(lambda: push_code_to_store.enqueue(push_id=push_id))


def code_push_attempt(*, push_id: int, connector: StoreConnector | None = None) -> str:
    """Create a queued code in its store (what the task runs). Idempotent: a push already done
    returns "pushed" without calling the store; the row lock (PostgreSQL) keeps two workers
    from creating it twice. A refusal is kept on the row ("failed") for the deal page."""
    with transaction.atomic():
        push = (
            CodePush.objects.select_for_update()
            .select_related("code__workspace", "store")
            .filter(pk=push_id)
            .first()
        )
        if push is None:
            return "gone"
        if push.status == PushStatus.PUSHED:
            return "pushed"
        code, store = push.code, push.store
        push.attempts += 1
        try:
            pushable_store_check(workspace=code.workspace, store=store)
            created = (connector or _store_connector(store)).create_discount(spec=_spec(code))
        except (ConnectorError, DiscountCodeError) as exc:
            push.status = PushStatus.FAILED
            push.error = f"The store did not accept the code: {exc}"[:2000]
            push.save(update_fields=["status", "error", "attempts", "updated_at"])
            audit_record(
                workspace=code.workspace,
                actor=None,
                action="discount_code.push_failed",
                target=code,
                changes={"store": [None, store.platform], "error": [None, push.error]},
            )
            return "failed"
        push.status, push.remote_id, push.error = PushStatus.PUSHED, created.remote_id[:64], ""
        push.save(update_fields=["status", "remote_id", "error", "attempts", "updated_at"])
        audit_record(
            workspace=code.workspace,
            actor=None,
            action="discount_code.push",
            target=code,
            changes={"store": [None, store.platform], "remote_id": [None, created.remote_id]},
        )
        return "pushed"


def discount_batch_push(
    *,
    workspace: Workspace,
    batch: str,
    connection: StoreConnection,
    connector: StoreConnector | None = None,
    by: Member | None = None,
) -> CreatedDiscount:
    """Create a whole batch in the store: one price rule + batch jobs, or coupon batches."""
    if connection.workspace_id != workspace.pk:
        raise DiscountCodeError("the store belongs to another workspace")
    codes = list(DiscountCode.objects.filter(workspace=workspace, batch=batch).order_by("code"))
    if not codes:
        raise DiscountCodeError(f"no codes in batch {batch!r}")
    created = (connector or _store_connector(connection)).create_discount_batch(
        spec=_spec(codes[0], title=batch), codes=[c.code for c in codes]
    )
    audit_record(
        workspace=workspace,
        actor=by,
        action="discount_code.batch_push",
        target=connection,
        changes={"batch": [None, batch], "codes": [0, len(created.codes)]},
    )
    return created
