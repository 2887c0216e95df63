"""The fit page: ``/creators/<id>/fit/?brief=...`` scores one creator against a brief
(``creators.fit``) and shows the matching captions as the reason."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from infludesk.core.permissions import member_required
from infludesk.creators.fit import creator_fit
from infludesk.creators.selectors import creator_get


def split_categories(raw: str) -> list[str]:
    """Comma-separated categories -> trimmed, non-empty values."""
    return [c.strip() for c in raw.split(",") if c.strip()]


@member_required()
def creator_fit_view(request: HttpRequest, creator_id: int) -> HttpResponse:
    """GET ``?brief=&categories=a,b&language=en&country=FR``. Without ``brief`` the empty form;
    a blank or over-long brief is a 400 with the reason."""
    workspace = request.workspace  # type: ignore[attr-defined]
    creator = creator_get(workspace=workspace, creator_id=creator_id)
    form = {
        "brief": request.GET.get("brief", ""),
        "categories": request.GET.get("categories", ""),
        "language": request.GET.get("language", "").strip()[:8],
        "country": request.GET.get("country", "").strip()[:2],
    }
    context = {"creator": creator, "form": form, "result": None, "error": ""}
    if "brief" not in request.GET:
        return render(request, "creators/fit.html", context)
    try:
        context["result"] = creator_fit(
            workspace=workspace,
            creator=creator,
            brief_text=form["brief"],
            categories=split_categories(form["categories"]),
            language=form["language"],
            country=form["country"],
        )
    except ValueError as exc:
        context["error"] = str(exc)
        return render(request, "creators/fit.html", context, status=400)
    return render(request, "creators/fit.html", context)
