"""The contract by email: a PDF attached, on the deal's thread, the contract marked sent (text
frozen); the deal page's contract section (an outreach partial pulled in by htmx)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from infludesk.campaigns import documents
from infludesk.campaigns.models import Contract
from infludesk.core.models import AuditEntry
from infludesk.outreach import contracts, services
from infludesk.outreach.models import EmailMessage
from tests.factories import CampaignFactory, CreatorFactory, DealFactory


@pytest.fixture
def deal(workspace):
    campaign = CampaignFactory(workspace=workspace, name="Spring Trails", product="Trail shoes")
    creator = CreatorFactory(
        workspace=workspace, name="Anna Berg", first_name="Anna", email="anna@creators.test"
    )
    return DealFactory(workspace=workspace, campaign=campaign, creator=creator)


def test_when_the_contract_is_emailed_then_the_pdf_is_attached_and_the_contract_is_sent(
    deal, owner, smtp_server
):
    earlier = services.email_send(deal=deal, subject="Hello", body="Offer", by=owner)

    contract, message = contracts.contract_email_send(deal=deal, by=owner)

    mime = smtp_server.messages[1]
    (attachment,) = list(mime.iter_attachments())
    pdf = attachment.get_content()
    assert (attachment.get_content_type(), attachment.get_filename()) == (
        "application/pdf",
        f"contract-{deal.pk}.pdf",
    )
    assert pdf.startswith(b"%PDF")
    assert mime["Subject"] == "Contract: Spring Trails with Acme Outdoor"
    assert mime["In-Reply-To"] == earlier.message_id  # on the deal's thread
    body = mime.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Hi Anna,\r\n\r\nattached is our contract for Spring Trails as a PDF.")
    stored = Contract.objects.get(deal=deal)
    assert (contract.status, stored.status, stored.sent_at is not None) == ("sent", "sent", True)
    assert stored.body == documents.contract_text(deal, stored)
    assert (message.thread.deal_id, message.attachments) == (deal.pk, [f"contract-{deal.pk}.pdf"])
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "contract.sent",
        "email.send",
    }


def test_given_a_sent_contract_when_emailed_again_then_the_frozen_text_goes_out(
    deal, owner, smtp_server
):
    contracts.contract_email_send(deal=deal, by=owner)
    frozen = Contract.objects.get(deal=deal)
    deal.fee_cash = 9999
    deal.save()

    contract, _ = contracts.contract_email_send(deal=deal, by=owner)

    assert len(smtp_server.messages) == 2
    assert (contract.status, contract.sent_at, contract.body) == (
        "sent",
        frozen.sent_at,
        frozen.body,
    )


def test_given_a_signed_contract_when_emailed_then_refused_and_nothing_sent(
    deal, owner, smtp_server
):
    documents.contract_mark(deal=deal, to="sent", by=owner)
    documents.contract_mark(deal=deal, to="signed", by=owner, signed_by_name="Anna Berg")
    with pytest.raises(ValidationError, match="already signed"):
        contracts.contract_email_send(deal=deal, by=owner)
    assert smtp_server.messages == []


def test_given_the_mail_server_down_when_emailed_then_the_contract_stays_a_draft(
    deal, owner, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(ValidationError) as err:
        contracts.contract_email_send(deal=deal, by=owner)
    assert err.value.messages[-1] == "The contract was not marked sent."
    assert err.value.messages[0].startswith("The mail server refused the message:")
    assert Contract.objects.filter(status="sent").count() == 0
    assert EmailMessage.objects.count() == 0


# --- the deal page's contract section ------------------------------------------------------


def test_when_the_deal_page_loads_then_it_pulls_in_the_outreach_contract_section(
    deal, manager_client
):
    page = manager_client.get(f"/deals/{deal.pk}/").content.decode()
    assert f'hx-get="/outreach/deals/{deal.pk}/contract/"' in page


def test_given_a_draft_contract_when_the_section_loads_then_a_send_button(deal, manager_client):
    section = manager_client.get(f"/outreach/deals/{deal.pk}/contract/")
    html = section.content.decode()
    assert section.status_code == 200
    assert '<strong id="deal-contract-status">Draft</strong>' in html
    assert f'action="/outreach/deals/{deal.pk}/contract/send/"' in html
    assert "Email contract to anna@creators.test (marks it sent)" in html


def test_when_the_button_is_pressed_then_mailed_marked_sent_and_back_on_the_deal_page(
    deal, manager_client, smtp_server
):
    response = manager_client.post(f"/outreach/deals/{deal.pk}/contract/send/")

    assert (response.status_code, response["Location"]) == (302, f"/deals/{deal.pk}/")
    assert Contract.objects.get(deal=deal).status == "sent"
    assert len(smtp_server.messages) == 1
    section = manager_client.get(f"/outreach/deals/{deal.pk}/contract/").content.decode()
    assert '<strong id="deal-contract-status">Sent</strong>' in section
    assert "Emailed to anna@creators.test on " in section


def test_given_do_not_contact_when_the_section_loads_then_no_button_and_posting_is_refused(
    deal, manager_client, smtp_server
):
    deal.creator.do_not_contact = True
    deal.creator.save()
    html = manager_client.get(f"/outreach/deals/{deal.pk}/contract/").content.decode()
    assert "asked not to be contacted: the contract cannot be emailed." in html
    assert "contract/send/" not in html

    manager_client.post(f"/outreach/deals/{deal.pk}/contract/send/")
    assert (smtp_server.messages, Contract.objects.filter(status="sent").count()) == ([], 0)


def test_given_a_viewer_when_sending_then_403_and_no_button(deal, viewer_client, smtp_server):
    html = viewer_client.get(f"/outreach/deals/{deal.pk}/contract/").content.decode()
    assert "contract/send/" not in html
    assert viewer_client.post(f"/outreach/deals/{deal.pk}/contract/send/").status_code == 403
    assert (smtp_server.messages, Contract.objects.count()) == ([], 0)


def test_given_another_workspaces_deal_when_loading_or_sending_then_404(
    other_workspace, owner_client, smtp_server
):
    theirs = DealFactory(workspace=other_workspace)
    assert owner_client.get(f"/outreach/deals/{theirs.pk}/contract/").status_code == 404
    assert owner_client.post(f"/outreach/deals/{theirs.pk}/contract/send/").status_code == 404
    assert (smtp_server.messages, Contract.objects.count()) == ([], 0)
