"""Reads for creators: the creator list with its filters, a creator's page and charts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from infludesk.core.models import Workspace
from infludesk.creators.models import AccountSnapshot, Creator, SocialAccount


@dataclass(frozen=True)
class CreatorFilters:
    """What the creator list can be narrowed by. Empty values mean 'any'.

    q matches the creator's name or any of their handles (a leading @ is ignored); country
    matches the creator's or an account's country. The account filters (platform, tier,
    followers, ER) must all hold for one and the same account.
    """

    q: str = ""
    platform: str = ""
    tier: str = ""
    country: str = ""
    followers_min: int | None = None
    followers_max: int | None = None
    er_min: Decimal | None = None

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> CreatorFilters:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in known.items() if v not in (None, "")})


def _account_q(filters: CreatorFilters, prefix: str = "") -> Q:
    """The per-account conditions, on SocialAccount (prefix '') or through a relation."""
    q = Q()
    if filters.platform:
        q &= Q(**{f"{prefix}platform": filters.platform})
    if filters.tier:
        q &= Q(**{f"{prefix}tier": filters.tier})
    if filters.followers_min is not None:
        q &= Q(**{f"{prefix}followers__gte": filters.followers_min})
    if filters.followers_max is not None:
        q &= Q(**{f"{prefix}followers__lte": filters.followers_max})
    if filters.er_min is not None:
        q &= Q(**{f"{prefix}engagement_rate__gte": filters.er_min})
    return q


def creator_list(*, workspace: Workspace, filters: CreatorFilters) -> QuerySet[Creator]:
    """The workspace's creators matching the filters, each annotated over the accounts that
    match the account filters (all accounts when there are none):

    - ``total_followers`` = sum of their followers (0 without accounts);
    - ``top_er`` = the highest engagement rate (percent), None when none is known;
    - ``lowest_authenticity`` = the lowest authenticity score, None when none is scored;
    - ``matching_accounts`` = those accounts, most followed first (prefetched).
    """
    accounts = SocialAccount.objects.filter(workspace=workspace)
    account_q = _account_q(filters)
    matching = accounts.filter(account_q)
    creators = Creator.objects.filter(workspace=workspace)
    if account_q:
        creators = creators.filter(pk__in=matching.values("creator_id"))
    if filters.q:
        text = filters.q.strip()
        handle = text.lstrip("@")
        by_handle = accounts.filter(handle__icontains=handle).values("creator_id")
        creators = creators.filter(Q(name__icontains=text) | Q(pk__in=by_handle))
    if filters.country:
        country = filters.country.upper()
        by_account = accounts.filter(country=country).values("creator_id")
        creators = creators.filter(Q(country=country) | Q(pk__in=by_account))
    related_q = _account_q(filters, prefix="accounts__")
    return creators.annotate(
        total_followers=Coalesce(Sum("accounts__followers", filter=related_q), Value(0)),
        top_er=Max("accounts__engagement_rate", filter=related_q),
        lowest_authenticity=Min("accounts__authenticity_score", filter=related_q),
        account_count=Count("accounts", filter=related_q),
    ).prefetch_related(
        Prefetch(
            "accounts",
            queryset=matching.order_by("-followers", "pk"),
            to_attr="matching_accounts",
        )
    )


def creator_get(*, workspace: Workspace, creator_id: int) -> Creator:
    """One creator of the workspace with their accounts (most followed first); 404 otherwise."""
    accounts = SocialAccount.objects.filter(workspace=workspace).order_by("-followers", "pk")
    queryset = Creator.objects.filter(workspace=workspace).prefetch_related(
        Prefetch("accounts", queryset=accounts, to_attr="account_list")
    )
    return get_object_or_404(queryset, pk=creator_id)


@dataclass(frozen=True)
class FollowerSeries:
    """One account's follower counts over time, for a line chart."""

    label: str
    taken_at: list[str]
    followers: list[int]


def creator_follower_series(*, workspace: Workspace, creator: Creator) -> list[FollowerSeries]:
    """Follower snapshots of each of the creator's accounts, oldest first, in one query.
    Accounts without snapshots are left out."""
    rows = (
        AccountSnapshot.objects.filter(workspace=workspace, account__creator=creator)
        .order_by("account_id", "taken_at")
        .values_list("account_id", "account__platform", "account__handle", "taken_at", "followers")
    )
    grouped: dict[int, list[tuple[str, int]]] = defaultdict(list)
    labels: dict[int, str] = {}
    for account_id, platform, handle, taken_at, followers in rows:
        labels[account_id] = f"@{handle} ({platform})"
        grouped[account_id].append((taken_at.isoformat(), followers))
    return [
        FollowerSeries(
            label=labels[account_id],
            taken_at=[t for t, _ in values],
            followers=[f for _, f in values],
        )
        for account_id, values in grouped.items()
    ]
