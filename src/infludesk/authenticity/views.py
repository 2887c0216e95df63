"""The explained authenticity score of one account: ``/authenticity/accounts/<id>/`` shows
each signal with its value, benchmark, deduction and evidence, the confidence, the audience
quality and the follower chart with the spike dates; POST (owner/manager) scores it again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from infludesk.authenticity import explanation as reads
from infludesk.authenticity.services import account_score_authenticity
from infludesk.core.permissions import member_required


@member_required()
def account_authenticity_view(request: HttpRequest, account_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    account = reads.account_get(workspace=workspace, account_id=account_id)
    explained = reads.explanation(account)
    snapshots = reads.snapshots_of(workspace=workspace, account=account)
    return render(
        request,
        "authenticity/account.html",
        {
            "account": account,
            "explained": explained,
            "figures": reads.account_figures(
                workspace=workspace, account=account, snapshots=snapshots
            ),
            "chart": reads.growth_chart(explained=explained, snapshots=snapshots),
        },
    )


@member_required(write=True)
def account_rescore_view(request: HttpRequest, account_id: int) -> HttpResponse:
    """POST only: score the account again from its stored evidence (audited)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    account = reads.account_get(workspace=workspace, account_id=account_id)
    if request.method != "POST":
        return redirect("authenticity:account", account_id=account.pk)
    result = account_score_authenticity(
        workspace=workspace,
        account=account,
        by=request.member,  # type: ignore[attr-defined]
    )
    messages.success(request, f"Scored again: {result.score} / 100.")
    return redirect("authenticity:account", account_id=account.pk)
