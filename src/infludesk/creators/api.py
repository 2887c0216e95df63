"""REST endpoints for creators and social accounts, mounted by infludesk.api.api at /api/v1/.

Every query starts from the caller's workspace, so another workspace's row is a 404 exactly like
a missing one. Handlers parse, call one service, and answer; services do the validating.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.api.pagination import PageParams, paginate
from infludesk.core.models import Member
from infludesk.creators import services
from infludesk.creators.models import Creator, SocialAccount
from infludesk.creators.schemas import (
    CreatorFilter,
    CreatorIn,
    CreatorOut,
    CreatorPage,
    CreatorPatch,
    SocialAccountFilter,
    SocialAccountIn,
    SocialAccountOut,
    SocialAccountPage,
    SocialAccountPatch,
)

router = Router()


def _creator(member: Member, creator_id: int) -> Creator:
    return get_object_or_404(Creator, workspace_id=member.workspace_id, pk=creator_id)


def _account(member: Member, account_id: int) -> SocialAccount:
    return get_object_or_404(SocialAccount, workspace_id=member.workspace_id, pk=account_id)


def _creator_for_payload(member: Member, creator_id: int) -> Creator:
    """A creator named in a body: one of another workspace is invalid input, not a 404."""
    creator = Creator.objects.filter(workspace_id=member.workspace_id, pk=creator_id).first()
    if creator is None:
        raise ValidationError({"creator": f"No creator with id {creator_id} in this workspace."})
    return creator


# --- creators ------------------------------------------------------------------------------


@router.get("/creators", response={200: CreatorPage, **ERROR_RESPONSES}, tags=["creators"])
def list_creators(
    request: HttpRequest, filters: Query[CreatorFilter], page: Query[PageParams]
) -> dict[str, Any]:
    """Creators of the workspace, by name; `q` matches part of the name or email."""
    member = member_of(request)
    rows = filters.filter(Creator.objects.filter(workspace_id=member.workspace_id))
    return paginate(request, rows.order_by("name", "id"), page)


@router.get(
    "/creators/{creator_id}", response={200: CreatorOut, **ERROR_RESPONSES}, tags=["creators"]
)
def get_creator(request: HttpRequest, creator_id: Id) -> Creator:
    return _creator(member_of(request), creator_id)


@router.post(
    "/creators",
    response={201: CreatorOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["creators"],
)
def create_creator(request: HttpRequest, payload: CreatorIn) -> Status[Creator]:
    member = member_of(request)
    creator = services.creator_create(workspace=member.workspace, by=member, **payload.model_dump())
    return Status(201, creator)


@router.patch(
    "/creators/{creator_id}",
    response={200: CreatorOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["creators"],
)
def update_creator(request: HttpRequest, creator_id: Id, payload: CreatorPatch) -> Creator:
    """Change only the fields sent."""
    member = member_of(request)
    creator = _creator(member, creator_id)
    return services.creator_update(
        creator=creator, by=member, **payload.model_dump(exclude_unset=True)
    )


@router.delete(
    "/creators/{creator_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["creators"],
)
def delete_creator(request: HttpRequest, creator_id: Id) -> Status[None]:
    """Delete a creator and their accounts; refused (422) while they have deals."""
    member = member_of(request)
    services.creator_delete(creator=_creator(member, creator_id), by=member)
    return Status(204, None)


# --- social accounts -----------------------------------------------------------------------


@router.get(
    "/social-accounts",
    response={200: SocialAccountPage, **ERROR_RESPONSES},
    tags=["social accounts"],
)
def list_social_accounts(
    request: HttpRequest, filters: Query[SocialAccountFilter], page: Query[PageParams]
) -> dict[str, Any]:
    """Social accounts of the workspace, biggest first."""
    member = member_of(request)
    rows = filters.filter(SocialAccount.objects.filter(workspace_id=member.workspace_id))
    return paginate(request, rows.order_by("-followers", "id"), page)


@router.get(
    "/social-accounts/{account_id}",
    response={200: SocialAccountOut, **ERROR_RESPONSES},
    tags=["social accounts"],
)
def get_social_account(request: HttpRequest, account_id: Id) -> SocialAccount:
    return _account(member_of(request), account_id)


@router.post(
    "/social-accounts",
    response={201: SocialAccountOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["social accounts"],
)
def create_social_account(request: HttpRequest, payload: SocialAccountIn) -> Status[SocialAccount]:
    """Add an account to a creator; its tier follows from `followers`."""
    member = member_of(request)
    fields = payload.model_dump()
    creator = _creator_for_payload(member, fields.pop("creator_id"))
    account = services.social_account_create(
        workspace=member.workspace, creator=creator, by=member, **fields
    )
    return Status(201, account)


@router.patch(
    "/social-accounts/{account_id}",
    response={200: SocialAccountOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["social accounts"],
)
def update_social_account(
    request: HttpRequest, account_id: Id, payload: SocialAccountPatch
) -> SocialAccount:
    """Change only the fields sent; a new `followers` moves the account to its tier."""
    member = member_of(request)
    account = _account(member, account_id)
    return services.social_account_update(
        account=account, by=member, **payload.model_dump(exclude_unset=True)
    )


@router.delete(
    "/social-accounts/{account_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["social accounts"],
)
def delete_social_account(request: HttpRequest, account_id: Id) -> Status[None]:
    member = member_of(request)
    services.social_account_delete(account=_account(member, account_id), by=member)
    return Status(204, None)
