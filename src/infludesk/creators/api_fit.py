"""Brand and voice fit over the REST API: ``GET /creators/{id}/fit?brief=...`` (mounted by
infludesk.api.api), with the optional target audience (``audience_countries=US:60,GB:40``,
``audience_ages=18-24,25-34``, ``audience_gender=F:70,M:30``) scored as audience overlap.
Every member reads; another workspace's creator is a 404."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from infludesk.api.auth import member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.creators.audience_overlap import TargetError, parse_target
from infludesk.creators.fit import creator_fit
from infludesk.creators.models import Creator
from infludesk.creators.views_fit import split_categories

router = Router(tags=["creators"])


class CaptionMatchOut(Schema):
    text: str
    similarity: float
    url: str


class BinOut(Schema):
    bin: str
    target: float
    audience: float


class DimensionOut(Schema):
    dimension: str
    overlap: float | None
    bins: list[BinOut]


class AudienceOverlapOut(Schema):
    value: float | None
    source: str
    evidence: str
    dimensions: list[DimensionOut]


class FitOut(Schema):
    creator_id: int
    score: float
    components: dict[str, float]
    bio_similarity: float | None
    caption_similarity: float | None
    top_captions: list[CaptionMatchOut]
    categories_shared: list[str]
    audience: AudienceOverlapOut | None


@router.get(
    "/creators/{creator_id}/fit",
    response={200: FitOut, **ERROR_RESPONSES},
    summary="Fit of a creator to a brief (0-100, with the matching captions)",
)
def creator_fit_api(
    request: HttpRequest,
    creator_id: Id,
    brief: str = "",
    categories: str = "",
    language: str = "",
    country: str = "",
    audience_countries: str = "",
    audience_ages: str = "",
    audience_gender: str = "",
) -> Any:
    member = member_of(request)
    creator = get_object_or_404(Creator, workspace_id=member.workspace_id, pk=creator_id)
    try:
        target = parse_target(
            countries=audience_countries[:500],
            ages=audience_ages[:500],
            gender=audience_gender[:100],
        )
    except TargetError as exc:
        raise ValidationError({exc.field: [str(exc)]}) from exc
    try:
        result = creator_fit(
            workspace=member.workspace,
            creator=creator,
            brief_text=brief,
            categories=split_categories(categories),
            language=language.strip()[:8],
            country=country.strip()[:2],
            target=target,
        )
    except ValueError as exc:
        # the API's one error shape: a 422 naming the field (api/errors.py)
        raise ValidationError({"brief": [str(exc)]}) from exc
    return {"creator_id": creator.pk, **asdict(result)}
