"""REST endpoints for outreach email, mounted by infludesk.api.api at /api/v1/: email templates,
previewing and sending a mail to a deal's creator, the deal's thread, logging a pasted reply,
do-not-contact, the follow-ups that are due and the contract sent by email.

Sending goes through the same service as the page (SMTP from EMAIL_URL, threading headers,
Reply-To with the deal's signed address when INBOUND_DOMAIN is set). Every row is looked up from
the caller's workspace, so another workspace's deal, template or creator is a 404 exactly like a
missing one. A creator who asked not to be contacted is a 409; other service errors are 422s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError

from infludesk.api.auth import WRITE_AUTH, member_of
from infludesk.api.errors import ERROR_RESPONSES, ErrorOut
from infludesk.api.fields import Id
from infludesk.campaigns.models import Deal
from infludesk.core.models import Member
from infludesk.creators.models import Creator
from infludesk.outreach import contracts, selectors, services
from infludesk.outreach.models import EmailMessage, EmailTemplate, EmailThread
from infludesk.outreach.rendering import deal_context, render
from infludesk.outreach.schemas import (
    ContactIn,
    ContactOut,
    ContractMailIn,
    ContractSentOut,
    DraftMailIn,
    EmailMessageOut,
    EmailTemplateIn,
    EmailTemplateOut,
    EmailTemplatePatch,
    FollowUpOut,
    PreviewOut,
    ReplyIn,
    ThreadOut,
)

router = Router(tags=["outreach"])
SEND_RESPONSES: dict[int, Any] = {**ERROR_RESPONSES, 409: ErrorOut}


def _deal(member: Member, deal_id: int) -> Deal:
    return get_object_or_404(
        Deal.objects.select_related("creator", "campaign", "workspace"),
        workspace_id=member.workspace_id,
        pk=deal_id,
    )


def _template(member: Member, template_id: int) -> EmailTemplate:
    return get_object_or_404(EmailTemplate, workspace_id=member.workspace_id, pk=template_id)


def _draft(member: Member, payload: DraftMailIn) -> tuple[str, str, int | None]:
    """(subject, body, follow-up days) from the body, filling gaps from the template named."""
    subject, body, days = payload.subject, payload.body, payload.follow_up_after_days
    if payload.template_id is not None:
        template = EmailTemplate.objects.filter(
            workspace_id=member.workspace_id, pk=payload.template_id
        ).first()
        if template is None:
            raise ValidationError({"template_id": f"No template with id {payload.template_id}."})
        subject = subject if subject is not None else template.subject
        body = body if body is not None else template.body
        days = days if days is not None else template.follow_up_after_days
    assert subject is not None and body is not None  # DraftMailIn checks one or the other
    return subject, body, days


def _blocked(exc: services.ContactBlocked) -> HttpError:
    return HttpError(409, " ".join(exc.messages))


# --- templates -----------------------------------------------------------------------------


@router.get("/email-templates", response={200: list[EmailTemplateOut], **ERROR_RESPONSES})
def list_templates(request: HttpRequest) -> list[EmailTemplate]:
    """The workspace's email templates by name."""
    return list(selectors.templates_list(workspace=member_of(request).workspace))


@router.get("/email-templates/{template_id}", response={200: EmailTemplateOut, **ERROR_RESPONSES})
def get_template(request: HttpRequest, template_id: Id) -> EmailTemplate:
    return _template(member_of(request), template_id)


