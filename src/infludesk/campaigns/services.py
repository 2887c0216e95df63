"""Writes for campaigns: every change goes through a function here (see STYLE.md).

Each service is keyword-only, runs in one transaction, validates with ``full_clean()`` plus the
rules the database cannot phrase for a person (end before start, a creator from another
workspace), and records an audit entry with the before/after of the changed fields. Invalid
input raises ``django.core.exceptions.ValidationError`` keyed by field name; a unique clash that
slips past the checks (two requests racing) is turned into the same error, never an
IntegrityError.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from infludesk.campaigns.files import delete_stored_on_commit
from infludesk.campaigns.models import Campaign, Deal, DealFile, Wave
from infludesk.campaigns.pipeline import deal_facts, transition_errors
from infludesk.core.audit import audit_record, audit_update, changed_fields, snapshot_fields
from infludesk.core.models import Member, Workspace
from infludesk.core.writes import check_fields, save_unique
from infludesk.creators.models import Creator, SocialAccount

CAMPAIGN_FIELDS = frozenset(
    {
        "name",
        "slug",
        "product",
        "objective",
        "type",
        "status",
        "starts_on",
        "ends_on",
        "budget",
        "currency",
        "audience_notes",
        "channels",
    }
)
DEAL_FIELDS = frozenset(
    {
        "wave",
        "account",
        "stage",
        "fee_cash",
        "product_value",
        "commission_pct",
        "currency",
        "notes",
    }
)
SLUG_MAX = Campaign._meta.get_field("slug").max_length or 80


def _quantize(instance: models.Model, names: Iterable[str]) -> None:
    """Round decimals to their column's places now, so the returned object shows what the
    database will hold ("12.50", not "12.5")."""
    for name in names:
        value = getattr(instance, name)
        places = instance._meta.get_field(name).decimal_places  # type: ignore[union-attr]
        if isinstance(value, Decimal) and value.is_finite():
            setattr(instance, name, value.quantize(Decimal(1).scaleb(-places)))


# --- campaigns -----------------------------------------------------------------------------


def _unique_slug(*, workspace: Workspace, name: str, exclude_pk: int | None = None) -> str:
    """slugify(name), with -2, -3 ... appended until no other campaign of the workspace has it."""
    base = slugify(name)[: SLUG_MAX - 6].strip("-") or "campaign"
    others = Campaign.objects.filter(workspace=workspace, slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _validate_campaign(campaign: Campaign) -> None:
    errors: dict[str, str] = {}
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = "The end date must be on or after the start date."
    if campaign.budget is not None and campaign.budget < 0:
        errors["budget"] = "The budget cannot be negative."
    if campaign.slug and (
        Campaign.objects.filter(workspace_id=campaign.workspace_id, slug=campaign.slug)
        .exclude(pk=campaign.pk)
        .exists()
    ):
        errors["slug"] = (
            f"Another campaign in this workspace already uses the slug {campaign.slug!r}."
        )
    if errors:
        raise ValidationError(errors)
    # validate_constraints=False: the checks above phrase them per field; the database still
    # enforces them, and save_unique() maps a racing duplicate.
    campaign.full_clean(exclude=["workspace"], validate_unique=False, validate_constraints=False)
    _quantize(campaign, ["budget"])


@transaction.atomic
def campaign_create(*, workspace: Workspace, by: Member | None, **fields: Any) -> Campaign:
    """Create a campaign. Without a slug one is made from the name, unique in the workspace;
    without a currency the workspace's currency applies."""
    check_fields(fields, CAMPAIGN_FIELDS, "campaign_create")
    if not fields.get("slug"):
        fields["slug"] = _unique_slug(workspace=workspace, name=str(fields.get("name") or ""))
    if not fields.get("currency"):
        fields["currency"] = workspace.currency
    campaign = Campaign(workspace=workspace, **fields)
    _validate_campaign(campaign)
    save_unique(campaign, clash_field="slug", clash_message="This slug is already in use.")
    audit_record(
        workspace=workspace,
        actor=by,
        action="campaign.create",
        target=campaign,
        changes=changed_fields({}, snapshot_fields(campaign)),
    )
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, by: Member | None, **fields: Any) -> Campaign:
    """Change the given fields of a campaign. A blank slug keeps the current one."""
    check_fields(fields, CAMPAIGN_FIELDS, "campaign_update")
    if "slug" in fields and not fields["slug"]:
        del fields["slug"]
    if "currency" in fields and not fields["currency"]:
        del fields["currency"]
    before = snapshot_fields(campaign)
    for name, value in fields.items():
        setattr(campaign, name, value)
    _validate_campaign(campaign)
    save_unique(campaign, clash_field="slug", clash_message="This slug is already in use.")
    audit_update(target=campaign, before=before, actor=by, action="campaign.update")
    return campaign


