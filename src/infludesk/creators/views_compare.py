"""The compare page: 2-5 creators side by side (figures from ``creators.compare``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from infludesk.core.permissions import member_required
from infludesk.creators.compare import compare_columns, parse_ids


@member_required()
def compare_view(request: HttpRequest) -> HttpResponse:
    """GET ``?ids=1,2,3``. A POST of selected ``ids`` (the creators list's checkboxes)
    redirects to that GET, so the compare page is always a plain shareable link."""
    if request.method == "POST":
        values = request.POST.getlist("ids")
        query = urlencode({"ids": ",".join(v for v in values if v)})
        return redirect(f"{reverse('creators:compare')}?{query}")
    parsed = parse_ids(request.GET.getlist("ids"))
    if isinstance(parsed, str):
        return render(request, "creators/compare.html", {"error": parsed}, status=400)
    workspace = request.workspace  # type: ignore[attr-defined]
    columns, chart = compare_columns(workspace=workspace, creator_ids=parsed)
    return render(
        request,
        "creators/compare.html",
        {
            "columns": columns,
            "chart": chart if chart["data"] else None,
            "currency": workspace.currency,
            "ids": ",".join(str(i) for i in parsed),
        },
    )
