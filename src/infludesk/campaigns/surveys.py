"""Survey answers of a campaign (the insight objective's "survey answers" KPI): typed in one by
one or imported by CSV. The same respondent answering the same question again updates the
answer, so importing a file twice adds nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from infludesk.campaigns.models import Campaign, Deal, SurveyResponse
from infludesk.core.audit import audit_record, changed_fields, snapshot_fields
from infludesk.core.models import Member

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
MAX_SCORE = Decimal("999999.999")
CSV_COLUMNS = ("question", "respondent_ref", "answer", "score", "answered_at", "deal_id")
MAX_IMPORT_ROWS = 50_000


def parse_score(value: Any) -> Decimal | None:
    """A score from text or a number; blank is no score."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({"score": [f"{value!r} is not a number."]}) from None
    if not score.is_finite() or abs(score) > MAX_SCORE:
        raise ValidationError({"score": ["Scores must be numbers between -999999 and 999999."]})
    return score.quantize(Decimal("0.001"))


def parse_when(value: Any) -> dt.datetime | None:
    """An ISO 8601 date or date-time (UTC when it names no zone); blank is None."""
    if value is None or isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    if not text:
        return None
    parsed = parse_datetime(text)
    if parsed is None:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        except ValueError:
            raise ValidationError(
                {"answered_at": [f"{text!r} is not an ISO 8601 date or date-time."]}
            ) from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)


def _deal_in(campaign: Campaign, deal_id: Any) -> Deal | None:
    if deal_id in (None, ""):
        return None
    text = str(deal_id).strip()
    deal = (
        Deal.objects.filter(campaign=campaign, pk=int(text)).select_related("creator").first()
        if text.isdigit() and len(text) <= 18
        else None
    )
    if deal is None:
        raise ValidationError({"deal_id": [f"No deal {text} in this campaign."]})
    return deal


def _save(
    *,
    campaign: Campaign,
    question: str,
    answer: str,
    score: Any,
    respondent_ref: str,
    answered_at: Any,
    deal_id: Any,
    source: str,
    existing: SurveyResponse | None = None,
    unlink_deal: bool = False,
) -> tuple[SurveyResponse, str, dict[str, list[Any]]]:
    question, answer, respondent_ref = question.strip(), answer.strip(), respondent_ref.strip()
    errors: dict[str, list[str]] = {}
    for name, value in (
        ("question", question),
        ("answer", answer),
        ("respondent_ref", respondent_ref),
    ):
        if "\x00" in value:
            errors[name] = ["Text cannot contain NUL characters."]
    if errors:
        raise ValidationError(errors)
    if not question:
        errors["question"] = ["Give the question this answers."]
    parsed: dict[str, Any] = {}
    for name, parse, value in (
        ("score", parse_score, score),
        ("answered_at", parse_when, answered_at),
        ("deal_id", lambda v: _deal_in(campaign, v), deal_id),
    ):
        try:
            parsed[name] = parse(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not answer and parsed.get("score") is None and "score" not in errors:
        errors["answer"] = ["Give the answer text, a score, or both."]
    if errors:
        raise ValidationError(errors)
    deal: Deal | None = parsed["deal_id"]
    row = existing
    if existing is not None and respondent_ref:
        clash = (
            SurveyResponse.objects.filter(
                campaign=campaign, respondent_ref=respondent_ref, question=question
            )
            .exclude(pk=existing.pk)
            .values_list("pk", flat=True)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "respondent_ref": [
                        f"Answer {clash} already holds this respondent's answer to this question."
                    ]
                }
            )
    elif respondent_ref:
        row = SurveyResponse.objects.filter(
            campaign=campaign, respondent_ref=respondent_ref, question=question
        ).first()
    before = snapshot_fields(row) if row is not None else {}
    if row is None:
        row = SurveyResponse(
            workspace_id=campaign.workspace_id,
            campaign=campaign,
            question=question,
            respondent_ref=respondent_ref,
            answered_at=parsed["answered_at"] or timezone.now(),
            source=source,
        )
    elif parsed["answered_at"] is not None:
        row.answered_at = parsed["answered_at"]
    row.question, row.respondent_ref = question, respondent_ref
    row.answer, row.score = answer, parsed["score"]
    if deal is not None:
        row.deal, row.creator = deal, deal.creator
    elif unlink_deal:
        row.deal, row.creator = None, None
    row.full_clean(exclude=["workspace", "campaign", "deal", "creator"], validate_constraints=False)
    changes = changed_fields(before, snapshot_fields(row))
    if before and not changes:
        return row, UNCHANGED, {}
    row.save()
    return row, (UPDATED if before else CREATED), changes


