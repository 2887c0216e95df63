"""Waves (short runs of a campaign) and adding creators to a campaign in one action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from infludesk.campaigns.models import Campaign, Deal, Stage, Wave
from infludesk.campaigns.services import deal_create
from infludesk.core.audit import audit_record, audit_update, changed_fields, snapshot_fields
from infludesk.core.models import Member
from infludesk.creators.models import Creator, Shortlist


def _wave_errors(
    campaign: Campaign, starts_on: dt.date | None, ends_on: dt.date | None, budget: Decimal
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if budget < 0:
        errors["budget"] = ["The budget cannot be negative."]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = ["The wave ends before it starts."]
    if starts_on and campaign.starts_on and starts_on < campaign.starts_on:
        errors["starts_on"] = [f"The wave starts before the campaign ({campaign.starts_on})."]
    if ends_on and campaign.ends_on and ends_on > campaign.ends_on:
        errors["ends_on"] = [f"The wave ends after the campaign ({campaign.ends_on})."]
    return errors


@transaction.atomic
def wave_create(
    *,
    campaign: Campaign,
    by: Member | None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    budget: Decimal = Decimal(0),
    name: str = "",
) -> Wave:
    """Add the campaign's next wave (numbered 1, 2, ...), inside the campaign's dates."""
    errors = _wave_errors(campaign, starts_on, ends_on, Decimal(budget))
    if errors:
        raise ValidationError(errors)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    number = (campaign.waves.aggregate(n=Max("number"))["n"] or 0) + 1
    wave = Wave.objects.create(
        workspace=campaign.workspace,
        campaign=campaign,
        number=number,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        budget=budget,
    )
    audit_record(
        workspace=campaign.workspace,
        actor=by,
        action="wave.create",
        target=wave,
        changes=changed_fields({}, snapshot_fields(wave)),
    )
    return wave


@transaction.atomic
def wave_next(
    *,
    wave: Wave,
    keep_creator_ids: list[int],
    by: Member | None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    budget: Decimal | None = None,
) -> Wave:
    """Start the next wave from this one, keeping the chosen creators: each gets a new deal
    with the same account and terms, back at 'prospect' (a new wave is a new agreement)."""
    previous = {
        d.creator_id: d
        for d in Deal.objects.filter(wave=wave).exclude(stage__in=[Stage.DECLINED, Stage.CANCELLED])
    }
    unknown = sorted(set(keep_creator_ids) - set(previous))
    if unknown:
        raise ValidationError(
            {"keep_creator_ids": [f"Not in wave {wave.number}: creator id(s) {unknown}."]}
        )
    new = wave_create(
        campaign=wave.campaign,
        by=by,
        starts_on=starts_on,
        ends_on=ends_on,
        budget=wave.budget if budget is None else budget,
    )
    for creator_id in keep_creator_ids:
        old = previous[creator_id]
        deal_create(
            workspace=wave.workspace,
            campaign=wave.campaign,
            creator=old.creator,
            by=by,
            wave=new,
            account=old.account,
            fee_cash=old.fee_cash,
            product_value=old.product_value,
            commission_pct=old.commission_pct,
            currency=old.currency,
        )
    return new


@dataclass
class AddResult:
    added: list[Deal] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def deals_add(
    *,
    campaign: Campaign,
    by: Member | None,
    creator_ids: list[int] | None = None,
    shortlist: Shortlist | None = None,
    wave: Wave | None = None,
    **terms: Any,
) -> AddResult:
    """Add creators to a campaign (one by one, from a search's ids or a whole shortlist) as
    prospects; those already in the campaign (or wave) are skipped and named."""
    ids = list(creator_ids or [])
    if shortlist is not None:
        if shortlist.workspace_id != campaign.workspace_id:
            raise ValidationError({"shortlist": ["No such shortlist in this workspace."]})
        ids += list(shortlist.entries.values_list("creator_id", flat=True))
    creators = {c.pk: c for c in Creator.objects.filter(workspace=campaign.workspace, pk__in=ids)}
    missing = sorted(set(ids) - set(creators))
    if missing:
        raise ValidationError({"creator_ids": [f"No such creator(s) here: {missing}."]})
    taken = set(
        Deal.objects.filter(campaign=campaign, wave=wave).values_list("creator_id", flat=True)
    )
    result = AddResult()
    for creator_id in dict.fromkeys(ids):
        creator = creators[creator_id]
        if creator_id in taken:
            result.skipped.append(f"{creator.name} is already in {wave or campaign}.")
            continue
        account = creator.accounts.order_by("-followers").first()
        result.added.append(
            deal_create(
                workspace=campaign.workspace,
                campaign=campaign,
                creator=creator,
                by=by,
                wave=wave,
                account=account,
                **terms,
            )
        )
    return result


WAVE_FIELDS = {"name", "starts_on", "ends_on", "budget"}


@transaction.atomic
def wave_update(*, wave: Wave, by: Member | None, **fields: Any) -> Wave:
    """Rename a wave or change its dates or budget; it must stay inside the campaign's dates
    and the budget cannot be negative. The number (its place in the campaign) never changes."""
    unknown = sorted(set(fields) - WAVE_FIELDS)
    if unknown:
        raise TypeError(f"wave_update() got unexpected fields: {', '.join(unknown)}")
    before = snapshot_fields(wave)
    for name, value in fields.items():
        setattr(wave, name, value)
    if "budget" in fields:
        wave.budget = Decimal(wave.budget).quantize(Decimal("0.01"))
    errors = _wave_errors(wave.campaign, wave.starts_on, wave.ends_on, Decimal(wave.budget))
    if errors:
        raise ValidationError(errors)
    wave.full_clean(exclude=["workspace", "campaign"], validate_unique=False)
    wave.save()
    audit_update(target=wave, before=before, actor=by, action="wave.update")
    return wave


@transaction.atomic
def wave_delete(*, wave: Wave, by: Member | None) -> None:
    """Delete a wave that has no deals; a wave with deals is refused (its deals would lose
    their wave and their budget line), so move or remove the deals first."""
    count = Deal.objects.filter(wave=wave).count()
    if count:
        raise ValidationError(
            f"{wave} has {count} deal(s); move or remove them before deleting it."
        )
    audit_record(
        workspace=wave.workspace,
        actor=by,
        action="wave.delete",
        target=wave,
        changes=changed_fields(snapshot_fields(wave), {}),
    )
    wave.delete()
