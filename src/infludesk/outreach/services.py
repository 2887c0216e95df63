"""Outreach writes: templates, sending through SMTP, logging replies, follow-ups, opting out."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import logging
import re
from collections.abc import Sequence
from email.message import EmailMessage as MimeMessage
from email.utils import getaddresses, make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage as DjangoEmail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from infludesk.campaigns.models import Deal
from infludesk.core.audit import audit_record, changed_fields, snapshot_fields
from infludesk.core.models import Member, Workspace
from infludesk.creators.models import Creator
from infludesk.outreach.models import (
    Direction,
    EmailMessage,
    EmailTemplate,
    EmailThread,
    MessageStatus,
)
from infludesk.outreach.rendering import deal_context, render, unknown_variables

log = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "infludesk.outreach.unsubscribe"
INBOUND_SALT = "infludesk.outreach.inbound"
DEAL_INBOUND_SALT = "infludesk.outreach.inbound.deal"
MAX_FOLLOW_UPS = 2
# replies+<workspace>-<deal>-<signature>@...: lower-case hex, because mail systems may fold the
# case of an address's local part.
DEAL_TOKEN = re.compile(r"^(\d{1,19})-(\d{1,19})-([0-9a-f]{24})$")
PLUS_ADDRESS = re.compile(r"^replies\+([0-9a-z-]+)@", re.IGNORECASE)
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
# (file name, content, MIME type)
Attachment = tuple[str, bytes, str]


class ContactBlocked(ValidationError):
    """The creator asked not to be contacted: the API answers 409 with this message."""


def _mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def unsubscribe_url(creator: Creator) -> str:
    token = signing.dumps({"c": creator.pk, "w": creator.workspace_id}, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("outreach:unsubscribe", args=[token])


def inbound_url(workspace: Workspace) -> str:
    """The secret URL a mail provider posts raw replies to (RFC 822 bytes)."""
    token = signing.dumps(workspace.pk, salt=INBOUND_SALT)
    return settings.SITE_URL + reverse("outreach:inbound", args=[token])


def _deal_signature(workspace_id: int, deal_id: int) -> str:
    return salted_hmac(DEAL_INBOUND_SALT, f"{workspace_id}:{deal_id}").hexdigest()[:24]


def deal_inbound_token(deal: Deal) -> str:
    """A deal's secret inbound token: its workspace and id, signed (no database row)."""
    return f"{deal.workspace_id}-{deal.pk}-{_deal_signature(deal.workspace_id, deal.pk)}"


def deal_inbound_url(deal: Deal) -> str:
    """The secret URL a raw reply for this one deal can be posted to."""
    return settings.SITE_URL + reverse("outreach:deal_inbound", args=[deal_inbound_token(deal)])


def deal_reply_to(deal: Deal) -> str:
    """replies+<token>@INBOUND_DOMAIN, or '' when no inbound domain is configured."""
    if not settings.INBOUND_DOMAIN:
        return ""
    return f"replies+{deal_inbound_token(deal)}@{settings.INBOUND_DOMAIN}"


def deal_for_inbound_token(token: str) -> Deal:
    """The deal a signed inbound token names; ValidationError when the signature is wrong (checked
    before any query) or the deal is gone."""
    match = DEAL_TOKEN.match(token.lower())
    if match is None:
        raise ValidationError("Unknown inbound address.")
    workspace_id, deal_id, signature = int(match[1]), int(match[2]), match[3]
    if not constant_time_compare(signature, _deal_signature(workspace_id, deal_id)):
        raise ValidationError("Unknown inbound address.")
    deal = (
        Deal.objects.select_related("creator", "campaign", "workspace")
        .filter(workspace_id=workspace_id, pk=deal_id)
        .first()
    )
    if deal is None:
        raise ValidationError("Unknown inbound address.")
    return deal


