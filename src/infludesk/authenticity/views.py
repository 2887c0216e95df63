"""The explained authenticity score of one account: ``/authenticity/accounts/<id>/`` shows
each signal with its value, benchmark, deduction and evidence, the confidence, the audience
quality and the follower chart with the spike dates; POST (owner/manager) scores it again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from infludesk.authenticity import explanation as reads
from infludesk.authenticity.classify_csv import AccountsCsvError
from infludesk.authenticity.follower_csv import parse_follower_csv
from infludesk.authenticity.services import account_score_authenticity, follower_sample_import
from infludesk.core.permissions import member_required


@member_required()
def account_authenticity_view(
    request: HttpRequest, account_id: int, *, error: str = "", status: int = 200
) -> HttpResponse:
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
            "upload_error": error,
        },
        status=status,
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


MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@member_required(write=True)
def follower_sample_upload_view(request: HttpRequest, account_id: int) -> HttpResponse:
    """POST a CSV follower sample (``file``, optional ``replace``): stored, classified and
    audited, then back to the page; a bad file is a 400 on the page naming what is wrong."""
    workspace = request.workspace  # type: ignore[attr-defined]
    account = reads.account_get(workspace=workspace, account_id=account_id)
    if request.method != "POST":
        return redirect("authenticity:account", account_id=account.pk)
    upload = request.FILES.get("file")
    if upload is None:
        error = "Choose a CSV file to upload."
    elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        error = "The file is too large (5 MB at most)."
    else:
        try:
            rows = parse_follower_csv(upload.read().decode("utf-8-sig"))
            counts = follower_sample_import(
                workspace=workspace,
                account=account,
                rows=rows,
                by=request.member,  # type: ignore[attr-defined]
                replace=bool(request.POST.get("replace")),
            )
        except UnicodeDecodeError:
            error = "The file is not UTF-8 text."
        except (AccountsCsvError, ValueError) as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"Follower sample: {counts['created']} added, {counts['updated']} updated, "
                f"{counts['deleted']} removed ({counts['sample_size']} in the sample). "
                "Score again to use it.",
            )
            return redirect("authenticity:account", account_id=account.pk)
    return account_authenticity_view(request, account_id, error=error, status=400)
