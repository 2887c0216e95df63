"""Briefs and content review: drafts in versions, each checked for a clear ad disclosure and
the brief's required mentions and hashtags; approval is blocked while the check fails unless
the reviewer overrides it with a note. Creators submit through a signed per-deal link."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from infludesk.campaigns.disclosure import check_caption
from infludesk.campaigns.files import stored_upload
from infludesk.campaigns.models import (
    Brief,
    Campaign,
    CampaignType,
    ContentDraft,
    Deal,
    DealFile,
    Deliverable,
    DraftStatus,
    Relationship,
)
from infludesk.core.audit import audit_record, changed_fields, snapshot_fields
from infludesk.core.models import Member

DRAFT_LINK_SALT = "infludesk.campaigns.draft-link"
DEFAULT_RELATIONSHIP = {
    CampaignType.SPONSORED: Relationship.PAID,
    CampaignType.SEEDING: Relationship.GIFTED,
    CampaignType.AMBASSADOR: Relationship.AMBASSADOR,
    CampaignType.AFFILIATE: Relationship.AFFILIATE,
}


def brief_for(campaign: Campaign) -> Brief:
    """The campaign's brief, or an unsaved default (relationship from the campaign type)."""
    brief = Brief.objects.filter(campaign=campaign).first()
    if brief is None:
        brief = Brief(
            workspace=campaign.workspace,
            campaign=campaign,
            relationship=DEFAULT_RELATIONSHIP.get(CampaignType(campaign.type), Relationship.PAID),
        )
    return brief


def _tags(value: Any, sign: str) -> list[str]:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [f"{sign}{str(v).strip().lstrip(sign)}" for v in value or [] if str(v).strip(sign + " ")]


@transaction.atomic
def brief_save(*, campaign: Campaign, by: Member | None, **fields: Any) -> Brief:
    """Create or update the campaign's brief. Hashtags and mentions may be given as lists or
    as text separated by spaces or commas."""
    brief = brief_for(campaign)
    before = snapshot_fields(brief) if brief.pk else {}
    if "hashtags" in fields:
        fields["hashtags"] = _tags(fields["hashtags"], "#")
    if "mentions" in fields:
        fields["mentions"] = _tags(fields["mentions"], "@")
    for name, value in fields.items():
        setattr(brief, name, value)
    brief.full_clean(exclude=["workspace", "campaign"])
    brief.save()
    audit_record(
        workspace=campaign.workspace,
        actor=by,
        action="brief.update" if before else "brief.create",
        target=brief,
        changes=changed_fields(before, snapshot_fields(brief)),
    )
    return brief


def disclosure_for(deal: Deal, caption: str) -> dict[str, Any]:
    brief = brief_for(deal.campaign)
    result = check_caption(
        caption,
        relationship=brief.relationship,
        required_mentions=brief.mentions,
        required_hashtags=brief.hashtags,
    )
    return {
        "compliant": result.compliant,
        "reasons": result.reasons,
        "text": result.reasons_text(),
        "label": result.label,
    }


def draft_submit(
    *,
    deal: Deal,
    caption: str,
    media_url: str = "",
    media_file: UploadedFile | None = None,
    existing_media: DealFile | None = None,
    deliverable: Deliverable | None = None,
    by: Member | None,
    via: str = "manager",
) -> ContentDraft:
    """Add the next version of a draft and check it at once. An uploaded media file becomes
    one of the deal's files (same checks as any deal file); if the draft is refused, the file
    is not kept. `existing_media` uses a file already on the deal instead."""
    if not caption.strip():
        raise ValidationError({"caption": ["Paste the caption of the draft."]})
    if deliverable is not None and deliverable.deal_id != deal.pk:
        raise ValidationError({"deliverable": ["This deliverable belongs to another deal."]})
    if existing_media is not None and existing_media.deal_id != deal.pk:
        raise ValidationError({"media_file": ["This file belongs to another deal."]})

    def create(media: DealFile | None) -> ContentDraft:
        return _draft_create(
            deal=deal,
            caption=caption,
            media_url=media_url,
            media=media,
            deliverable=deliverable,
            by=by,
            via=via,
        )

    if media_file is None:
        with transaction.atomic():
            return create(existing_media)
    with stored_upload(deal=deal, upload=media_file, by=by, via=via) as media:
        return create(media)


def _draft_create(
    *,
    deal: Deal,
    caption: str,
    media_url: str,
    media: DealFile | None,
    deliverable: Deliverable | None,
    by: Member | None,
    via: str,
) -> ContentDraft:
    Deal.objects.select_for_update().filter(pk=deal.pk).first()  # serialise version numbers
    last = ContentDraft.objects.filter(deal=deal).aggregate(v=Max("version"))["v"] or 0
    draft = ContentDraft(
        workspace=deal.workspace,
        deal=deal,
        deliverable=deliverable,
        version=last + 1,
        caption=caption,
        media_url=media_url,
        media_file=media,
        submitted_via=via,
        disclosure=disclosure_for(deal, caption),
    )
    draft.full_clean(exclude=["workspace", "deal", "deliverable", "reviewed_by", "media_file"])
    draft.save()
    audit_record(
        workspace=deal.workspace,
        actor=by,
        action="draft.submit",
        target=draft,
        changes={
            "version": [None, draft.version],
            "via": [None, via],
            **({"media_file": [None, media.original_name]} if media else {}),
        },
    )
    return draft


@transaction.atomic
def draft_review(
    *,
    draft: ContentDraft,
    approve: bool,
    comment: str = "",
    override_note: str = "",
    by: Member | None,
) -> ContentDraft:
    """Approve a draft, or request changes with a comment. Approval is refused while the
    disclosure check fails, unless override_note says why it is acceptable. Approving marks the
    draft's deliverable approved."""
    if draft.status != DraftStatus.SUBMITTED:
        raise ValidationError(f"Version {draft.version} was already reviewed.")
    if approve and not draft.disclosure.get("compliant") and not override_note.strip():
        raise ValidationError(
            {
                "override_note": [
                    f"The disclosure check fails ({draft.disclosure.get('text')}). "
                    "Ask for changes, or override with a note saying why."
                ]
            }
        )
    if not approve and not comment.strip():
        raise ValidationError({"comment": ["Say what should change."]})
    draft.status = DraftStatus.APPROVED if approve else DraftStatus.CHANGES
    draft.review_comment = comment
    draft.override_note = override_note if approve else ""
    draft.reviewed_by = by
    draft.reviewed_at = timezone.now()
    draft.save()
    deliverable_id = draft.deliverable_id
    if approve and deliverable_id is not None:
        Deliverable.objects.filter(pk=deliverable_id).update(status="approved")
    audit_record(
        workspace=draft.workspace,
        actor=by,
        action="draft.approve" if approve else "draft.request_changes",
        target=draft,
        changes={
            "status": [DraftStatus.SUBMITTED, draft.status],
            **({"override_note": [None, override_note]} if draft.override_note else {}),
        },
    )
    return draft


def draft_link_token(deal: Deal) -> str:
    return signing.dumps({"d": deal.pk, "w": deal.workspace_id}, salt=DRAFT_LINK_SALT)


def deal_from_draft_token(token: str) -> Deal:
    """The deal a creator's signed link points to; ValidationError when forged."""
    try:
        data = signing.loads(token, salt=DRAFT_LINK_SALT)
        return Deal.objects.select_related("campaign", "creator", "workspace").get(
            pk=data["d"], workspace_id=data["w"]
        )
    except (signing.BadSignature, KeyError, TypeError, Deal.DoesNotExist) as exc:
        raise ValidationError("This link is not valid.") from exc
