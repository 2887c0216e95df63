"""API schemas for outreach: email templates, previews, sent and received mails, a deal's thread,
do-not-contact, due follow-ups and the contract by email.

Subjects and bodies may hold {{variables}} (the names are in docs/outreach.md and `VARIABLES` of
outreach/rendering.py); an unknown one is a 422 naming it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import model_validator

from infludesk.api.fields import Id, StrictIn

Subject = Annotated[str, Field(min_length=1, max_length=300)]
Body = Annotated[str, Field(min_length=1, max_length=50_000)]
FollowUpDays = Annotated[int, Field(ge=1, le=60, description="remind after N days without reply")]


class EmailTemplateIn(StrictIn):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    subject: Subject
    body: Body
    follow_up_after_days: FollowUpDays | None = None


class EmailTemplatePatch(StrictIn):
    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    subject: Subject | None = None
    body: Body | None = None
    follow_up_after_days: FollowUpDays | None = None


class EmailTemplateOut(Schema):
    id: int
    name: str
    subject: str
    body: str
    follow_up_after_days: int | None


class DraftMailIn(StrictIn):
    """Either a saved template (`template_id`) or a `subject` and `body`; given both, the
    subject and body win over the template's."""

    template_id: Id | None = None
    subject: Subject | None = None
    body: Body | None = None
    follow_up_after_days: FollowUpDays | None = Field(
        None, description="only when sending; the template's value if omitted"
    )

    @model_validator(mode="after")
    def _something_to_send(self) -> DraftMailIn:
        if self.template_id is None and (self.subject is None or self.body is None):
            raise ValueError("Give a template_id, or both subject and body.")
        return self


class PreviewOut(Schema):
    subject: str
    body: str
    missing: list[str] = Field(description="variables this deal has no value for yet")


class EmailMessageOut(Schema):
    id: int
    direction: str = Field(description="out (sent by us) or in (a reply)")
    status: str = Field(description="queued, sent, failed or received")
    message_id: str
    in_reply_to: str
    from_address: str
    to_address: str
    subject: str
    body: str
    attachments: list[str]
    is_follow_up: bool
    error: str
    at: dt.datetime


class ThreadOut(Schema):
    deal_id: int
    thread_id: int | None = Field(description="null until the first mail")
    subject: str
    awaiting_reply: bool
    follow_up_after_days: int | None
    follow_ups_sent: int
    inbound_url: str = Field(description="post raw replies for this deal here (secret)")
    reply_to: str = Field(description="Reply-To of outgoing mail; empty without INBOUND_DOMAIN")
    messages: list[EmailMessageOut]


class ReplyIn(StrictIn):
    body: Body
    subject: Annotated[str, Field(max_length=300)] = ""


class ContactIn(StrictIn):
    do_not_contact: bool


class ContactOut(Schema):
    creator_id: int
    do_not_contact: bool


class FollowUpOut(Schema):
    thread_id: int
    deal_id: int
    creator_id: int
    creator_name: str
    subject: str
    last_outbound_at: dt.datetime
    follow_up_after_days: int
    follow_ups_sent: int
    due_at: dt.datetime


class ContractMailIn(StrictIn):
    subject: Subject | None = Field(None, description="a default naming the campaign if omitted")
    body: Body | None = None


class ContractSentOut(Schema):
    deal_id: int
    contract_status: str
    sent_at: dt.datetime | None
    message: EmailMessageOut
