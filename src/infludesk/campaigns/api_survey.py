"""REST endpoints for a campaign's survey answers, mounted by infludesk.api.api at /api/v1/.

Every write goes through campaigns/surveys.py (the same checks and audit entries as the Survey
answers page). The CSV import is multipart (`file`): rows with errors come back by line and
field and are skipped, good rows land, and a respondent ref + question already stored is
updated, not duplicated. The mean score summary lives in analytics/api.py (it uses the
analytics metrics, which campaigns may not import).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, FilterLookup, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import DecimalStr, Id, QueryFilter, StrictIn
from infludesk.api.pagination import Page, PageParams, paginate
from infludesk.campaigns import surveys
from infludesk.campaigns.models import Campaign, SurveyResponse
from infludesk.campaigns.views_survey import MAX_CSV_BYTES
from infludesk.core.models import Member

router = Router(tags=["survey answers"])

Question = Annotated[str, Field(max_length=300)]
RespondentRef = Annotated[str, Field(max_length=120)]
Score = Annotated[Decimal, Field(description="a number between -999999 and 999999")]
When = Annotated[dt.datetime, Field(description="ISO 8601 date or date-time (UTC if no zone)")]


class SurveyAnswerOut(Schema):
    id: int
    campaign_id: int
    deal_id: int | None
    creator_id: int | None
    question: str
    answer: str
    score: DecimalStr | None
    respondent_ref: str
    answered_at: dt.datetime
    source: str


class SurveyAnswerIn(StrictIn):
    """Answer text, a score, or both. With a respondent_ref, the same respondent and question
    again updates the stored answer (200) instead of adding one (201)."""

    question: Question
    answer: str = ""
    score: Score | None = None
    respondent_ref: RespondentRef = ""
    answered_at: When | None = None
    deal_id: Id | None = Field(None, description="a deal of this campaign")


class SurveyAnswerPatch(StrictIn):
    """Only the fields sent change; `deal_id: null` unlinks the deal."""

    question: Question | None = None
    answer: str | None = None
    score: Score | None = None
    respondent_ref: RespondentRef | None = None
    answered_at: When | None = None
    deal_id: Id | None = None


class SurveyAnswerFilter(QueryFilter):
    question: Annotated[str | None, FilterLookup("question")] = Field(
        None, max_length=300, description="exact question text"
    )
    deal_id: Annotated[Id | None, FilterLookup("deal_id")] = None


class SurveyAnswerPage(Page):
    items: list[SurveyAnswerOut]


class SurveyImportErrorOut(Schema):
    line: int
    field: str
    message: str


class SurveyImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    errors: list[SurveyImportErrorOut]


def _campaign(member: Member, campaign_id: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("workspace"),
        workspace_id=member.workspace_id,
        pk=campaign_id,
    )


def _answer(member: Member, answer_id: int) -> SurveyResponse:
    return get_object_or_404(
        SurveyResponse.objects.select_related("workspace", "campaign"),
        workspace_id=member.workspace_id,
        pk=answer_id,
    )


@router.get(
    "/campaigns/{campaign_id}/survey-responses",
    response={200: SurveyAnswerPage, **ERROR_RESPONSES},
)
def list_survey_answers(
    request: HttpRequest,
    campaign_id: Id,
    filters: Query[SurveyAnswerFilter],
    page: Query[PageParams],
) -> dict[str, Any]:
    """The campaign's answers, newest first; filter by exact question text and by deal."""
    campaign = _campaign(member_of(request), campaign_id)
    rows = filters.filter(SurveyResponse.objects.filter(workspace_id=campaign.workspace_id))
    return paginate(request, rows.filter(campaign=campaign).order_by("-answered_at", "-pk"), page)


@router.post(
    "/campaigns/{campaign_id}/survey-responses",
    response={200: SurveyAnswerOut, 201: SurveyAnswerOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def create_survey_answer(
    request: HttpRequest, campaign_id: Id, payload: SurveyAnswerIn
) -> Status[SurveyResponse]:
    """Record one answer (201); the same respondent_ref and question again updates it (200)."""
    member = member_of(request)
    row, outcome = surveys.survey_answer_save(
        campaign=_campaign(member, campaign_id), by=member, **payload.model_dump()
    )
    return Status(201 if outcome == surveys.CREATED else 200, row)


@router.patch(
    "/survey-responses/{answer_id}",
    response={200: SurveyAnswerOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def update_survey_answer(
    request: HttpRequest, answer_id: Id, payload: SurveyAnswerPatch
) -> SurveyResponse:
    """Change the fields sent, with the same checks as a new answer."""
    member = member_of(request)
    row, _ = surveys.survey_answer_update(
        response=_answer(member, answer_id),
        by=member,
        changes=payload.model_dump(exclude_unset=True),
    )
    return row


@router.delete(
    "/survey-responses/{answer_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def delete_survey_answer(request: HttpRequest, answer_id: Id) -> Status[None]:
    member = member_of(request)
    surveys.survey_answer_delete(response=_answer(member, answer_id), by=member)
    return Status(204, None)


@router.post(
    "/campaigns/{campaign_id}/survey-responses/import",
    response={200: SurveyImportOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def import_survey_answers(
    request: HttpRequest, campaign_id: Id, file: File[UploadedFile]
) -> dict[str, Any]:
    """Import a UTF-8 CSV (multipart field `file`, up to 5 MB) with the columns question,
    respondent_ref, answer and/or score, optionally answered_at and deal_id. Rows with errors
    are listed by line and field and skipped; the others land. A file the import cannot read
    at all (too large, not UTF-8, missing columns) is a 422 on `file` and changes nothing."""
    member = member_of(request)
    campaign = _campaign(member, campaign_id)
    name = file.name or ""
    if (file.size or 0) > MAX_CSV_BYTES:
        raise ValidationError({"file": [f"{name} is larger than 5 MB; split it."]})
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": [f"{name} is not UTF-8 text."]}) from None
    result = surveys.survey_import_csv(campaign=campaign, by=member, text=text, filename=name)
    if [field for _, field, _ in result.errors] == ["header"]:
        raise ValidationError({"file": [result.errors[0][2]]})
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": [{"line": ln, "field": f, "message": m} for ln, f, m in result.errors],
    }
