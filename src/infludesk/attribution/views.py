"""A campaign's attribution page: every model side by side per creator, with intervals."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from infludesk.attribution.journeys import CODE_TOUCHPOINT, CODE_WINS
from infludesk.attribution.selectors import (
    OTHER,
    campaign_attribution,
    chart_figure,
)
from infludesk.campaigns.models import Campaign
from infludesk.core.permissions import member_required

MAX_WINDOW_DAYS = 365


class AttributionSettingsForm(forms.Form):
    """The page's settings, read from the query string (blank fields take their default)."""

    window_days = forms.IntegerField(
        label="Attribution window (days)",
        min_value=0,
        max_value=MAX_WINDOW_DAYS,
        required=False,
        widget=forms.NumberInput(attrs={"placeholder": "30"}),
        help_text="Clicks this many days before an order count as touchpoints (default 30).",
    )
    code_rule = forms.ChoiceField(
        label="Discount codes",
        required=False,
        choices=[
            (CODE_WINS, "Code beats clicks (the code's creator gets the order)"),
            (CODE_TOUCHPOINT, "Code counts as one more touchpoint"),
        ],
    )

    def settings(self) -> tuple[int, str]:
        data = self.cleaned_data
        window = data.get("window_days")
        return (30 if window is None else window), (data.get("code_rule") or CODE_WINS)


@require_GET
@member_required()
def campaign_attribution_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    # scoped to the member's workspace: another workspace's campaign is a 404
    campaign = get_object_or_404(Campaign, workspace=workspace, pk=campaign_id)
    form = AttributionSettingsForm(request.GET)
    context: dict[str, object] = {"campaign": campaign, "form": form, "other": OTHER}
    if not form.is_valid():
        return render(request, "attribution/campaign.html", context, status=400)
    window_days, code_rule = form.settings()
    report = campaign_attribution(
        workspace=workspace, campaign=campaign, window_days=window_days, code_rule=code_rule
    )
    context["report"] = report
    if report.rows:
        context["figure"] = chart_figure(report)
        context["model_rows"] = [
            {"label": label, "conversions": conv, "revenue": rev}
            for label, (conv, rev) in zip(report.model_labels, report.totals(), strict=True)
        ]
    return render(request, "attribution/campaign.html", context)