@transaction.atomic
def survey_answer_save(
    *,
    campaign: Campaign,
    by: Member | None,
    question: str,
    answer: str = "",
    score: Any = None,
    respondent_ref: str = "",
    answered_at: Any = None,
    deal_id: Any = None,
) -> tuple[SurveyResponse, str]:
    """Record one answer (text, a numeric score, or both). With a respondent ref, the same
    respondent and question again updates the answer. Returns (answer, outcome)."""
    row, outcome, changes = _save(
        campaign=campaign,
        question=question,
        answer=answer,
        score=score,
        respondent_ref=respondent_ref,
        answered_at=answered_at,
        deal_id=deal_id,
        source="form",
    )
    if outcome != UNCHANGED:
        audit_record(
            workspace=campaign.workspace,
            actor=by,
            action=f"survey.answer_{'create' if outcome == CREATED else 'update'}",
            target=row,
            changes=changes,
        )
    return row, outcome


SURVEY_FIELDS = ("question", "answer", "score", "respondent_ref", "answered_at", "deal_id")


@transaction.atomic
def survey_answer_update(
    *, response: SurveyResponse, by: Member | None, changes: dict[str, Any]
) -> tuple[SurveyResponse, str]:
    """Change one answer in place: only the fields in `changes` (see SURVEY_FIELDS), with the
    same checks as a new answer; `deal_id` None unlinks the deal. Moving it onto a respondent ref
    and question that another answer holds is refused on respondent_ref. Returns (answer,
    "updated" or "unchanged")."""
    unknown = set(changes) - set(SURVEY_FIELDS)
    if unknown:
        raise ValueError(f"unknown survey answer field(s): {', '.join(sorted(unknown))}")
    current: dict[str, Any] = {
        "question": response.question,
        "answer": response.answer,
        "score": response.score,
        "respondent_ref": response.respondent_ref,
        "answered_at": response.answered_at,
        "deal_id": response.deal_id,
    }
    current.update(changes)
    row, outcome, diff = _save(
        campaign=response.campaign,
        question=current["question"] or "",
        answer=current["answer"] or "",
        score=current["score"],
        respondent_ref=current["respondent_ref"] or "",
        answered_at=current["answered_at"],
        deal_id=current["deal_id"],
        source=response.source,
        existing=response,
        unlink_deal="deal_id" in changes and changes["deal_id"] in (None, ""),
    )
    if outcome != UNCHANGED:
        audit_record(
            workspace=response.workspace,
            actor=by,
            action="survey.answer_update",
            target=row,
            changes=diff,
        )
    return row, outcome


@transaction.atomic
def survey_answer_delete(*, response: SurveyResponse, by: Member | None) -> None:
    audit_record(
        workspace=response.workspace,
        actor=by,
        action="survey.answer_delete",
        target=response,
        changes=changed_fields(snapshot_fields(response), {}),
    )
    response.delete()


@dataclass
class SurveyImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, message)


def survey_import_csv(
    *, campaign: Campaign, by: Member | None, text: str, filename: str = ""
) -> SurveyImport:
    """Import answers from CSV. Columns: question, respondent_ref, answer and/or score, then
    optionally answered_at (ISO 8601) and deal_id (a deal of this campaign). Rows with errors are
    reported by line and column and skipped; good rows land; a respondent_ref + question already
    imported is updated, not duplicated. One audit entry sums the import up."""
    result = SurveyImport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in ("question", "respondent_ref") if c not in header]
    if missing or not {"answer", "score"} & set(header):
        needed = missing + ([] if {"answer", "score"} & set(header) else ["answer or score"])
        result.errors.append((1, "header", f"missing column(s): {', '.join(needed)}"))
        return result
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a field over the csv module's size limit
            result.errors.append((reader.line_num + 1, "file", f"unreadable CSV: {exc}"))
            break
        line = reader.line_num
        if line > MAX_IMPORT_ROWS + 1:
            result.errors.append((line, "file", f"stopped after {MAX_IMPORT_ROWS} rows"))
            break
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if not (row.get("respondent_ref") or "").strip():
            result.errors.append(
                (line, "respondent_ref", "Needed, so importing the file again does not duplicate.")
            )
            continue
        try:
            with transaction.atomic():
                _, outcome, _ = _save(
                    campaign=campaign,
                    question=row.get("question") or "",
                    answer=row.get("answer") or "",
                    score=row.get("score"),
                    respondent_ref=row.get("respondent_ref") or "",
                    answered_at=row.get("answered_at"),
                    deal_id=row.get("deal_id"),
                    source="csv",
                )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                result.errors.append((line, name, "; ".join(messages)))
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
    if result.created or result.updated:
        audit_record(
            workspace=campaign.workspace,
            actor=by,
            action="survey.import",
            target=campaign,
            changes={
                "file": [None, filename],
                "created": [None, result.created],
                "updated": [None, result.updated],
                "errors": [None, len(result.errors)],
            },
        )
    return result


def survey_answers(*, campaign: Campaign) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(
        workspace_id=campaign.workspace_id, campaign=campaign
    ).select_related("deal__creator")


def survey_questions(*, campaign: Campaign) -> list[dict[str, Any]]:
    """Each question with its number of answers, most answered first."""
    return list(
        survey_answers(campaign=campaign)
        .values("question")
        .annotate(n=Count("id"))
        .order_by("-n", "question")
    )