@transaction.atomic
def campaign_delete(*, campaign: Campaign, by: Member | None) -> None:
    """Delete a campaign with its waves, goals and deals (they cannot outlive it)."""
    audit_record(
        workspace=campaign.workspace,
        actor=by,
        action="campaign.delete",
        target=campaign,
        changes=changed_fields(snapshot_fields(campaign), {}),
    )
    delete_stored_on_commit(
        DealFile.objects.filter(deal__campaign=campaign).values_list("file", flat=True)
    )
    campaign.delete()


# --- deals ---------------------------------------------------------------------------------


def _validate_deal(deal: Deal, *, workspace_id: int) -> None:
    """The campaign, creator, wave and account must all be the workspace's and fit together."""
    errors: dict[str, str] = {}
    campaign: Campaign = deal.campaign
    creator: Creator = deal.creator
    if campaign.workspace_id != workspace_id:
        errors["campaign"] = "No such campaign in this workspace."
    if creator.workspace_id != workspace_id:
        errors["creator"] = "No such creator in this workspace."
    wave: Wave | None = deal.wave
    if wave is not None and wave.campaign_id != campaign.pk:
        errors["wave"] = "This wave belongs to another campaign."
    account: SocialAccount | None = deal.account
    if account is not None and account.creator_id != creator.pk:
        errors["account"] = "This social account belongs to another creator."
    for money in ("fee_cash", "product_value"):
        value = getattr(deal, money)
        if value is not None and value < 0:
            errors[money] = "Amounts cannot be negative."
    if deal.commission_pct is not None and not 0 <= deal.commission_pct <= 100:
        errors["commission_pct"] = "The commission is a percentage between 0 and 100."
    if (
        not errors
        and Deal.objects.filter(campaign_id=campaign.pk, creator_id=creator.pk, wave=wave)
        .exclude(pk=deal.pk)
        .exists()
    ):
        errors["creator"] = f"{creator} already has a deal in {wave or campaign}."
    if errors:
        raise ValidationError(errors)
    deal.full_clean(
        exclude=["workspace", "campaign", "creator", "wave", "account"],
        validate_unique=False,
        validate_constraints=False,
    )
    _quantize(deal, ["fee_cash", "product_value", "commission_pct"])


@transaction.atomic
def deal_create(
    *, workspace: Workspace, campaign: Campaign, creator: Creator, by: Member | None, **fields: Any
) -> Deal:
    """Add a creator to a campaign. Both must be in ``workspace``; one deal per pair.
    Without a currency the campaign's currency applies."""
    check_fields(fields, DEAL_FIELDS, "deal_create")
    if not fields.get("currency"):
        fields["currency"] = campaign.currency
    deal = Deal(workspace=workspace, campaign=campaign, creator=creator, **fields)
    deal.stage_changed_at = timezone.now()
    _validate_deal(deal, workspace_id=workspace.pk)
    save_unique(deal, clash_field="creator", clash_message="This creator already has a deal here.")
    audit_record(
        workspace=workspace,
        actor=by,
        action="deal.create",
        target=deal,
        changes=changed_fields({}, snapshot_fields(deal)),
    )
    return deal


@transaction.atomic
def deal_update(*, deal: Deal, by: Member | None, **fields: Any) -> Deal:
    """Change the given fields of a deal; a stage change follows the pipeline's rules
    (campaigns/pipeline.py) and stamps ``stage_changed_at``."""
    check_fields(fields, DEAL_FIELDS, "deal_update")
    if "currency" in fields and not fields["currency"]:
        del fields["currency"]
    before = snapshot_fields(deal)
    old_stage = deal.stage
    for name, value in fields.items():
        setattr(deal, name, value)
    if deal.stage != old_stage:
        problems = transition_errors(old_stage, deal.stage, deal_facts(deal))
        if problems:
            raise ValidationError({"stage": problems})
        deal.stage_changed_at = timezone.now()
    _validate_deal(deal, workspace_id=deal.workspace_id)
    save_unique(deal, clash_field="creator", clash_message="This creator already has a deal here.")
    audit_update(target=deal, before=before, actor=by, action="deal.update")
    return deal


@transaction.atomic
def deal_delete(*, deal: Deal, by: Member | None) -> None:
    """Remove a creator from a campaign, with the deal's deliverables, shipments and payments."""
    audit_record(
        workspace=deal.workspace,
        actor=by,
        action="deal.delete",
        target=deal,
        changes=changed_fields(snapshot_fields(deal), {}),
    )
    delete_stored_on_commit(DealFile.objects.filter(deal=deal).values_list("file", flat=True))
    deal.delete()
