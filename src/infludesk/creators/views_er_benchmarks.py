"""The workspace's ER benchmarks page, beside the cost table: each platform and tier's typical
ER with its source; owners and managers set a figure (with its source) or reset to defaults."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from infludesk.core.permissions import member_required
from infludesk.creators import er_benchmarks as service


def _rate(value: str) -> Decimal | None:
    try:
        rate = Decimal(value.strip().replace("%", "").replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None
    return rate if rate.is_finite() else None


def _post(request: HttpRequest) -> str | None:
    """Apply the form; the error message, or None when it was saved."""
    workspace, member = request.workspace, request.member  # type: ignore[attr-defined]
    platform, tier = request.POST.get("platform", ""), request.POST.get("tier", "")
    try:
        if "reset_all" in request.POST:
            service.er_benchmarks_reset_all(workspace=workspace, by=member)
            messages.success(request, "Back to the default benchmarks.")
        elif "reset" in request.POST:
            service.er_benchmark_reset(workspace=workspace, platform=platform, tier=tier, by=member)
            messages.success(request, f"{platform} {tier}: back to the default benchmark.")
        else:
            rate = _rate(request.POST.get("rate", ""))
            if rate is None:
                return "The rate must be a number, e.g. 1.6 (percent)."
            service.er_benchmark_set(
                workspace=workspace,
                platform=platform,
                tier=tier,
                rate=rate,
                source=request.POST.get("source", ""),
                by=member,
            )
            messages.success(request, f"{platform} {tier}: benchmark saved.")
    except ValidationError as error:
        return " ".join(m for msgs in error.message_dict.values() for m in msgs)
    return None


@member_required()
@require_http_methods(["GET", "POST"])
def er_benchmarks_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        if not request.member.can_write:  # type: ignore[attr-defined]
            raise PermissionDenied("Your role in this workspace is read-only.")
        problem = _post(request)
        if problem is None:
            return redirect("shortlists:er_benchmarks")
        messages.error(request, problem)
        status = 400
    rows = service.er_benchmark_rows(workspace=workspace)
    return render(
        request,
        "creators/shortlists/er_benchmarks.html",
        {
            "rows": rows,
            "default_source": service.er_benchmarks_default().source,
            "platforms": sorted({r.platform for r in rows}),
            "tiers": service.BENCHMARK_TIERS,
            "customised": any(not r.is_default for r in rows),
        },
        status=status,
    )
