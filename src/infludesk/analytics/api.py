"""REST endpoints of the analytics app, mounted by infludesk.api.api at /api/v1/.

The survey summary sits here rather than in campaigns/api_survey.py because it uses the
analytics metrics (the mean score and its t interval, as on the campaign's progress), which the
campaigns app may not import.
"""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from infludesk.analytics.metrics import survey
from infludesk.api.auth import member_of
from infludesk.api.errors import ERROR_RESPONSES
from infludesk.api.fields import Id
from infludesk.campaigns.models import Campaign, SurveyResponse

router = Router(tags=["survey answers"])

PLACES = 4  # rounding of means and interval ends


class ScoreSummary(Schema):
    """Answers counted, and for the scored ones n, the mean and its 95% interval (Student's t;
    null ends with a single score; all null without scores)."""

    answers: int
    scored: int
    mean_score: float | None
    ci_low: float | None
    ci_high: float | None


class QuestionSummary(ScoreSummary):
    question: str


class SurveySummaryOut(Schema):
    campaign_id: int
    total: ScoreSummary
    questions: list[QuestionSummary]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, PLACES)


def _summary(answers: int, scores: list[float]) -> dict[str, object]:
    if not scores:
        return {
            "answers": answers,
            "scored": 0,
            "mean_score": None,
            "ci_low": None,
            "ci_high": None,
        }
    mean = survey.score_mean(scores)
    return {
        "answers": answers,
        "scored": mean.n,
        "mean_score": _round(mean.mean),
        "ci_low": _round(mean.ci_low),
        "ci_high": _round(mean.ci_high),
    }


@router.get(
    "/campaigns/{campaign_id}/survey-summary",
    response={200: SurveySummaryOut, **ERROR_RESPONSES},
)
def survey_summary(request: HttpRequest, campaign_id: Id) -> dict[str, object]:
    """Per question (most answered first, then by text) and in total: the number of answers,
    and where scores exist their n, mean and 95% confidence interval. Scores 4, 5, 3, 4, 4 give
    mean 4.0, interval 3.122 to 4.878."""
    member = member_of(request)
    campaign = get_object_or_404(Campaign, workspace_id=member.workspace_id, pk=campaign_id)
    counts: dict[str, int] = defaultdict(int)
    scores: dict[str, list[float]] = defaultdict(list)
    rows = SurveyResponse.objects.filter(
        workspace_id=campaign.workspace_id, campaign=campaign
    ).values_list("question", "score")
    for question, score in rows:
        counts[question] += 1
        if score is not None:
            scores[question].append(float(score))
    order = sorted(counts, key=lambda q: (-counts[q], q))
    return {
        "campaign_id": campaign.pk,
        "total": _summary(sum(counts.values()), [s for q in order for s in scores[q]]),
        "questions": [{"question": q, **_summary(counts[q], scores[q])} for q in order],
    }
