"""Outreach pages: compose with preview, send, log a reply; isolation and roles."""

from __future__ import annotations

import pytest

from infludesk.campaigns.content import brief_save
from infludesk.outreach.models import EmailMessage, EmailTemplate
from tests.factories import CreatorFactory, DealFactory


@pytest.fixture
def deal(workspace):
    creator = CreatorFactory(workspace=workspace, first_name="Anna", email="anna@creators.test")
    return DealFactory(workspace=workspace, creator=creator, campaign__product="Trail shoes")


def test_given_a_draft_when_previewed_then_variables_are_filled_and_nothing_is_sent(
    deal, manager_client, smtp_server
):
    response = manager_client.post(
        f"/outreach/deals/{deal.pk}/",
        {
            "action": "preview",
            "subject": "{{campaign.product}}",
            "body": "Hi {{creator.first_name}}",
        },
    )
    assert response.status_code == 200
    assert response.context["preview"].subject == "Trail shoes"
    assert response.context["preview"].body == "Hi Anna"
    assert smtp_server.messages == []


def test_given_a_draft_when_sent_from_the_page_then_it_is_on_the_thread(
    deal, manager_client, smtp_server
):
    response = manager_client.post(
        f"/outreach/deals/{deal.pk}/", {"action": "send", "subject": "Hello", "body": "Hi"}
    )
    assert response.status_code == 302
    assert list(EmailMessage.objects.values_list("subject", "status")) == [("Hello", "sent")]
    page = manager_client.get(f"/outreach/deals/{deal.pk}/")
    assert b"Hello" in page.content


def test_given_an_unknown_variable_when_previewed_then_the_field_error_is_shown(
    deal, manager_client, smtp_server
):
    response = manager_client.post(
        f"/outreach/deals/{deal.pk}/",
        {"action": "preview", "subject": "Hi {{creator.age}}", "body": "x"},
    )
    assert response.status_code == 400
    assert "{{creator.age}}" in response.context["compose"].errors["subject"][0]


def test_given_a_pasted_reply_when_logged_then_it_is_inbound(deal, manager_client):
    response = manager_client.post(
        f"/outreach/deals/{deal.pk}/", {"action": "reply", "body": "Count me in"}
    )
    assert response.status_code == 302
    assert list(EmailMessage.objects.values_list("direction", "body")) == [("in", "Count me in")]


def test_given_a_viewer_when_sending_then_403(deal, viewer_client, smtp_server):
    response = viewer_client.post(
        f"/outreach/deals/{deal.pk}/", {"action": "send", "subject": "Hello", "body": "Hi"}
    )
    assert response.status_code == 403
    assert smtp_server.messages == []


def test_given_another_workspaces_deal_when_opened_then_404(other_workspace, owner_client):
    foreign = DealFactory(workspace=other_workspace)
    assert owner_client.get(f"/outreach/deals/{foreign.pk}/").status_code == 404
    response = owner_client.post(
        f"/outreach/deals/{foreign.pk}/", {"action": "reply", "body": "sneaky"}
    )
    assert response.status_code == 404
    assert EmailMessage.objects.count() == 0


def test_given_a_template_with_a_typo_when_saved_then_field_error(manager_client):
    response = manager_client.post(
        "/outreach/", {"name": "Intro", "subject": "Hi {{creator.nam}}", "body": "x"}
    )
    assert response.status_code == 400
    assert EmailTemplate.objects.count() == 0


def test_given_templates_when_listed_then_only_own_workspace(
    workspace, other_workspace, owner_client
):
    EmailTemplate.objects.create(workspace=workspace, name="Mine", subject="s", body="b")
    EmailTemplate.objects.create(workspace=other_workspace, name="Theirs", subject="s", body="b")
    response = owner_client.get("/outreach/")
    assert [t.name for t in response.context["templates"]] == ["Mine"]


def test_given_a_brief_when_the_brief_link_is_previewed_then_it_opens_the_creators_brief(
    deal, manager_client, client, settings, smtp_server
):
    # given the campaign's brief
    settings.SITE_URL = "https://desk.example"
    brief_save(campaign=deal.campaign, by=None, key_messages="Grip on wet rock")

    # when a mail with {{deal.brief_link}} is previewed
    response = manager_client.post(
        f"/outreach/deals/{deal.pk}/",
        {"action": "preview", "subject": "Brief", "body": "Read {{deal.brief_link}}"},
    )

    # then the body carries the creator's signed page, which shows the brief without an account
    body = response.context["preview"].body
    assert body.startswith("Read https://desk.example/content/c/")
    path = body.removeprefix("Read https://desk.example")
    page = client.get(path)
    assert page.status_code == 200
    assert b"Grip on wet rock" in page.content
    assert smtp_server.messages == []
