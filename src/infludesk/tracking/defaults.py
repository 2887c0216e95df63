"""A campaign's tracking defaults and the automatic link and code of every deal.

With defaults set on a campaign (`CampaignTracking`), each deal of it gets, in the transaction
that creates the deal, whichever of these the defaults allow and the deal does not have yet:
- a tracked link to the campaign's landing URL, with the default UTM parameters (utm_source =
  platform, utm_medium = influencer, utm_campaign = campaign slug, utm_content = handle) and the
  `ifd_click` click id added by the redirect;
- a discount code on the default terms: readable (first name + value, ANNA15) or generated
  (prefix + random readable letters).

Deals are created by several paths (one by one in the UI and API, from a shortlist, in bulk,
with the next wave); campaigns may not import tracking, so a `post_save` receiver on Deal
(connected in `TrackingConfig.ready`) calls `deal_tracking_apply` for every new deal.

Idempotent: a deal that already has a tracked link keeps it and gets no second one; likewise a
deal with a (non-batch) discount code. A readable code already taken in the workspace (case is
ignored) gets the first free suffix -2, -3, ... (ANNA15 -> ANNA15-2), so the same inputs always
give the same code.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models.functions import Upper

from infludesk.campaigns.models import Campaign, Deal, Stage
from infludesk.core.audit import audit_record, audit_update, changed_fields, snapshot_fields
from infludesk.core.models import Member
from infludesk.tracking.codes import (
    CODE_RE,
    DiscountCodeError,
    code_push_queue,
    discount_code_create,
    pushable_store_check,
    random_code,
    readable_code,
)
from infludesk.tracking.links import tracked_link_create
from infludesk.tracking.models import (
    CampaignTracking,
    CodePattern,
    DiscountCode,
    DiscountKind,
    StoreConnection,
    TrackedLink,
)

logger = logging.getLogger(__name__)

SKIPPED_STAGES = (Stage.DECLINED, Stage.CANCELLED)
_KEEP = object()
MAX_SUFFIX = 999
_PREFIX_RE = re.compile(r"[A-Za-z0-9]{0,16}")
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class ApplyResult:
    """What a run created: link slugs and codes, and the deals it could not serve (why)."""

    links: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, other: ApplyResult) -> None:
        self.links += other.links
        self.codes += other.codes
        self.problems += other.problems


def campaign_tracking_get(*, campaign: Campaign) -> CampaignTracking | None:
    return CampaignTracking.objects.filter(campaign=campaign).first()


def _validated(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    url = (fields.get("destination_url") or "").strip()
    if url:
        try:
            _url_validator(url)
        except ValidationError:
            errors["destination_url"] = "Enter a full http:// or https:// address."
    kind = fields.get("discount_kind") or DiscountKind.PERCENT
    if kind not in DiscountKind.values:
        errors["discount_kind"] = f"Choose one of {', '.join(DiscountKind.values)}."
    value = fields.get("discount_value")
    if value is not None:
        value = Decimal(value)
        if value <= 0:
            errors["discount_value"] = "The discount must be greater than 0."
        elif kind == DiscountKind.PERCENT and value > 100:
            errors["discount_value"] = "A percent discount cannot exceed 100."
        elif value != value.quantize(Decimal("0.01")):
            errors["discount_value"] = "Use at most 2 decimal places."
        else:
            value = value.quantize(Decimal("0.01"))
    pattern = fields.get("code_pattern") or CodePattern.READABLE
    if pattern not in CodePattern.values:
        errors["code_pattern"] = f"Choose one of {', '.join(CodePattern.values)}."
    prefix = (fields.get("code_prefix") or "").strip()
    if not _PREFIX_RE.fullmatch(prefix):
        errors["code_prefix"] = "Up to 16 letters and digits (no spaces)."
    valid_from: dt.date | None = fields.get("valid_from")
    valid_until: dt.date | None = fields.get("valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = "The code cannot end before it starts."
    if not url and value is None:
        errors["destination_url"] = (
            "Set a landing URL (for the links), a discount value (for the codes), or both."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "destination_url": url,
        "utm_medium": (fields.get("utm_medium") or "").strip(),
        "utm_campaign": (fields.get("utm_campaign") or "").strip(),
        "discount_kind": kind,
        "discount_value": value,
        "code_pattern": pattern,
        "code_prefix": prefix.upper(),
        "valid_from": valid_from,
        "valid_until": valid_until,
    }


@transaction.atomic
def campaign_tracking_save(
    *,
    campaign: Campaign,
    by: Member | None,
    destination_url: str = "",
    utm_medium: str = "influencer",
    utm_campaign: str = "",
    discount_kind: str = DiscountKind.PERCENT,
    discount_value: Decimal | None = None,
    code_pattern: str = CodePattern.READABLE,
    code_prefix: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    push_store: StoreConnection | object | None = _KEEP,
) -> tuple[CampaignTracking, ApplyResult]:
    """Set the campaign's tracking defaults, then give every deal that lacks them its link and
    code (`campaign_tracking_fill`). Raises ValidationError keyed by field.

    `push_store`: codes made from the defaults from now on are created in that store by a
    background task (None: not pushed; left out: unchanged)."""
    if push_store is not _KEEP and push_store is not None:
        assert isinstance(push_store, StoreConnection)
        try:
            pushable_store_check(workspace=campaign.workspace, store=push_store)
        except DiscountCodeError as exc:
            raise ValidationError({"push_store": str(exc)}) from exc
    values = _validated(
        {
            "destination_url": destination_url,
            "utm_medium": utm_medium,
            "utm_campaign": utm_campaign,
            "discount_kind": discount_kind,
            "discount_value": discount_value,
            "code_pattern": code_pattern,
            "code_prefix": code_prefix,
            "valid_from": valid_from,
            "valid_until": valid_until,
        }
    )
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if push_store is not _KEEP:
        values["push_store"] = push_store
    defaults = CampaignTracking.objects.filter(campaign=campaign).first()
    if defaults is None:
        defaults = CampaignTracking(workspace_id=campaign.workspace_id, campaign=campaign)
        for name, value in values.items():
            setattr(defaults, name, value)
        defaults.full_clean(exclude=["workspace", "campaign"], validate_unique=False)
        defaults.save()
        audit_record(
            workspace=campaign.workspace,
            actor=by,
            action="campaign_tracking.create",
            target=defaults,
            changes=changed_fields({}, snapshot_fields(defaults)),
        )
    else:
        before = snapshot_fields(defaults)
        for name, value in values.items():
            setattr(defaults, name, value)
        defaults.full_clean(exclude=["workspace", "campaign"], validate_unique=False)
        defaults.save()
        audit_update(target=defaults, before=before, actor=by, action="campaign_tracking.update")
    return defaults, campaign_tracking_fill(campaign=campaign, by=by, defaults=defaults)


@transaction.atomic
def campaign_tracking_fill(
    *, campaign: Campaign, by: Member | None, defaults: CampaignTracking | None = None
) -> ApplyResult:
    """Create the missing links and codes of all the campaign's deals (declined and
    cancelled deals are left alone). Running it twice creates nothing the second time."""
    defaults = defaults or campaign_tracking_get(campaign=campaign)
    result = ApplyResult()
    if defaults is None:
        return result
    deals = (
        Deal.objects.filter(campaign=campaign)
        .exclude(stage__in=SKIPPED_STAGES)
        .select_related("campaign", "creator", "account")
        .order_by("pk")
    )
    for deal in deals:
        result.add(deal_tracking_apply(deal=deal, by=by, defaults=defaults, lock=True))
    return result


def deal_tracking_missing(*, deal: Deal) -> dict[str, bool]:
    """Which of the automatic parts the deal still lacks: {"link": ..., "code": ...}."""
    return {
        "link": not TrackedLink.objects.filter(deal=deal).exists(),
        "code": not DiscountCode.objects.filter(deal=deal, batch="").exists(),
    }


@transaction.atomic
def deal_tracking_apply(
    *,
    deal: Deal,
    by: Member | None,
    defaults: CampaignTracking | None = None,
    lock: bool = False,
) -> ApplyResult:
    """Give the deal its tracked link and discount code from the campaign's defaults, each
    only when the defaults allow it and the deal has none yet. A part that cannot be created
    is reported in `problems` and never undoes the rest (nor the deal's own creation).

    `lock` serialises concurrent runs on an existing deal (row lock on PostgreSQL; SQLite's
    write transactions are serial anyway)."""
    result = ApplyResult()
    if deal.stage in SKIPPED_STAGES:
        return result
    if defaults is None:
        defaults = CampaignTracking.objects.filter(campaign_id=deal.campaign_id).first()
        if defaults is None:
            return result
    if lock:
        Deal.objects.select_for_update().filter(pk=deal.pk).first()
    missing = deal_tracking_missing(deal=deal)
    changes: dict[str, list[Any]] = {}
    if defaults.makes_links and missing["link"]:
        try:
            with transaction.atomic():
                link = tracked_link_create(
                    workspace=deal.workspace,
                    creator=deal.creator,
                    deal=deal,
                    destination_url=defaults.destination_url,
                    utm_medium=defaults.utm_medium,
                    utm_campaign=defaults.utm_campaign or None,
                    by=by,
                )
            result.links.append(link.slug)
            changes["tracked_link"] = [None, link.slug]
        except ValidationError as exc:
            result.problems.append(f"{deal.creator}: link not created ({'; '.join(exc.messages)})")
    if defaults.makes_codes and missing["code"]:
        try:
            code = _create_code(deal=deal, defaults=defaults, by=by)
            result.codes.append(code.code)
            changes["discount_code"] = [None, code.code]
            if defaults.push_store is not None:
                code_push_queue(code=code, store=defaults.push_store, by=by)
        except DiscountCodeError as exc:
            result.problems.append(f"{deal.creator}: code not created ({exc})")
    if changes:
        audit_record(
            workspace=deal.workspace,
            actor=by,
            action="deal.tracking_from_defaults",
            target=deal,
            changes=changes,
        )
    for problem in result.problems:
        logger.warning("tracking defaults of campaign %s: %s", deal.campaign_id, problem)
    return result


def readable_code_with_suffix(*, base: str, taken: set[str]) -> str:
    """`base` when free, else the first free of base-2, base-3, ... (`taken` in capitals).

    ANNA15 with ANNA15 and ANNA15-2 taken gives ANNA15-3."""
    if base.upper() not in taken:
        return base
    for n in range(2, MAX_SUFFIX + 1):
        candidate = f"{base}-{n}"
        if candidate.upper() not in taken:
            return candidate
    raise DiscountCodeError(f"{base} and {base}-2 to {base}-{MAX_SUFFIX} are all taken")


def _taken_like(deal: Deal, base: str) -> set[str]:
    return set(
        DiscountCode.objects.annotate(u=Upper("code"))
        .filter(workspace_id=deal.workspace_id, u__startswith=base.upper())
        .values_list("u", flat=True)
    )


def _create_code(*, deal: Deal, defaults: CampaignTracking, by: Member | None) -> DiscountCode:
    assert defaults.discount_value is not None
    value = defaults.discount_value
    base = ""
    if defaults.code_pattern == CodePattern.READABLE:
        base = readable_code(deal.creator.first_name or deal.creator.name, value)
        if not CODE_RE.fullmatch(base):  # a name without Latin letters: fall back to random
            base = ""
    last_error: DiscountCodeError | None = None
    for _attempt in range(5):  # a clash with a code created meanwhile: look again
        if base:
            text = readable_code_with_suffix(base=base, taken=_taken_like(deal, base))
        else:
            text = random_code(length=8, prefix=defaults.code_prefix)
        try:
            with transaction.atomic():
                return discount_code_create(
                    workspace=deal.workspace,
                    creator=deal.creator,
                    deal=deal,
                    code=text,
                    kind=defaults.discount_kind,
                    value=value,
                    valid_from=defaults.valid_from,
                    valid_until=defaults.valid_until,
                    by=by,
                )
        except DiscountCodeError as exc:
            if "already exists" not in str(exc):
                raise
            last_error = exc
    assert last_error is not None
    raise last_error


def on_deal_created(sender: type[Deal], instance: Deal, created: bool, **kwargs: Any) -> None:
    """post_save receiver (connected in TrackingConfig.ready): a new deal gets its link and
    code from the campaign's defaults in the transaction that creates it. Fixture loading
    (raw saves) is left alone. The entries name the member of the current request (core/audit.py
    request-scoped actor); the deal's own audit entry (deal.create) names who added it too."""
    if not created or kwargs.get("raw"):
        return
    deal_tracking_apply(deal=instance, by=None)