@router.post(
    "/email-templates",
    response={201: EmailTemplateOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def create_template(request: HttpRequest, payload: EmailTemplateIn) -> Status[EmailTemplate]:
    """A template; an unknown {{variable}} in subject or body is a 422 naming it."""
    member = member_of(request)
    if EmailTemplate.objects.filter(workspace_id=member.workspace_id, name=payload.name).exists():
        raise ValidationError({"name": f"A template named {payload.name!r} exists already."})
    template = services.email_template_save(
        workspace=member.workspace, by=member, **payload.model_dump()
    )
    return Status(201, template)


@router.patch(
    "/email-templates/{template_id}",
    response={200: EmailTemplateOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def update_template(
    request: HttpRequest, template_id: Id, payload: EmailTemplatePatch
) -> EmailTemplate:
    """Change only the fields sent (send `follow_up_after_days: null` to stop reminders)."""
    member = member_of(request)
    template = _template(member, template_id)
    fields = payload.model_dump(exclude_unset=True)
    for field in ("name", "subject", "body"):
        if field in fields and fields[field] is None:
            raise ValidationError({field: "This field cannot be null."})
    name = fields.get("name")
    taken = EmailTemplate.objects.filter(workspace_id=member.workspace_id, name=name)
    if name is not None and taken.exclude(pk=template.pk).exists():
        raise ValidationError({"name": f"A template named {name!r} exists already."})
    return services.email_template_save(
        workspace=member.workspace, by=member, template=template, **fields
    )


@router.delete(
    "/email-templates/{template_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def delete_template(request: HttpRequest, template_id: Id) -> Status[None]:
    member = member_of(request)
    services.email_template_delete(template=_template(member, template_id), by=member)
    return Status(204, None)


# --- a deal's mail -------------------------------------------------------------------------


@router.post("/deals/{deal_id}/emails/preview", response={200: PreviewOut, **ERROR_RESPONSES})
def preview_email(request: HttpRequest, deal_id: Id, payload: DraftMailIn) -> Any:
    """The subject and body with this deal's values filled in; nothing is sent. Variables the
    deal has no value for yet are listed in `missing` (sending is refused until they have)."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    subject, body, _ = _draft(member, payload)
    return render(subject, body, deal_context(deal))


@router.post(
    "/deals/{deal_id}/emails",
    response={201: EmailMessageOut, **SEND_RESPONSES},
    auth=WRITE_AUTH,
)
def send_email(request: HttpRequest, deal_id: Id, payload: DraftMailIn) -> Status[EmailMessage]:
    """Send to the deal's creator through SMTP on the deal's thread (replying to its last mail).
    409 when the creator asked not to be contacted; 422 for a missing address, an unknown or
    empty variable, or the mail server refusing (the failed mail stays on the thread)."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    subject, body, days = _draft(member, payload)
    try:
        message = services.email_send(
            deal=deal, subject=subject, body=body, by=member, follow_up_after_days=days
        )
    except services.ContactBlocked as exc:
        raise _blocked(exc) from exc
    return Status(201, message)


@router.get("/deals/{deal_id}/thread", response={200: ThreadOut, **ERROR_RESPONSES})
def get_thread(request: HttpRequest, deal_id: Id) -> dict[str, Any]:
    """The deal's conversation, oldest mail first, with its secret inbound address."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    thread = EmailThread.objects.filter(workspace_id=member.workspace_id, deal=deal).first()
    messages = list(thread.messages.order_by("at", "id")) if thread is not None else []
    return {
        "deal_id": deal.pk,
        "thread_id": thread.pk if thread else None,
        "subject": thread.subject if thread else "",
        "awaiting_reply": thread.awaiting_reply if thread else False,
        "follow_up_after_days": thread.follow_up_after_days if thread else None,
        "follow_ups_sent": thread.follow_ups_sent if thread else 0,
        "inbound_url": services.deal_inbound_url(deal),
        "reply_to": services.deal_reply_to(deal),
        "messages": messages,
    }


@router.post(
    "/deals/{deal_id}/replies",
    response={201: EmailMessageOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def log_reply(request: HttpRequest, deal_id: Id, payload: ReplyIn) -> Status[EmailMessage]:
    """A reply pasted from your own mailbox, filed on the thread as received (it stops the
    follow-up reminders)."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    message = services.reply_log(deal=deal, body=payload.body, subject=payload.subject, by=member)
    return Status(201, message)


@router.post(
    "/deals/{deal_id}/contract/send",
    response={200: ContractSentOut, **SEND_RESPONSES},
    auth=WRITE_AUTH,
)
def send_contract(request: HttpRequest, deal_id: Id, payload: ContractMailIn) -> dict[str, Any]:
    """Email the deal's contract to the creator as a PDF on the deal's thread and mark it sent
    (its text is frozen). A sent contract goes out again unchanged; a signed one is a 422, as is
    a deal without an agreed fee; either way nothing is sent."""
    member = member_of(request)
    deal = _deal(member, deal_id)
    texts = {k: v for k, v in payload.model_dump().items() if v is not None}
    try:
        contract, message = contracts.contract_email_send(deal=deal, by=member, **texts)
    except services.ContactBlocked as exc:
        raise _blocked(exc) from exc
    return {
        "deal_id": deal.pk,
        "contract_status": contract.status,
        "sent_at": contract.sent_at,
        "message": message,
    }


# --- creators and reminders ----------------------------------------------------------------


@router.put(
    "/creators/{creator_id}/do-not-contact",
    response={200: ContactOut, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
)
def set_do_not_contact(request: HttpRequest, creator_id: Id, payload: ContactIn) -> dict[str, Any]:
    """Set (true) or clear (false) the creator's do-not-contact flag; while set, no mail,
    reminder or contract is sent to them."""
    member = member_of(request)
    creator = get_object_or_404(Creator, workspace_id=member.workspace_id, pk=creator_id)
    services.creator_contact_set(creator=creator, do_not_contact=payload.do_not_contact, by=member)
    return {"creator_id": creator.pk, "do_not_contact": creator.do_not_contact}


@router.get("/follow-ups/due", response={200: list[FollowUpOut], **ERROR_RESPONSES})
def due_follow_ups(request: HttpRequest) -> list[dict[str, Any]]:
    """Threads still awaiting a reply past their follow-up delay, oldest first: what
    `infludesk send-follow-ups` would remind now."""
    member = member_of(request)
    rows = selectors.threads_due_follow_up(
        now=timezone.now(), max_follow_ups=services.MAX_FOLLOW_UPS, workspace=member.workspace
    )
    return [_follow_up(thread) for thread in rows]


def _follow_up(thread: EmailThread) -> dict[str, Any]:
    assert thread.last_outbound_at is not None and thread.follow_up_after_days is not None
    return {
        "thread_id": thread.pk,
        "deal_id": thread.deal_id,
        "creator_id": thread.deal.creator_id,
        "creator_name": thread.deal.creator.name,
        "subject": thread.subject,
        "last_outbound_at": thread.last_outbound_at,
        "follow_up_after_days": thread.follow_up_after_days,
        "follow_ups_sent": thread.follow_ups_sent,
        "due_at": thread.last_outbound_at + dt.timedelta(days=thread.follow_up_after_days),
    }
