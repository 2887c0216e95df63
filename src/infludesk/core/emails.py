"""Emails core sends: invitations. Password-reset mails are Django's own (our templates)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from infludesk.core.models import Invitation

log = logging.getLogger(__name__)


def invitation_url(raw_token: str) -> str:
    """The absolute link that accepts an invitation, on the public SITE_URL."""
    return settings.SITE_URL + reverse("account:invitation_accept", args=[raw_token])


def send_invitation_email(*, invitation_id: int, raw_token: str) -> None:
    """Mail the invitation link to the invited address.

    Raises smtplib.SMTPException or OSError when the mail server refuses or cannot be reached.
    """
    invitation = (
        Invitation.objects.select_related("workspace", "invited_by__user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:  # deleted before the mail went out
        return
    inviter = invitation.invited_by.user if invitation.invited_by else None
    context = {
        "invitation": invitation,
        "workspace": invitation.workspace,
        "inviter": inviter,
        "url": invitation_url(raw_token),
        "role": invitation.get_role_display(),
    }
    subject = render_to_string("core/account/email/invitation_subject.txt", context)
    body = render_to_string("core/account/email/invitation.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=None,
        recipient_list=[invitation.email],
    )
    log.info("invitation %s mailed", invitation.pk)
