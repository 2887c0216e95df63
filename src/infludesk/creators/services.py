"""Writes for creators: every change goes through a function here (see STYLE.md).

Each service is keyword-only, runs in one transaction, validates with ``full_clean()`` plus the
rules a person needs phrased per field (a handle already taken on that platform), and records an
audit entry with the before/after of the changed fields. Invalid input raises
``django.core.exceptions.ValidationError`` keyed by field name; a unique clash that slips past
the checks (two requests racing) becomes the same error, never an IntegrityError.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from infludesk.core.audit import audit_record, audit_update, changed_fields, snapshot_fields
from infludesk.core.models import Member, Workspace
from infludesk.core.writes import check_fields, save_unique
from infludesk.creators.models import Creator, SocialAccount, tier_for
from infludesk.creators.search_texts import embeddings_refresh_later

CREATOR_FIELDS = frozenset(
    {"name", "first_name", "email", "country", "language", "categories", "notes", "do_not_contact"}
)
ACCOUNT_FIELDS = frozenset(
    {
        "platform",
        "handle",
        "external_id",
        "url",
        "display_name",
        "followers",
        "following",
        "posts_count",
        "bio",
        "country",
        "language",
        "categories",
        "verified",
        "has_profile_pic",
        "is_private",
    }
)
COUNT_FIELDS = ("followers", "following", "posts_count")


# --- creators ------------------------------------------------------------------------------


def _normalise_creator(fields: dict[str, Any]) -> None:
    if isinstance(fields.get("country"), str):
        fields["country"] = fields["country"].strip().upper()
    if isinstance(fields.get("name"), str):
        fields["name"] = fields["name"].strip()


@transaction.atomic
def creator_create(*, workspace: Workspace, by: Member | None, **fields: Any) -> Creator:
    """Create a creator in ``workspace``."""
    check_fields(fields, CREATOR_FIELDS, "creator_create")
    _normalise_creator(fields)
    creator = Creator(workspace=workspace, **fields)
    creator.full_clean(exclude=["workspace"])
    creator.save()
    audit_record(
        workspace=workspace,
        actor=by,
        action="creator.create",
        target=creator,
        changes=changed_fields({}, snapshot_fields(creator)),
    )
    return creator


@transaction.atomic
def creator_update(*, creator: Creator, by: Member | None, **fields: Any) -> Creator:
    """Change the given fields of a creator."""
    check_fields(fields, CREATOR_FIELDS, "creator_update")
    _normalise_creator(fields)
    before = snapshot_fields(creator)
    for name, value in fields.items():
        setattr(creator, name, value)
    creator.full_clean(exclude=["workspace"])
    creator.save()
    audit_update(target=creator, before=before, actor=by, action="creator.update")
    return creator


@transaction.atomic
def creator_delete(*, creator: Creator, by: Member | None) -> None:
    """Delete a creator and their accounts. A creator with deals is kept: campaign history
    (fees, conversions) must not vanish with them, so the deals have to go first."""
    deals = creator.deals.count()
    if deals:
        raise ValidationError(
            {
                "creator": f"{creator} has {deals} deal(s) in campaigns; "
                "remove them from those campaigns first."
            }
        )
    audit_record(
        workspace=creator.workspace,
        actor=by,
        action="creator.delete",
        target=creator,
        changes=changed_fields(snapshot_fields(creator), {}),
    )
    creator.delete()


# --- social accounts -----------------------------------------------------------------------


def _normalise_account(fields: dict[str, Any]) -> None:
    """Handles are stored without the leading @; a country code is upper case."""
    if isinstance(fields.get("handle"), str):
        fields["handle"] = fields["handle"].strip().lstrip("@")
    if isinstance(fields.get("country"), str):
        fields["country"] = fields["country"].strip().upper()


def _validate_account(account: SocialAccount) -> None:
    errors: dict[str, str] = {}
    if account.creator.workspace_id != account.workspace_id:
        errors["creator"] = "No such creator in this workspace."
    for name in COUNT_FIELDS:
        value = getattr(account, name)
        if isinstance(value, int) and value < 0:
            errors[name] = "Counts cannot be negative."
    if (
        account.handle
        and SocialAccount.objects.filter(
            # platforms treat handles case-insensitively, so "Ana" and "ana" are one account
            workspace_id=account.workspace_id,
            platform=account.platform,
            handle__iexact=account.handle,
        )
        .exclude(pk=account.pk)
        .exists()
    ):
        errors["handle"] = f"@{account.handle} on {account.platform} is already in this workspace."
    if errors:
        raise ValidationError(errors)
    account.full_clean(
        exclude=["workspace", "creator"], validate_unique=False, validate_constraints=False
    )


def _sync_tier(account: SocialAccount) -> None:
    if isinstance(account.followers, int):
        account.tier = tier_for(account.followers)


@transaction.atomic
def social_account_create(
    *, workspace: Workspace, creator: Creator, by: Member | None, **fields: Any
) -> SocialAccount:
    """Add a social account to a creator; its tier follows from its followers."""
    check_fields(fields, ACCOUNT_FIELDS, "social_account_create")
    _normalise_account(fields)
    account = SocialAccount(workspace=workspace, creator=creator, **fields)
    _sync_tier(account)
    _validate_account(account)
    save_unique(account, clash_field="handle", clash_message="This handle is already taken here.")
    audit_record(
        workspace=workspace,
        actor=by,
        action="social_account.create",
        target=account,
        changes=changed_fields({}, snapshot_fields(account)),
    )
    if account.bio.strip():
        embeddings_refresh_later(workspace_id=workspace.pk, account_ids=[account.pk])
    return account


@transaction.atomic
def social_account_update(
    *, account: SocialAccount, by: Member | None, **fields: Any
) -> SocialAccount:
    """Change the given fields of an account; a new follower count moves it to its tier."""
    check_fields(fields, ACCOUNT_FIELDS, "social_account_update")
    _normalise_account(fields)
    before = snapshot_fields(account)
    for name, value in fields.items():
        setattr(account, name, value)
    _sync_tier(account)
    _validate_account(account)
    save_unique(account, clash_field="handle", clash_message="This handle is already taken here.")
    audit_update(target=account, before=before, actor=by, action="social_account.update")
    if account.bio != before.get("bio"):
        embeddings_refresh_later(workspace_id=account.workspace_id, account_ids=[account.pk])
    return account


@transaction.atomic
def social_account_delete(*, account: SocialAccount, by: Member | None) -> None:
    """Delete an account with its snapshots and posts; deals that named it keep the creator."""
    audit_record(
        workspace=account.workspace,
        actor=by,
        action="social_account.delete",
        target=account,
        changes=changed_fields(snapshot_fields(account), {}),
    )
    account.delete()
