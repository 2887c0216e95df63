"""Contract and proposal pages, each also as a PDF (?format=pdf)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from infludesk.campaigns import documents, logistics
from infludesk.campaigns.models import Campaign, Deal
from infludesk.core.pdf import html_to_pdf
from infludesk.core.permissions import member_required


def _pdf(title: str, body_html: str, filename: str) -> HttpResponse:
    html = render_to_string(
        "campaigns/document.html",
        {"title": title, "body": mark_safe(body_html)},  # noqa: S308
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required()
def contract_page(request: HttpRequest, deal_id: int) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    deal = get_object_or_404(
        Deal.objects.select_related("campaign", "creator", "workspace"),
        pk=deal_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    errors: list[str] = []
    if request.method == "POST":
        if not member.can_write:
            return HttpResponse("Your role in this workspace is read-only.", status=403)
        action = request.POST.get("action", "")
        try:
            if action == "save":
                documents.contract_save(
                    deal=deal,
                    by=member,
                    usage_rights=request.POST.get("usage_rights", ""),
                    exclusivity=request.POST.get("exclusivity", ""),
                    extra_terms=request.POST.get("extra_terms", ""),
                )
            elif action in ("sent", "signed"):
                documents.contract_mark(
                    deal=deal,
                    to=action,
                    by=member,
                    signed_by_name=request.POST.get("signed_by_name", ""),
                )
            else:
                errors.append(f"Unknown action {action!r}.")
        except ValidationError as exc:
            errors = exc.messages
        if not errors:
            return redirect("content:contract", deal_id=deal.pk)
    contract = documents.contract_for(deal)
    text = documents.contract_text(deal, contract)
    if request.GET.get("format") == "pdf":
        body = render_to_string("campaigns/contract_body.html", {"text": text, "deal": deal})
        return _pdf("Contract", body, f"contract-{deal.pk}.pdf")
    return render(
        request,
        "campaigns/contract.html",
        {"deal": deal, "contract": contract, "text": text, "errors": errors},
        status=400 if errors else 200,
    )


@member_required()
def proposal_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.select_related("workspace"),
        pk=campaign_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    context = documents.proposal_context(campaign)
    if request.GET.get("format") == "pdf":
        body = render_to_string("campaigns/proposal_body.html", context)
        return _pdf(f"Proposal {campaign.name}", body, f"proposal-{campaign.slug}.pdf")
    return render(request, "campaigns/proposal.html", context)


@member_required()
def shipments_csv(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign's parcels for the warehouse."""
    campaign = get_object_or_404(
        Campaign,
        pk=campaign_id,
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    body = logistics.shipments_csv(workspace=campaign.workspace, campaign=campaign)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="shipments-{campaign.slug}.csv"'
    return response
