"""Outreach email through a real SMTP server: variables, headers, threads, replies, follow-ups,
do-not-contact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from infludesk.core.models import AuditEntry
from infludesk.outreach import services
from infludesk.outreach.models import EmailMessage, EmailThread
from tests.factories import (
    CampaignFactory,
    CreatorFactory,
    DealFactory,
    DiscountCodeFactory,
    TrackedLinkFactory,
)

SUBJECT = "{{campaign.product}} x {{creator.first_name}}"
BODY = "Hi {{creator.first_name}},\nyour link: {{deal.link}}\nyour code: {{deal.code}}\n"


@pytest.fixture
def deal(workspace):
    campaign = CampaignFactory(workspace=workspace, name="Spring Trails", product="Trail shoes")
    creator = CreatorFactory(
        workspace=workspace, name="Anna Berg", first_name="Anna", email="anna@creators.test"
    )
    deal = DealFactory(workspace=workspace, campaign=campaign, creator=creator)
    TrackedLinkFactory(workspace=workspace, creator=creator, deal=deal, slug="AbCd1234")
    DiscountCodeFactory(workspace=workspace, creator=creator, deal=deal, code="ANNA15")
    return deal


def test_given_a_template_when_sent_then_smtp_gets_filled_subject_body_and_headers(
    deal, owner, smtp_server
):
    message = services.email_send(deal=deal, subject=SUBJECT, body=BODY, by=owner)

    (mime,) = smtp_server.messages
    assert mime["Subject"] == "Trail shoes x Anna"
    assert mime["To"] == "anna@creators.test"
    assert mime["From"] == "Acme Outdoor <partners@acme.test>"
    assert mime["Message-ID"] == message.message_id
    assert (
        mime["List-Unsubscribe"].strip().startswith("<https://app.acme.test/outreach/unsubscribe/")
    )
    body = mime.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith(
        "Hi Anna,\nyour link: https://app.acme.test/l/AbCd1234\nyour code: ANNA15\n"
    )
    assert smtp_server.envelopes == [("partners@acme.test", ["anna@creators.test"])]
    assert (message.status, message.thread.deal_id) == ("sent", deal.pk)


def test_given_a_second_mail_when_sent_then_it_replies_in_the_same_thread(deal, owner, smtp_server):
    first = services.email_send(deal=deal, subject="Hello", body="One", by=owner)
    second = services.email_send(deal=deal, subject="Re: Hello", body="Two", by=owner)

    assert smtp_server.messages[1]["In-Reply-To"] == first.message_id
    assert smtp_server.messages[1]["References"] == first.message_id
    assert EmailThread.objects.filter(deal=deal).count() == 1
    assert list(EmailMessage.objects.filter(thread__deal=deal).values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]


def test_given_an_unknown_variable_when_sent_then_error_names_it_and_nothing_is_sent(
    deal, owner, smtp_server
):
    with pytest.raises(ValidationError) as err:
        services.email_send(deal=deal, subject="Hi {{creator.nickname}}", body="x", by=owner)
    assert "{{creator.nickname}}" in err.value.message_dict["subject"][0]
    assert smtp_server.messages == []


def test_given_a_deal_without_a_code_when_sent_then_blocked_with_the_missing_value(
    workspace, owner, smtp_server
):
    deal = DealFactory(workspace=workspace, creator__email="bo@creators.test")
    with pytest.raises(ValidationError) as err:
        services.email_send(deal=deal, subject="Hi", body="code {{deal.code}}", by=owner)
    assert err.value.message_dict["body"] == ["This deal has no value yet for: deal.code."]
    assert smtp_server.messages == []


def test_given_do_not_contact_when_sent_then_blocked(deal, owner, smtp_server):
    deal.creator.do_not_contact = True
    deal.creator.save()
    with pytest.raises(ValidationError, match="asked not to be contacted"):
        services.email_send(deal=deal, subject="Hi", body="x", by=owner)
    assert smtp_server.messages == []


def test_given_the_unsubscribe_link_when_confirmed_then_do_not_contact_is_set(
    deal, owner, smtp_server, client
):
    services.email_send(deal=deal, subject="Hi", body="x", by=owner)
    url = (
        smtp_server.messages[0]["List-Unsubscribe"]
        .strip()
        .strip("<>")
        .removeprefix("https://app.acme.test")
    )
    assert client.get(url).status_code == 200
    deal.creator.refresh_from_db()
    assert deal.creator.do_not_contact is False  # a GET (link scanner) changes nothing

    response = client.post(url)

    deal.creator.refresh_from_db()
    assert (response.status_code, deal.creator.do_not_contact) == (200, True)
    assert AuditEntry.objects.filter(action="creator.unsubscribe").count() == 1


def test_given_a_raw_reply_when_posted_inbound_then_filed_once_on_the_thread(
    deal, owner, smtp_server, client
):
    sent = services.email_send(deal=deal, subject="Hello", body="One", by=owner)
    raw = (
        "From: Anna Berg <anna@creators.test>\r\nTo: partners@acme.test\r\n"
        "Subject: Re: Hello\r\nMessage-ID: <reply-1@creators.test>\r\n"
        f"In-Reply-To: {sent.message_id}\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\n"
        "Yes, I'm in!\r\n"
    ).encode()
    path = services.inbound_url(deal.workspace).removeprefix("https://app.acme.test")

    first = client.post(path, data=raw, content_type="message/rfc822")
    again = client.post(path, data=raw, content_type="message/rfc822")

    assert (first.status_code, again.status_code) == (201, 200)
    reply = EmailMessage.objects.get(message_id="<reply-1@creators.test>")
    assert (reply.direction, reply.body, reply.thread.deal_id) == ("in", "Yes, I'm in!", deal.pk)
    assert reply.thread.awaiting_reply is False


def test_given_garbage_or_a_bad_token_when_posted_inbound_then_4xx(deal, smtp_server, client):
    path = services.inbound_url(deal.workspace).removeprefix("https://app.acme.test")
    assert client.post(path, data=b"hello", content_type="message/rfc822").status_code == 422
    bad = reverse("outreach:inbound", args=["forged"])
    assert client.post(bad, data=b"From: a@b.c\r\n\r\nx", content_type="x").status_code == 404


def test_given_no_reply_after_n_days_when_follow_ups_run_then_one_reminder_is_sent(
    deal, owner, smtp_server
):
    sent = services.email_send(
        deal=deal, subject="Hello", body="One", by=owner, follow_up_after_days=3
    )
    early = services.follow_ups_send_due(now=sent.at + dt.timedelta(days=2))
    due = services.follow_ups_send_due(now=sent.at + dt.timedelta(days=3, minutes=1))

    assert (early, due) == (0, 1)
    reminder = smtp_server.messages[1]
    assert reminder["Subject"] == "Re: Hello"
    assert reminder["In-Reply-To"] == sent.message_id
    assert "just following up" in reminder.get_body(preferencelist=("plain",)).get_content()


def test_given_a_reply_when_follow_ups_run_then_none_is_sent(deal, owner, smtp_server):
    sent = services.email_send(
        deal=deal, subject="Hello", body="One", by=owner, follow_up_after_days=3
    )
    services.reply_log(deal=deal, body="Sounds good", by=owner)
    assert services.follow_ups_send_due(now=sent.at + dt.timedelta(days=10)) == 0


def test_given_the_smtp_server_is_down_when_sent_then_failed_is_recorded_and_reported(
    deal, owner, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(ValidationError, match="The mail server refused the message"):
        services.email_send(deal=deal, subject="Hi", body="x", by=owner)
    assert list(EmailMessage.objects.values_list("status", flat=True)) == ["failed"]
