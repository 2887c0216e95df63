"""A deal's contract sent to the creator by email: the PDF attached, on the deal's thread, and the
contract marked sent (campaigns' contract_mark freezes its text)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from infludesk.campaigns import documents
from infludesk.campaigns.models import Contract, ContractStatus, Deal
from infludesk.core.models import Member
from infludesk.core.pdf import html_to_pdf
from infludesk.outreach.models import EmailMessage
from infludesk.outreach.services import ContactBlocked, email_send

DEFAULT_SUBJECT = "Contract: {{campaign.name}} with {{brand.name}}"
DEFAULT_BODY = (
    "Hi {{creator.first_name}},\n\n"
    "attached is our contract for {{campaign.name}} as a PDF. Please read it, sign it and send it "
    "back by replying to this email.\n\n"
    "Thank you,\n{{brand.name}}"
)


def contract_pdf(deal: Deal, text: str) -> bytes:
    """The contract as PDF, laid out like the contract page's download."""
    body = render_to_string("campaigns/contract_body.html", {"text": text, "deal": deal})
    html = render_to_string(
        "campaigns/document.html",
        {"title": "Contract", "body": mark_safe(body)},  # noqa: S308 - our own template
    )
    return html_to_pdf(html)


def contract_filename(deal: Deal) -> str:
    return f"contract-{deal.pk}.pdf"


def contract_email_send(
    *,
    deal: Deal,
    by: Member | None,
    subject: str = DEFAULT_SUBJECT,
    body: str = DEFAULT_BODY,
) -> tuple[Contract, EmailMessage]:
    """Mark a draft contract sent (freezing its text), render the PDF and mail it to the creator
    on the deal's thread, all in one transaction: if anything fails (no fee agreed, a bad
    variable, the mail server refusing) the contract stays a draft and no mail row is kept. A
    contract already sent goes out again as frozen; a signed one is not sent."""
    creator = deal.creator
    if creator.do_not_contact:
        raise ContactBlocked(f"{creator.name} asked not to be contacted; nothing was sent.")
    contract = documents.contract_for(deal)
    if contract.status == ContractStatus.SIGNED:
        raise ValidationError("This contract is already signed; nothing was sent.")
    try:
        with transaction.atomic():
            if contract.status == ContractStatus.DRAFT:
                contract = documents.contract_mark(deal=deal, to=ContractStatus.SENT, by=by)
            pdf = contract_pdf(deal, documents.contract_text(deal, contract))
            message = email_send(
                deal=deal,
                subject=subject,
                body=body,
                by=by,
                attachments=[(contract_filename(deal), pdf, "application/pdf")],
            )
    except ContactBlocked:
        raise
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError([*exc.messages, "The contract was not marked sent."]) from exc
    return contract, message