@transaction.atomic
def email_template_save(
    *, workspace: Workspace, by: Member | None, template: EmailTemplate | None = None, **fields: Any
) -> EmailTemplate:
    """Create or update a template; unknown {{variables}} are rejected with the field named."""
    for field in ("subject", "body"):
        unknown = unknown_variables(fields.get(field, ""))
        if unknown:
            raise ValidationError({field: [f"Unknown variable(s): {', '.join(unknown)}"]})
    before = snapshot_fields(template) if template else {}
    template = template or EmailTemplate(workspace=workspace)
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    audit_record(
        workspace=workspace,
        actor=by,
        action="email_template.update" if before else "email_template.create",
        target=template,
        changes=changed_fields(before, snapshot_fields(template)),
    )
    return template


@transaction.atomic
def email_template_delete(*, template: EmailTemplate, by: Member | None) -> None:
    """Delete a template; mails already sent from it keep their text."""
    audit_record(
        workspace=template.workspace,
        actor=by,
        action="email_template.delete",
        target=template,
        changes={"name": [template.name, None]},
    )
    template.delete()


@transaction.atomic
def creator_contact_set(*, creator: Creator, do_not_contact: bool, by: Member | None) -> Creator:
    """Set or clear a creator's do-not-contact flag (which blocks every outreach mail)."""
    if creator.do_not_contact != do_not_contact:
        before = creator.do_not_contact
        creator.do_not_contact = do_not_contact
        creator.save(update_fields=["do_not_contact", "updated_at"])
        audit_record(
            workspace=creator.workspace,
            actor=by,
            action="creator.do_not_contact" if do_not_contact else "creator.contact_allowed",
            target=creator,
            changes={"do_not_contact": [before, do_not_contact]},
        )
    return creator


def _thread_for(deal: Deal, subject: str) -> EmailThread:
    thread, _ = EmailThread.objects.get_or_create(
        deal=deal, defaults={"workspace": deal.workspace, "subject": subject}
    )
    return thread


