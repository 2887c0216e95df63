"""REST endpoints for documents, mounted by infludesk.api.api at /api/v1/: a campaign's
one-page proposal (JSON and PDF) and a deal's contract (create from the deal's terms, read,
change while a draft, mark sent, which freezes its text, sign, PDF).

The numbers and the text come from campaigns/documents.py, the same code as the pages, and the
PDFs are rendered the same way (core/pdf.py). Another workspace's campaign or deal is a 404.
Sending the contract by email lives with outreach (POST /deals/{id}/contract/send).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from ninja import Router, Status
from ninja.errors import HttpError

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES, ErrorOut
from infludesk.api.fields import Id
from infludesk.campaigns import documents
from infludesk.campaigns.budget import budget_summary
from infludesk.campaigns.models import Campaign, Contract, ContractStatus, Deal
from infludesk.campaigns.schemas_documents import (
    ContractIn,
    ContractOut,
    ContractPatch,
    ProposalOut,
    SignIn,
)
from infludesk.core.models import Member
from infludesk.core.pdf import html_to_pdf

router = Router(tags=["documents"])

PDF_RESPONSE = {
    "responses": {
        "200": {
            "description": "The PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _pdf(title: str, body_html: str, filename: str) -> HttpResponse:
    """The same document shell as the pages' PDFs (campaigns/document.html)."""
    html = render_to_string(
        "campaigns/document.html",
        {"title": title, "body": mark_safe(body_html)},  # noqa: S308 - our own template
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _campaign(member: Member, campaign_id: int) -> Campaign:
    rows = Campaign.objects.select_related("workspace")
    return get_object_or_404(rows, workspace_id=member.workspace_id, pk=campaign_id)


def _deal(member: Member, deal_id: int) -> Deal:
    rows = Deal.objects.select_related("campaign", "creator", "workspace")
    return get_object_or_404(rows, workspace_id=member.workspace_id, pk=deal_id)


# --- proposal ------------------------------------------------------------------------------


def _line(wave: Any, budget: Any) -> dict[str, Any]:
    return {
        "wave": wave.number if wave is not None else None,
        "name": str(wave) if wave is not None else "Whole campaign",
        "budget": budget.budget,
        "committed": budget.committed,
        "spent": budget.spent,
        "remaining": budget.remaining,
    }


@router.get("/campaigns/{campaign_id}/proposal", response={200: ProposalOut, **ERROR_RESPONSES})
def get_proposal(request: HttpRequest, campaign_id: Id) -> dict[str, Any]:
    """The one-page proposal: objective, goals, audience, the shortlisted creators with their
    reach, ER and estimated cost, the budget split by wave and the timeline."""
    campaign = _campaign(member_of(request), campaign_id)
    context = documents.proposal_context(campaign)
    total = context["budget"]
    creators = []
    for row in context["rows"]:
        deal, account = row["deal"], row["deal"].account
        creators.append(
            {
                "deal_id": deal.pk,
                "creator_id": deal.creator_id,
                "name": deal.creator.name,
                "stage": deal.stage,
                "wave": deal.wave.number if deal.wave is not None else None,
                "platform": account.platform if account else None,
                "handle": account.handle if account else None,
                "reach": account.followers if account else None,
                "engagement_rate": account.engagement_rate if account else None,
                "cost_low": row["low"],
                "cost_high": row["high"],
                "cost_basis": row["basis"],
            }
        )
    waves = context["waves"]
    timeline = [
        {"wave": w.number, "name": str(w), "starts_on": w.starts_on, "ends_on": w.ends_on}
        for w in waves
    ] or [
        {
            "wave": None,
            "name": "Whole campaign",
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
        }
    ]
    return {
        "campaign": campaign,
        "objective": campaign.objective,
        "goals": [
            {
                "id": g["goal"].pk,
                "metric": g["goal"].metric,
                "label": g["label"],
                "target": g["goal"].target,
                "baseline": g["goal"].baseline,
                "deadline": g["goal"].deadline,
            }
            for g in context["goals"]
        ],
        "audience": campaign.audience_notes,
        "creators": creators,
        "reach": context["reach"],
        "budget": {
            "currency": total.currency,
            "budget": total.budget,
            "committed": total.committed,
            "spent": total.spent,
            "remaining": total.remaining,
            "estimate_low": context["estimate_low"],
            "split": [_line(w, budget_summary(campaign=campaign, wave=w)) for w in waves],
        },
        "timeline": timeline,
    }


@router.get(
    "/campaigns/{campaign_id}/proposal.pdf",
    response={200: None, **ERROR_RESPONSES},
    openapi_extra=PDF_RESPONSE,
)
def get_proposal_pdf(request: HttpRequest, campaign_id: Id) -> HttpResponse:
    """The proposal as a one-page PDF (the same as the proposal page's download)."""
    campaign = _campaign(member_of(request), campaign_id)
    body = render_to_string("campaigns/proposal_body.html", documents.proposal_context(campaign))
    return _pdf(f"Proposal {campaign.name}", body, f"proposal-{campaign.slug}.pdf")


# --- contract ------------------------------------------------------------------------------


def _out(deal: Deal, contract: Contract) -> dict[str, Any]:
    return {
        "id": contract.pk,
        "deal_id": deal.pk,
        "status": contract.status,
        "usage_rights": contract.usage_rights,
        "exclusivity": contract.exclusivity,
        "extra_terms": contract.extra_terms,
        "text": documents.contract_text(deal, contract),
        "sent_at": contract.sent_at,
        "signed_at": contract.signed_at,
        "signed_by_name": contract.signed_by_name,
    }


def _existing(deal: Deal) -> Contract:
    contract = Contract.objects.filter(deal=deal).first()
    if contract is None:
        raise HttpError(404, "This deal has no contract yet; create it with POST.")
    return contract


@router.post(
    "/deals/{deal_id}/contract",
    response={201: ContractOut, 409: ErrorOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def create_contract(request: HttpRequest, deal_id: Id, payload: ContractIn) -> Status[Any]:
    """The deal's contract from its terms (fee, deliverables, dates, disclosure duty) and the
    usage rights, exclusivity and further terms given; a draft until marked sent."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    if Contract.objects.filter(deal=deal).exists():
        raise HttpError(409, "This deal already has a contract; change it with PATCH.")
    contract = documents.contract_save(deal=deal, by=member, **payload.model_dump())
    return Status(201, _out(deal, contract))


@router.get("/deals/{deal_id}/contract", response={200: ContractOut, **ERROR_RESPONSES})
def get_contract(request: HttpRequest, deal_id: Id) -> dict[str, Any]:
    deal = _deal(member_of(request), deal_id)
    return _out(deal, _existing(deal))


@router.patch(
    "/deals/{deal_id}/contract",
    response={200: ContractOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def update_contract(request: HttpRequest, deal_id: Id, payload: ContractPatch) -> dict[str, Any]:
    """Change the terms sent, while the contract is a draft (a sent one is frozen)."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    _existing(deal)
    fields = payload.model_dump(exclude_unset=True)
    return _out(deal, documents.contract_save(deal=deal, by=member, **fields))


@router.post(
    "/deals/{deal_id}/contract/mark-sent",
    response={200: ContractOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def mark_contract_sent(request: HttpRequest, deal_id: Id) -> dict[str, Any]:
    """draft -> sent, when you sent it yourself: the text is frozen from now on. Needs an
    agreed fee, product value or commission."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    _existing(deal)
    contract = documents.contract_mark(deal=deal, to=ContractStatus.SENT, by=member)
    return _out(deal, contract)


@router.post(
    "/deals/{deal_id}/contract/sign",
    response={200: ContractOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def sign_contract(request: HttpRequest, deal_id: Id, payload: SignIn) -> dict[str, Any]:
    """sent -> signed, by the name of who signed it."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    _existing(deal)
    contract = documents.contract_mark(
        deal=deal, to=ContractStatus.SIGNED, by=member, signed_by_name=payload.signed_by_name
    )
    return _out(deal, contract)


@router.get(
    "/deals/{deal_id}/contract.pdf",
    response={200: None, **ERROR_RESPONSES},
    openapi_extra=PDF_RESPONSE,
)
def get_contract_pdf(request: HttpRequest, deal_id: Id) -> HttpResponse:
    """The contract as PDF (the same as the contract page's download)."""
    deal = _deal(member_of(request), deal_id)
    text = documents.contract_text(deal, _existing(deal))
    body = render_to_string("campaigns/contract_body.html", {"text": text, "deal": deal})
    return _pdf("Contract", body, f"contract-{deal.pk}.pdf")
