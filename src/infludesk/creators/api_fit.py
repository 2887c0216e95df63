"""Brand and voice fit over the REST API: ``GET /creators/{id}/fit?brief=...`` (mounted by
infludesk.api.api). Every member reads; another workspace's creator is a 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from infludesk.api.auth import member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.creators.fit import creator_fit
from infludesk.creators.models import Creator
from infludesk.creators.views_fit import split_categories

router = Router(tags=["creators"])


class CaptionMatchOut(Schema):
    text: str
    similarity: float
    url: str


class FitOut(Schema):
    creator_id: int
    score: float
    components: dict[str, float]
    bio_similarity: float | None
    caption_similarity: float | None
    top_captions: list[CaptionMatchOut]
    categories_shared: list[str]


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
) -> Any:
    member = member_of(request)
    creator = get_object_or_404(Creator, workspace_id=member.workspace_id, pk=creator_id)
    try:
        result = creator_fit(
            workspace=member.workspace,
            creator=creator,
            brief_text=brief,
            categories=split_categories(categories),
            language=language.strip()[:8],
            country=country.strip()[:2],
        )
    except ValueError as exc:
        # the API's one error shape: a 422 naming the field (api/errors.py)
        raise ValidationError({"brief": [str(exc)]}) from exc
    return {"creator_id": creator.pk, **result.__dict__}
