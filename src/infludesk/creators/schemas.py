"""API schemas for creators and their social accounts (``<Entity>In/Patch/Out/Filter``).

In and Patch refuse unknown fields, so a misspelt field is a 422 rather than silently ignored.
Patch fields default to "not sent"; sending null for a field that cannot be empty is a 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, FilterLookup, Schema

from infludesk.api.fields import (
    Count,
    CountryCode,
    DecimalStr,
    Id,
    LanguageCode,
    QueryFilter,
    StrictIn,
)
from infludesk.api.pagination import Page
from infludesk.creators.models import Platform, Tier

Name = Annotated[str, Field(min_length=1, max_length=200)]
Category = Annotated[str, Field(min_length=1, max_length=60)]
Categories = Annotated[list[Category], Field(max_length=50)]


# --- creators ------------------------------------------------------------------------------


class CreatorIn(StrictIn):
    name: Name
    first_name: Annotated[str, Field(max_length=100)] = ""
    email: Annotated[str, Field(max_length=254)] = ""
    country: CountryCode = ""
    language: LanguageCode = ""
    categories: Categories = []
    notes: Annotated[str, Field(max_length=10_000)] = ""
    do_not_contact: bool = False


class CreatorPatch(StrictIn):
    name: Name = None  # type: ignore[assignment]
    first_name: Annotated[str, Field(max_length=100)] = None  # type: ignore[assignment]
    email: Annotated[str, Field(max_length=254)] = None  # type: ignore[assignment]
    country: CountryCode = None  # type: ignore[assignment]
    language: LanguageCode = None  # type: ignore[assignment]
    categories: Categories = None  # type: ignore[assignment]
    notes: Annotated[str, Field(max_length=10_000)] = None  # type: ignore[assignment]
    do_not_contact: bool = None  # type: ignore[assignment]


class CreatorOut(Schema):
    id: int
    name: str
    first_name: str
    email: str
    country: str
    language: str
    categories: list[str]
    notes: str
    do_not_contact: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class CreatorFilter(QueryFilter):
    q: Annotated[
        str | None,
        Field(max_length=200, description="part of the name or email"),
        FilterLookup(["name__icontains", "email__icontains"]),
    ] = None
    country: Annotated[CountryCode | None, FilterLookup("country__iexact")] = None


class CreatorPage(Page):
    items: list[CreatorOut]


# --- social accounts -----------------------------------------------------------------------


class SocialAccountIn(StrictIn):
    creator_id: Id
    platform: Platform
    handle: Annotated[str, Field(min_length=1, max_length=100)]
    external_id: Annotated[str, Field(max_length=100)] = ""
    url: Annotated[str, Field(max_length=500)] = ""
    display_name: Annotated[str, Field(max_length=200)] = ""
    followers: Count = 0
    following: Count = 0
    posts_count: Count = 0
    bio: Annotated[str, Field(max_length=5_000)] = ""
    country: CountryCode = ""
    language: LanguageCode = ""
    categories: Categories = []
    verified: bool = False
    has_profile_pic: bool = True
    is_private: bool = False


class SocialAccountPatch(StrictIn):
    platform: Platform = None  # type: ignore[assignment]
    handle: Annotated[str, Field(min_length=1, max_length=100)] = None  # type: ignore[assignment]
    external_id: Annotated[str, Field(max_length=100)] = None  # type: ignore[assignment]
    url: Annotated[str, Field(max_length=500)] = None  # type: ignore[assignment]
    display_name: Annotated[str, Field(max_length=200)] = None  # type: ignore[assignment]
    followers: Count = None  # type: ignore[assignment]
    following: Count = None  # type: ignore[assignment]
    posts_count: Count = None  # type: ignore[assignment]
    bio: Annotated[str, Field(max_length=5_000)] = None  # type: ignore[assignment]
    country: CountryCode = None  # type: ignore[assignment]
    language: LanguageCode = None  # type: ignore[assignment]
    categories: Categories = None  # type: ignore[assignment]
    verified: bool = None  # type: ignore[assignment]
    has_profile_pic: bool = None  # type: ignore[assignment]
    is_private: bool = None  # type: ignore[assignment]


class SocialAccountOut(Schema):
    id: int
    creator_id: int
    platform: Platform
    handle: str
    external_id: str
    url: str
    display_name: str
    followers: int
    following: int
    posts_count: int
    bio: str
    country: str
    language: str
    categories: list[str]
    verified: bool
    has_profile_pic: bool
    is_private: bool
    tier: Tier
    engagement_rate: DecimalStr | None = Field(description="percent, as a decimal string")
    avg_likes: float | None
    avg_comments: float | None
    avg_views: float | None
    growth_30d_pct: float | None
    authenticity_score: int | None
    last_synced_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class SocialAccountFilter(QueryFilter):
    platform: Annotated[Platform | None, FilterLookup("platform")] = None
    tier: Annotated[Tier | None, FilterLookup("tier")] = None
    followers_min: Annotated[Count | None, FilterLookup("followers__gte")] = None
    followers_max: Annotated[Count | None, FilterLookup("followers__lte")] = None
    creator_id: Annotated[Id | None, FilterLookup("creator_id")] = None


class SocialAccountPage(Page):
    items: list[SocialAccountOut]
