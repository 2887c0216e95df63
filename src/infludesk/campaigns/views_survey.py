"""A campaign's survey answers: the list, an entry form and a CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from infludesk.campaigns import surveys
from infludesk.campaigns.models import Campaign, SurveyResponse
from infludesk.core.permissions import member_required

MAX_CSV_BYTES = 5 * 1024 * 1024
SHOWN = 200


def _act(request: HttpRequest, campaign: Campaign) -> tuple[list[str], surveys.SurveyImport | None]:
    """Run the posted action: (errors, import result)."""
    member = request.member  # type: ignore[attr-defined]
    data = request.POST
    action = data.get("action", "")
    if action == "answer":
        _, outcome = surveys.survey_answer_save(
            campaign=campaign,
            by=member,
            question=data.get("question", ""),
            answer=data.get("answer", ""),
            score=data.get("score", ""),
            respondent_ref=data.get("respondent_ref", ""),
            answered_at=data.get("answered_at", ""),
            deal_id=data.get("deal_id", ""),
        )
        messages.success(request, f"Answer {outcome}.")
        return [], None
    if action == "delete":
        row = get_object_or_404(SurveyResponse, pk=data.get("answer_id") or 0, campaign=campaign)
        surveys.survey_answer_delete(response=row, by=member)
        messages.success(request, "Answer deleted.")
        return [], None
    if action == "import":
        upload = request.FILES.get("csv")
        if upload is None:
            return ["Choose a CSV file to import."], None
        if (upload.size or 0) > MAX_CSV_BYTES:
            return [f"{upload.name} is larger than 5 MB; split it."], None
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            return [f"{upload.name} is not UTF-8 text; save it as CSV (UTF-8)."], None
        result = surveys.survey_import_csv(
            campaign=campaign, by=member, text=text, filename=upload.name or ""
        )
        return [], result
    return [f"Unknown action {action!r}."], None


@member_required()
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.select_related("workspace"),
        pk=campaign_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    errors: list[str] = []
    result = None
    if request.method == "POST":
        if not request.member.can_write:  # type: ignore[attr-defined]
            return HttpResponse("Your role in this workspace is read-only.", status=403)
        try:
            errors, result = _act(request, campaign)
        except ValidationError as exc:
            errors = [
                f"{k}: {m}" if k != "__all__" else m
                for k, ms in exc.message_dict.items()
                for m in ms
            ]
        if not errors and result is None:
            return redirect("campaigns:survey", campaign_id=campaign.pk)
    answers = surveys.survey_answers(campaign=campaign)
    context = {
        "campaign": campaign,
        "answers": answers.order_by("-answered_at", "-pk")[:SHOWN],
        "total": answers.count(),
        "questions": surveys.survey_questions(campaign=campaign),
        "deals": campaign.deals.select_related("creator").order_by("creator__name"),
        "errors": errors,
        "result": result,
        "shown": SHOWN,
        "columns": ", ".join(surveys.CSV_COLUMNS),
    }
    status = 400 if errors or (result is not None and result.errors) else 200
    return render(request, "campaigns/survey.html", context, status=status)
