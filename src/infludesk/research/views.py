"""The Research section's page: it says plainly what is not built yet."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from infludesk.core.permissions import member_required


@member_required()
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "research/index.html")
