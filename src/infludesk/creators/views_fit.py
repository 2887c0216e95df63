"""The fit page: ``/creators/<id>/fit/?brief=...`` scores one creator against a brief
(``creators.fit``) and shows the matching captions as the reason."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from infludesk.core.permissions import member_required
from infludesk.creators.audience_overlap import AGE_BANDS, DIMENSION_LABELS, parse_target
from infludesk.creators.fit import creator_fit
from infludesk.creators.selectors import creator_get


def split_categories(raw: str) -> list[str]:
    """Comma-separated categories -> trimmed, non-empty values."""
    return [c.strip() for c in raw.split(",") if c.strip()]


@member_required()
def creator_fit_view(request: HttpRequest, creator_id: int) -> HttpResponse:
    """GET ``?brief=&categories=a,b&language=en&country=FR`` and the target audience
    ``audience_countries=US:60,GB:40&audience_ages=18-24,25-34&audience_gender=F:70,M:30``.
    Without ``brief`` the empty form; a blank or over-long brief or an unreadable audience
    split is a 400 with the reason."""
    workspace = request.workspace  # type: ignore[attr-defined]
    creator = creator_get(workspace=workspace, creator_id=creator_id)
    form = {
        "brief": request.GET.get("brief", ""),
        "categories": request.GET.get("categories", ""),
        "language": request.GET.get("language", "").strip()[:8],
        "country": request.GET.get("country", "").strip()[:2],
        "audience_countries": request.GET.get("audience_countries", "")[:500],
        "audience_ages": request.GET.get("audience_ages", "")[:500],
        "audience_gender": request.GET.get("audience_gender", "")[:100],
    }
    context = {
        "creator": creator,
        "form": form,
        "result": None,
        "error": "",
        "age_bands": AGE_BANDS,
        "dimension_labels": DIMENSION_LABELS,
    }
    if "brief" not in request.GET:
        return render(request, "creators/fit.html", context)
    try:
        target = parse_target(
            countries=form["audience_countries"],
            ages=form["audience_ages"],
            gender=form["audience_gender"],
        )
        context["result"] = creator_fit(
            workspace=workspace,
            creator=creator,
            brief_text=form["brief"],
            categories=split_categories(form["categories"]),
            language=form["language"],
            country=form["country"],
            target=target,
        )
    except ValueError as exc:
        context["error"] = str(exc)
        return render(request, "creators/fit.html", context, status=400)
    return render(request, "creators/fit.html", context)