def email_send(
    *,
    deal: Deal,
    subject: str,
    body: str,
    by: Member | None,
    follow_up_after_days: int | None = None,
    is_follow_up: bool = False,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """Fill the variables, send through SMTP (EMAIL_URL) and keep the message on the deal's
    thread. The row is written as queued before sending and marked sent or failed after, so a
    crash in between shows as 'queued', never as a mail that silently vanished. Raises
    ContactBlocked for a do-not-contact creator, ValidationError for anything else amiss."""
    creator = deal.creator
    if creator.do_not_contact:
        raise ContactBlocked(f"{creator.name} asked not to be contacted; nothing was sent.")
    if not creator.email:
        raise ValidationError({"to": [f"{creator.name} has no email address."]})
    rendered = render(subject, body, deal_context(deal))
    if rendered.missing:
        raise ValidationError(
            {"body": [f"This deal has no value yet for: {', '.join(rendered.missing)}."]}
        )
    with transaction.atomic():
        thread = _thread_for(deal, rendered.subject)
        if follow_up_after_days is not None:
            thread.follow_up_after_days = follow_up_after_days
        previous = thread.messages.exclude(message_id="").order_by("-at", "-id").first()
        message = EmailMessage.objects.create(
            workspace=deal.workspace,
            thread=thread,
            direction=Direction.OUTBOUND,
            status=MessageStatus.QUEUED,
            message_id=make_msgid(domain=_mail_domain()),
            in_reply_to=previous.message_id if previous else "",
            from_address=settings.DEFAULT_FROM_EMAIL,
            to_address=creator.email,
            subject=rendered.subject,
            body=rendered.body,
            is_follow_up=is_follow_up,
            attachments=[name for name, _, _ in attachments],
            sent_by=by,
            at=timezone.now(),
        )
        thread.save()
    _deliver(message, creator, reply_to=deal_reply_to(deal), attachments=attachments)
    with transaction.atomic():
        message.save(update_fields=["status", "error", "updated_at"])
        if message.status == MessageStatus.SENT:
            thread.last_outbound_at = message.at
            thread.follow_ups_sent += 1 if is_follow_up else 0
            thread.save(update_fields=["last_outbound_at", "follow_ups_sent", "updated_at"])
        audit_record(
            workspace=deal.workspace,
            actor=by,
            action="email.send" if message.status == MessageStatus.SENT else "email.fail",
            target=message,
            changes={"to": [None, creator.email], "subject": [None, message.subject]},
        )
    if message.status == MessageStatus.FAILED:
        raise ValidationError(f"The mail server refused the message: {message.error}")
    return message


def _deliver(
    message: EmailMessage, creator: Creator, *, reply_to: str, attachments: Sequence[Attachment]
) -> None:
    unsubscribe = unsubscribe_url(creator)
    headers = {
        "Message-ID": message.message_id,
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
        headers["References"] = message.in_reply_to
    mail = DjangoEmail(
        subject=message.subject,
        body=f"{message.body}\n\n--\nNo more emails from us: {unsubscribe}\n",
        from_email=message.from_address,
        to=[message.to_address],
        headers=headers,
        reply_to=[reply_to] if reply_to else None,
    )
    for name, content, mimetype in attachments:
        mail.attach(name, content, mimetype)
    try:
        mail.send(fail_silently=False)
        message.status = MessageStatus.SENT
    except Exception as exc:  # any transport error is shown to the user, not a 500
        log.warning("sending mail %s failed: %s", message.message_id, type(exc).__name__)
        message.status = MessageStatus.FAILED
        message.error = f"{type(exc).__name__}: {exc}"[:500]


@transaction.atomic
def reply_log(*, deal: Deal, body: str, by: Member | None, subject: str = "") -> EmailMessage:
    """Log a reply the user pasted from their own mailbox."""
    if not body.strip():
        raise ValidationError({"body": ["Paste the reply's text."]})
    thread = _thread_for(deal, subject or f"Re: {deal.campaign.name}")
    message = _inbound(thread, body=body, subject=subject or f"Re: {thread.subject}", by=by)
    audit_record(workspace=deal.workspace, actor=by, action="email.reply_logged", target=message)
    return message


def _inbound(
    thread: EmailThread,
    *,
    body: str,
    subject: str,
    by: Member | None = None,
    message_id: str = "",
    in_reply_to: str = "",
    from_address: str = "",
    at: dt.datetime | None = None,
) -> EmailMessage:
    at = at or timezone.now()
    message = EmailMessage.objects.create(
        workspace=thread.workspace,
        thread=thread,
        direction=Direction.INBOUND,
        status=MessageStatus.RECEIVED,
        message_id=message_id,
        in_reply_to=in_reply_to,
        from_address=from_address or thread.deal.creator.email,
        to_address=settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        body=body,
        sent_by=by,
        at=at,
    )
    if thread.last_inbound_at is None or at > thread.last_inbound_at:
        thread.last_inbound_at = at
        thread.save(update_fields=["last_inbound_at", "updated_at"])
    return message


def _text_of(mime: MimeMessage) -> str:
    part = mime.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    return str(part.get_content()).strip()


def inbound_receive(
    *, workspace: Workspace, raw: bytes, deal: Deal | None = None
) -> tuple[EmailMessage, bool]:
    """File a raw RFC 822 reply on its thread, dated when we received it (a sender's Date header
    can be skewed). The deal is, in order: the one whose signed URL it was posted to (`deal`),
    the one of a signed replies+<token>@ recipient address, the thread of an id in In-Reply-To /
    References, else the latest thread with the sender's address. Returns (message, created):
    a Message-ID seen before (a message without one is identified by its content) is not filed
    twice. Raises ValidationError when it matches no thread."""
    try:
        mime = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # the email package raises many types on garbage
        raise ValidationError(f"Not an RFC 822 message: {exc}") from exc
    if not isinstance(mime, MimeMessage) or not mime.get("From"):
        raise ValidationError("Not an RFC 822 message: it has no From header.")
    message_id = str(mime.get("Message-ID", "")).strip()[:255]
    if not message_id:
        message_id = f"<{hashlib.sha256(raw).hexdigest()[:40]}@inbound.infludesk>"
    existing = EmailMessage.objects.filter(workspace=workspace, message_id=message_id).first()
    if existing is not None:
        return existing, False
    refs = f"{mime.get('In-Reply-To', '')} {mime.get('References', '')}".split()
    sender = parseaddr(str(mime.get("From")))[1].lower()
    deal = deal or _addressed_deal(workspace, mime)
    subject = str(mime.get("Subject", ""))[:300]
    thread = (
        _thread_for(deal, subject or deal.campaign.name)
        if deal
        else _match_thread(workspace, refs, sender)
    )
    if thread is None:
        raise ValidationError(f"No conversation matches this reply (from {sender}).")
    try:
        with transaction.atomic():
            message = _inbound(
                thread,
                body=_text_of(mime),
                subject=subject,
                message_id=message_id,
                in_reply_to=refs[0][:255] if refs else "",
                from_address=sender[:320],
            )
    except IntegrityError:  # the same message posted twice at once
        return EmailMessage.objects.get(workspace=workspace, message_id=message_id), False
    return message, True


def _addressed_deal(workspace: Workspace, mime: MimeMessage) -> Deal | None:
    """The deal of a signed replies+<token>@ recipient of this workspace, if any."""
    values = [str(v) for name in RECIPIENT_HEADERS for v in mime.get_all(name, [])]
    for _, address in getaddresses(values):
        match = PLUS_ADDRESS.match(address)
        if match is None:
            continue
        try:
            deal = deal_for_inbound_token(match[1])
        except ValidationError:
            continue
        if deal.workspace_id == workspace.pk:
            return deal
    return None


def _match_thread(workspace: Workspace, refs: list[str], sender: str) -> EmailThread | None:
    if refs:
        known = (
            EmailMessage.objects.filter(workspace=workspace, message_id__in=refs)
            .select_related("thread")
            .first()
        )
        if known is not None:
            return known.thread
    return (
        EmailThread.objects.filter(workspace=workspace, deal__creator__email__iexact=sender)
        .order_by("-last_outbound_at")
        .first()
    )


def follow_ups_send_due(*, now: dt.datetime | None = None) -> int:
    """Send a reminder on every thread still awaiting a reply N days after the last mail we
    sent (N = the thread's follow_up_after_days), at most MAX_FOLLOW_UPS times."""
    from infludesk.outreach.selectors import threads_due_follow_up

    sent = 0
    for thread in threads_due_follow_up(now=now or timezone.now(), max_follow_ups=MAX_FOLLOW_UPS):
        last = thread.messages.filter(direction=Direction.OUTBOUND).order_by("-at").first()
        body = (
            f"Hi {thread.deal.creator.first_name or thread.deal.creator.name},\n\n"
            "just following up on my last email below - are you interested?\n\n"
            + (f"> {last.body}".replace("\n", "\n> ") if last else "")
        )
        try:
            email_send(
                deal=thread.deal,
                subject=f"Re: {thread.subject}",
                body=body.replace("{{", "{ {"),
                by=None,
                is_follow_up=True,
            )
            sent += 1
        except ValidationError as exc:
            log.info("follow-up for thread %s not sent: %s", thread.pk, exc.messages)
    return sent


@transaction.atomic
def creator_unsubscribe(*, token: str) -> Creator:
    """Set do-not-contact from a signed unsubscribe link."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise ValidationError("This unsubscribe link is not valid.") from exc
    creator = Creator.objects.get(pk=data["c"], workspace_id=data["w"])
    if not creator.do_not_contact:
        creator.do_not_contact = True
        creator.save(update_fields=["do_not_contact", "updated_at"])
        audit_record(
            workspace=creator.workspace,
            actor=None,
            action="creator.unsubscribe",
            target=creator,
            changes={"do_not_contact": [False, True]},
        )
    return creator


def inbound_workspace(token: str) -> Workspace:
    try:
        workspace_id = signing.loads(token, salt=INBOUND_SALT)
    except signing.BadSignature as exc:
        raise ValidationError("Unknown inbound address.") from exc
    return Workspace.objects.get(pk=workspace_id)
