"""Creator search and saved searches over the REST API, mounted by infludesk.api.api.

``GET /creators/search`` answers one page (keyset cursor ``after`` -> ``next_cursor``) and the
number of matches, exact up to 1,000 and "1,000+" beyond (``count_capped``). Three queries with
a token: the token, the page, the capped count (one more with ``similar_to``). With a ``brief``
every result has its fit (0-100) and best-matching captions, ``fit_min`` and ``sort=fit``
apply, and the count is exact (see creators.search_fit); a target audience
(``audience_countries``, ``audience_ages``, ``audience_gender``, with the brief) adds each
creator's audience overlap to the fit (``fit_audience``, ``fit_audience_source``). Saved searches
are shared in the workspace; every member can list and run them, writers can save them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Count, CountryCode, DecimalStr, Id, LanguageCode, storable
from infludesk.api.pagination import Page, PageParams, paginate
from infludesk.core.models import Member, Workspace
from infludesk.creators import saved_searches
from infludesk.creators.audience_overlap import FIELDS as AUDIENCE_FIELDS
from infludesk.creators.audience_overlap import parse_split
from infludesk.creators.models import Platform, SavedSearch, SocialAccount, Tier
from infludesk.creators.search import (
    MAX_LIMIT,
    SearchFilters,
    SearchPage,
    creator_search,
    similar_filters,
)

router = Router(tags=["creator search"])

# audience_countries -> "country", ...: the dimension each target audience parameter splits
AUDIENCE_DIMENSIONS = {name: dimension for dimension, name in AUDIENCE_FIELDS.items()}

SortKey = Literal["followers", "engagement_rate", "authenticity", "growth", "handle", "fit"]
Rate = Annotated[Decimal, Field(ge=0, le=100_000, max_digits=12, decimal_places=4)]


class SearchQueryBase(Schema):
    """The search parameters that a saved search keeps (everything but the page position)."""

    model_config = ConfigDict(extra="forbid")

    platform: Platform | None = None
    tier: Tier | None = None
    followers_min: Count | None = None
    followers_max: Count | None = None
    er_min: Rate | None = Field(None, description="engagement rate, percent")
    er_max: Rate | None = None
    authenticity_min: Annotated[int, Field(ge=0, le=100)] | None = None
    growth_min: Annotated[float, Field(ge=-100, le=1_000_000)] | None = Field(
        None, description="follower growth over 30 days, percent"
    )
    country: CountryCode | None = None
    language: LanguageCode | None = None
    category: Annotated[str, Field(max_length=60)] | None = None
    verified: bool | None = None
    handle_prefix: Annotated[str, Field(max_length=100)] | None = None
    q: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="words starting words of the handle, bio or recent captions (all)"
    )
    brief: Annotated[str, Field(max_length=5000)] | None = Field(
        None, description="campaign brief or brand description: rank by fit to it"
    )
    fit_min: Annotated[float, Field(ge=0, le=100)] | None = Field(
        None, description="fit to the brief at least (0-100); needs brief"
    )
    audience_countries: Annotated[str, Field(max_length=500)] | None = Field(
        None, description="target audience by country, e.g. US:60,GB:40; needs brief"
    )
    audience_ages: Annotated[str, Field(max_length=500)] | None = Field(
        None, description="target audience by age band, e.g. 18-24,25-34; needs brief"
    )
    audience_gender: Annotated[str, Field(max_length=100)] | None = Field(
        None, description="target audience by gender, e.g. F:70,M:30; needs brief"
    )
    sort: SortKey = "followers"
    order: Literal["asc", "desc"] = "desc"
    similar_to: Id | None = Field(None, description="an account id: like it, see docs/search.md")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else storable(value)

    @field_validator("growth_min", "fit_min")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("Give a finite number.")
        return value

    @field_validator("audience_countries", "audience_ages", "audience_gender")
    @classmethod
    def _split(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            parse_split(AUDIENCE_DIMENSIONS[info.field_name or ""], value)  # ValueError
        return value

    @model_validator(mode="after")
    def _ranges(self) -> SearchQueryBase:
        for low, high in (("followers_min", "followers_max"), ("er_min", "er_max")):
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"{low} is above {high}.")
        return self

    def to_filters(self) -> SearchFilters:
        names = {f.name for f in dataclass_fields(SearchFilters)}
        values = {k: v for k, v in self.model_dump().items() if k in names and v is not None}
        return SearchFilters(**values, text=self.q or "", descending=self.order == "desc")


class SearchParams(SearchQueryBase):
    model_config = ConfigDict(extra="ignore")

    after: Annotated[str, Field(max_length=500)] | None = Field(
        None, description="next_cursor of the previous page"
    )
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = 50


class FitCaptionOut(Schema):
    text: str
    similarity: float


class SearchResultOut(Schema):
    id: int
    creator_id: int
    platform: Platform
    handle: str
    display_name: str
    url: str
    followers: int
    tier: Tier
    engagement_rate: DecimalStr | None
    authenticity_score: int | None
    growth_30d_pct: float | None
    country: str
    language: str
    categories: list[str]
    verified: bool
    bio: str
    fit: float | None = Field(None, description="fit to the brief, 0-100 (only with brief)")
    fit_captions: list[FitCaptionOut] = Field(
        default_factory=list, description="the captions that match the brief best"
    )
    fit_audience: float | None = Field(
        None,
        description="overlap (0-1) of the creator's audience with the target audience "
        "(only with audience_*; null when there is no audience data, counted as 0.5)",
    )
    fit_audience_source: Literal["insights", "assumed_country", "none"] | None = Field(
        None,
        description="where the audience comes from: Instagram insights, the country assumed "
        "as the whole audience, or none (no data); only with audience_*",
    )

    @staticmethod
    def resolve_fit(obj: Any) -> float | None:
        return None if obj.fit is None else obj.fit.score

    @staticmethod
    def resolve_fit_audience(obj: Any) -> float | None:
        audience = None if obj.fit is None else obj.fit.audience
        return None if audience is None else audience.value

    @staticmethod
    def resolve_fit_audience_source(obj: Any) -> str | None:
        audience = None if obj.fit is None else obj.fit.audience
        return None if audience is None else audience.source or "none"

    @staticmethod
    def resolve_fit_captions(obj: Any) -> list[dict[str, Any]]:
        if obj.fit is None:
            return []
        return [{"text": c.text, "similarity": c.similarity} for c in obj.fit.captions]


class SearchOut(Schema):
    items: list[SearchResultOut]
    next_cursor: str | None
    count: int = Field(description="matches; exactly this many unless count_capped")
    count_capped: bool = Field(description="true: more than `count` match ('1,000+')")
    count_label: str


class SavedSearchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=120)]
    filters: SearchQueryBase = Field(default_factory=lambda: SearchQueryBase.model_validate({}))


class SavedSearchPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    filters: SearchQueryBase | None = None


class SavedSearchOut(Schema):
    id: int
    name: str
    filters: dict[str, Any]
    created_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class SavedSearchPage(Page):
    items: list[SavedSearchOut]


def _filters_json(query: SearchQueryBase) -> dict[str, Any]:
    """Only what differs from the defaults, JSON-ready (decimals as strings)."""
    return query.model_dump(mode="json", exclude_defaults=True)


def run_search(
    *, workspace: Workspace, params: SearchParams
) -> tuple[SearchPage, SocialAccount | None]:
    """One page for these parameters (``similar_to`` resolved in the workspace), and the
    account results are similar to. With a brief each result carries its ``fit``."""
    filters = params.to_filters()
    like = None
    if params.similar_to is not None:
        like = SocialAccount.objects.filter(workspace=workspace, pk=params.similar_to).first()
        if like is None:
            raise ValidationError({"similar_to": "No account with this id in this workspace."})
        filters = similar_filters(like, base=filters)
    page = creator_search(
        workspace=workspace, filters=filters, after=params.after, limit=params.limit
    )
    return page, like


def _run(member: Member, params: SearchParams) -> SearchPage:
    return run_search(workspace=member.workspace, params=params)[0]


@router.get("/creators/search", response={200: SearchOut, **ERROR_RESPONSES})
def search_creators(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    """Accounts matching every given filter, sorted by `sort` (`order` desc by default; ties by
    id). Sorting by engagement_rate, authenticity or growth lists only accounts where that
    value is known. Pass `next_cursor` as `after` for the next page."""
    page = _run(member_of(request), params)
    label = f"{page.count:,}+" if page.count_capped else f"{page.count:,}"
    return {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "count": page.count,
        "count_capped": page.count_capped,
        "count_label": label,
    }


# --- saved searches ------------------------------------------------------------------------


def _saved(member: Member, saved_id: int) -> SavedSearch:
    return get_object_or_404(SavedSearch, workspace_id=member.workspace_id, pk=saved_id)


@router.get("/creators/saved-searches", response={200: SavedSearchPage, **ERROR_RESPONSES})
def list_saved_searches(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    member = member_of(request)
    rows = SavedSearch.objects.filter(workspace_id=member.workspace_id).order_by("name", "id")
    return paginate(request, rows, page)


@router.get(
    "/creators/saved-searches/{saved_id}", response={200: SavedSearchOut, **ERROR_RESPONSES}
)
def get_saved_search(request: HttpRequest, saved_id: Id) -> SavedSearch:
    return _saved(member_of(request), saved_id)


@router.post(
    "/creators/saved-searches",
    response={201: SavedSearchOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def create_saved_search(request: HttpRequest, payload: SavedSearchIn) -> Status[SavedSearch]:
    member = member_of(request)
    saved = saved_searches.saved_search_create(
        workspace=member.workspace,
        by=member,
        name=payload.name,
        filters=_filters_json(payload.filters),
    )
    return Status(201, saved)


@router.patch(
    "/creators/saved-searches/{saved_id}",
    response={200: SavedSearchOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def update_saved_search(
    request: HttpRequest, saved_id: Id, payload: SavedSearchPatch
) -> SavedSearch:
    member = member_of(request)
    return saved_searches.saved_search_update(
        saved=_saved(member, saved_id),
        by=member,
        name=payload.name,
        filters=None if payload.filters is None else _filters_json(payload.filters),
    )


@router.delete(
    "/creators/saved-searches/{saved_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def delete_saved_search(request: HttpRequest, saved_id: Id) -> Status[None]:
    member = member_of(request)
    saved_searches.saved_search_delete(saved=_saved(member, saved_id), by=member)
    return Status(204, None)
