"""Outreach email: templates, one thread per deal, messages in and out."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q

from infludesk.campaigns.models import Deal
from infludesk.core.models import Member, WorkspaceScoped


class EmailTemplate(WorkspaceScoped):
    """A reusable email with {{variables}} (see outreach/rendering.py for the list)."""

    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    follow_up_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Send a reminder after this many days without a reply."
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["workspace", "name"], name="email_template_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EmailThread(WorkspaceScoped):
    """The conversation with a deal's creator; one per deal."""

    deal = models.OneToOneField(Deal, on_delete=models.CASCADE, related_name="email_thread")
    subject = models.CharField(max_length=300)
    follow_up_after_days = models.PositiveSmallIntegerField(null=True, blank=True)
    follow_ups_sent = models.PositiveSmallIntegerField(default=0)
    last_outbound_at = models.DateTimeField(null=True, blank=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.subject

    @property
    def awaiting_reply(self) -> bool:
        if self.last_outbound_at is None:
            return False
        return self.last_inbound_at is None or self.last_inbound_at < self.last_outbound_at


class Direction(models.TextChoices):
    OUTBOUND = "out", "Sent"
    INBOUND = "in", "Received"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued (not confirmed sent)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    RECEIVED = "received", "Received"


class EmailMessage(WorkspaceScoped):
    thread = models.ForeignKey(EmailThread, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    status = models.CharField(max_length=8, choices=MessageStatus.choices)
    message_id = models.CharField(max_length=255)
    in_reply_to = models.CharField(max_length=255, blank=True)
    from_address = models.CharField(max_length=320)
    to_address = models.CharField(max_length=320)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    error = models.TextField(blank=True)
    is_follow_up = models.BooleanField(default=False)
    attachments = models.JSONField(
        default=list, blank=True, help_text="File names attached to the mail (e.g. a contract)."
    )
    sent_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["workspace", "message_id"],
                condition=~Q(message_id=""),
                name="email_message_id_unique",
            )
        ]
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.direction} {self.subject}"
