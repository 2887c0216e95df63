"""Per-deal signed inbound addresses: the deal's URL and its replies+<token>@ Reply-To file a
reply on the right deal without threading headers; bad signatures store nothing; the same
message posted twice is stored once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from infludesk.outreach import services
from infludesk.outreach.models import EmailMessage, EmailThread
from tests.factories import CampaignFactory, CreatorFactory, DealFactory

SITE = "https://app.acme.test"


@pytest.fixture
def anna(workspace):
    return CreatorFactory(
        workspace=workspace, name="Anna Berg", first_name="Anna", email="anna@creators.test"
    )


@pytest.fixture
def deals(workspace, anna):
    """Anna in two campaigns: matching by her sender address alone cannot tell them apart."""
    spring = DealFactory(
        workspace=workspace, creator=anna, campaign=CampaignFactory(workspace=workspace)
    )
    autumn = DealFactory(
        workspace=workspace, creator=anna, campaign=CampaignFactory(workspace=workspace)
    )
    return spring, autumn


def raw_reply(*, to: str = "partners@acme.test", message_id: str = "<r1@creators.test>") -> bytes:
    headers = f"From: Anna Berg <anna@creators.test>\r\nTo: {to}\r\nSubject: Re: our offer\r\n"
    if message_id:
        headers += f"Message-ID: {message_id}\r\n"
    return (headers + "\r\nYes, count me in!\r\n").encode()


def path_of(url: str) -> str:
    return url.removeprefix(SITE)


def test_given_a_reply_without_headers_when_posted_to_a_deals_url_then_filed_on_that_deal(
    deals, client, smtp_server
):
    spring, autumn = deals
    services.email_send(deal=spring, subject="Spring", body="x", by=None)
    services.email_send(deal=autumn, subject="Autumn", body="x", by=None)  # latest: sender match

    response = client.post(
        path_of(services.deal_inbound_url(spring)),
        data=raw_reply(),
        content_type="message/rfc822",
    )

    assert response.status_code == 201
    reply = EmailMessage.objects.get(direction="in")
    assert (reply.thread.deal_id, reply.body, reply.from_address) == (
        spring.pk,
        "Yes, count me in!",
        "anna@creators.test",
    )


def test_given_the_same_message_twice_when_posted_to_a_deals_url_then_stored_once(deals, client):
    spring, _ = deals
    path = path_of(services.deal_inbound_url(spring))

    first = client.post(path, data=raw_reply(), content_type="message/rfc822")
    again = client.post(path, data=raw_reply(), content_type="message/rfc822")

    assert (first.status_code, again.status_code) == (201, 200)
    assert (first.json()["message"], again.json()["created"]) == (
        EmailMessage.objects.get().pk,
        False,
    )


def test_given_no_message_id_when_posted_twice_then_its_content_identifies_it(deals, client):
    spring, _ = deals
    path = path_of(services.deal_inbound_url(spring))
    raw = raw_reply(message_id="")
    assert client.post(path, data=raw, content_type="message/rfc822").status_code == 201
    assert client.post(path, data=raw, content_type="message/rfc822").status_code == 200
    assert EmailMessage.objects.count() == 1


def test_given_no_thread_yet_when_a_reply_is_posted_to_a_deals_url_then_a_thread_is_started(
    deals, client
):
    spring, _ = deals
    response = client.post(
        path_of(services.deal_inbound_url(spring)), data=raw_reply(), content_type="x"
    )
    assert response.status_code == 201
    assert EmailThread.objects.get().deal_id == spring.pk


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # one signature character off
        lambda t: t.replace("-", "-9", 1),  # another deal id, same signature
        lambda t: "forged",
    ],
)
def test_given_a_bad_signature_when_posted_then_404_and_nothing_stored(deals, client, mangle):
    spring, _ = deals
    token = mangle(services.deal_inbound_token(spring))
    response = client.post(
        reverse("outreach:deal_inbound", args=[token]), data=raw_reply(), content_type="x"
    )
    assert (response.status_code, response.json()) == (404, {"detail": "Unknown inbound address."})
    assert (EmailMessage.objects.count(), EmailThread.objects.count()) == (0, 0)


def test_given_another_workspace_when_its_token_names_our_deal_then_404(
    deals, other_workspace, client
):
    spring, _ = deals
    forged = (
        f"{other_workspace.pk}-{spring.pk}-" + services.deal_inbound_token(spring).split("-")[2]
    )
    response = client.post(
        reverse("outreach:deal_inbound", args=[forged]), data=raw_reply(), content_type="x"
    )
    assert response.status_code == 404
    assert EmailMessage.objects.count() == 0


def test_given_an_inbound_domain_when_sent_then_reply_to_is_the_deals_plus_address(
    deals, smtp_server, settings
):
    settings.INBOUND_DOMAIN = "in.acme.test"
    spring, _ = deals
    services.email_send(deal=spring, subject="Spring", body="x", by=None)
    token = services.deal_inbound_token(spring)
    assert smtp_server.messages[0]["Reply-To"] == f"replies+{token}@in.acme.test"


def test_given_a_reply_to_the_plus_address_when_posted_to_the_workspace_url_then_on_that_deal(
    deals, client, smtp_server, settings
):
    settings.INBOUND_DOMAIN = "in.acme.test"
    spring, autumn = deals
    services.email_send(deal=spring, subject="Spring", body="x", by=None)
    services.email_send(deal=autumn, subject="Autumn", body="x", by=None)
    reply_to = smtp_server.messages[0]["Reply-To"]

    response = client.post(
        path_of(services.inbound_url(spring.workspace)),
        data=raw_reply(to=f"Acme <{reply_to.upper()}>"),  # some servers fold case
        content_type="message/rfc822",
    )

    assert response.status_code == 201
    assert EmailMessage.objects.get(direction="in").thread.deal_id == spring.pk


def test_given_a_plus_address_with_a_bad_signature_then_it_is_ignored_for_matching(
    deals, client, smtp_server
):
    spring, autumn = deals
    services.email_send(deal=spring, subject="Spring", body="x", by=None)
    services.email_send(deal=autumn, subject="Autumn", body="x", by=None)
    forged = services.deal_inbound_token(spring)[:-2] + "00"

    response = client.post(
        path_of(services.inbound_url(spring.workspace)),
        data=raw_reply(to=f"replies+{forged}@in.acme.test"),
        content_type="message/rfc822",
    )

    assert response.status_code == 201  # falls back to the sender: the latest thread
    assert EmailMessage.objects.get(direction="in").thread.deal_id == autumn.pk


def test_given_a_plus_address_of_another_workspace_when_posted_to_ours_then_not_used(
    deals, other_workspace, client, smtp_server
):
    spring, _ = deals
    theirs = DealFactory(workspace=other_workspace)
    response = client.post(
        path_of(services.inbound_url(spring.workspace)),
        data=raw_reply(to=f"replies+{services.deal_inbound_token(theirs)}@in.acme.test"),
        content_type="message/rfc822",
    )
    assert response.status_code == 422  # no thread of ours matches Anna yet
    assert EmailMessage.objects.count() == 0


def test_when_a_writer_opens_the_thread_page_then_the_deals_inbound_url_is_shown(
    deals, manager_client, settings
):
    settings.SITE_URL = SITE
    settings.INBOUND_DOMAIN = "in.acme.test"
    spring, _ = deals
    page = manager_client.get(f"/outreach/deals/{spring.pk}/").content.decode()
    token = services.deal_inbound_token(spring)
    assert f'<code id="deal-inbound-url">{SITE}/outreach/inbound/deals/{token}/</code>' in page
    assert f'<code id="deal-reply-to">replies+{token}@in.acme.test</code>' in page


def test_when_a_viewer_opens_the_thread_page_then_the_secret_address_is_not_shown(
    deals, viewer_client
):
    spring, _ = deals
    page = viewer_client.get(f"/outreach/deals/{spring.pk}/")
    assert page.status_code == 200
    assert b"deal-inbound-url" not in page.content
