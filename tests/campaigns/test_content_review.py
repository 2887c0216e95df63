"""Briefs, drafts in versions, the disclosure gate on approval, and the creator's signed link."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from infludesk.campaigns import content
from infludesk.campaigns.models import ContentDraft, Deliverable
from infludesk.campaigns.pipeline import deal_facts
from infludesk.core.models import AuditEntry
from tests.factories import CampaignFactory, DealFactory

GOOD = "#ad My new trail shoes from @northwind #RunFree"
BAD = "My new trail shoes #sp"


@pytest.fixture
def deal(workspace, owner):
    campaign = CampaignFactory(workspace=workspace, type="sponsored")
    content.brief_save(
        campaign=campaign,
        by=owner,
        hashtags="#RunFree",
        mentions="northwind",
        key_messages="Dry feet on muddy trails",
    )
    return DealFactory(workspace=workspace, campaign=campaign, stage="in_review")


def test_given_a_seeding_campaign_then_the_default_relationship_is_gifted(workspace):
    assert content.brief_for(CampaignFactory(workspace=workspace, type="seeding")).relationship == (
        "gifted"
    )


def test_given_text_tags_when_the_brief_is_saved_then_they_are_normalised(deal):
    brief = content.brief_for(deal.campaign)
    assert (brief.hashtags, brief.mentions) == (["#RunFree"], ["@northwind"])


def test_given_drafts_when_submitted_then_versions_count_up_and_each_is_checked(deal, owner):
    first = content.draft_submit(deal=deal, caption=BAD, by=owner)
    second = content.draft_submit(deal=deal, caption=GOOD, by=owner)
    assert (first.version, first.disclosure["compliant"], first.disclosure["reasons"]) == (
        1,
        False,
        ["ambiguous_tag", "missing_disclosure", "missing_mention", "missing_hashtag"],
    )
    assert (second.version, second.disclosure["compliant"], second.disclosure["label"]) == (
        2,
        True,
        "#ad",
    )


def test_given_a_failing_draft_when_approved_without_a_note_then_blocked(deal, owner):
    draft = content.draft_submit(deal=deal, caption=BAD, by=owner)
    with pytest.raises(ValidationError) as err:
        content.draft_review(draft=draft, approve=True, by=owner)
    assert err.value.message_dict["override_note"][0].startswith("The disclosure check fails")
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_given_a_failing_draft_when_approved_with_an_override_note_then_approved_and_audited(
    deal, owner
):
    draft = content.draft_submit(deal=deal, caption=BAD, by=owner)
    content.draft_review(draft=draft, approve=True, override_note="Legal cleared it", by=owner)
    draft.refresh_from_db()
    assert (draft.status, draft.override_note, draft.reviewed_by) == (
        "approved",
        "Legal cleared it",
        owner,
    )
    entry = AuditEntry.objects.get(action="draft.approve")
    assert entry.changes["override_note"] == [None, "Legal cleared it"]


def test_given_changes_requested_without_a_comment_then_refused(deal, owner):
    draft = content.draft_submit(deal=deal, caption=GOOD, by=owner)
    with pytest.raises(ValidationError) as err:
        content.draft_review(draft=draft, approve=False, by=owner)
    assert err.value.message_dict == {"comment": ["Say what should change."]}


def test_given_an_approved_draft_then_its_deliverable_is_approved_and_the_deal_may_advance(
    deal, owner
):
    deliverable = Deliverable.objects.create(
        workspace=deal.workspace, deal=deal, platform="instagram", format="reel"
    )
    draft = content.draft_submit(deal=deal, caption=GOOD, deliverable=deliverable, by=owner)
    assert deal_facts(deal).has_approved_deliverable is False
    content.draft_review(draft=draft, approve=True, by=owner)
    deliverable.refresh_from_db()
    assert (deliverable.status, deal_facts(deal).has_approved_deliverable) == ("approved", True)


def test_given_the_review_page_when_a_failing_draft_is_approved_then_400_with_the_reason(
    deal, manager_client
):
    manager_client.post(f"/content/deals/{deal.pk}/", {"action": "submit", "caption": BAD})
    draft = ContentDraft.objects.get()
    response = manager_client.post(
        f"/content/deals/{deal.pk}/", {"action": "approve", "draft": draft.pk}
    )
    assert response.status_code == 400
    assert response.context["errors"][0].startswith("The disclosure check fails")


def test_given_the_creator_link_when_a_draft_is_posted_then_it_is_a_new_version(deal, client):
    token = content.draft_link_token(deal)
    page = client.get(f"/content/c/{token}/")
    assert page.status_code == 200
    assert b"Dry feet on muddy trails" in page.content
    response = client.post(f"/content/c/{token}/", {"caption": GOOD})
    assert response.status_code == 200
    assert list(ContentDraft.objects.values_list("version", "submitted_via")) == [(1, "creator")]


def test_given_a_forged_creator_link_then_404_and_nothing_saved(deal, client):
    response = client.post("/content/c/forged-token/", {"caption": GOOD})
    assert response.status_code == 404
    assert ContentDraft.objects.count() == 0


def test_given_a_viewer_or_another_workspace_then_no_review(deal, viewer_client, other_owner):
    assert (
        viewer_client.post(
            f"/content/deals/{deal.pk}/", {"action": "submit", "caption": GOOD}
        ).status_code
        == 403
    )
    from django.test import Client

    other = Client()
    other.force_login(other_owner.user, backend="django.contrib.auth.backends.ModelBackend")
    assert other.get(f"/content/deals/{deal.pk}/").status_code == 404
    assert ContentDraft.objects.count() == 0


def test_given_the_brief_form_when_saved_then_new_drafts_are_checked_against_it(
    deal, manager_client
):
    manager_client.post(
        f"/content/deals/{deal.pk}/",
        {
            "action": "brief",
            "relationship": "gifted",
            "hashtags": "#TrailReady",
            "mentions": "",
            "key_messages": "Grip on wet rock",
        },
    )
    brief = content.brief_for(deal.campaign)
    assert (brief.relationship, brief.hashtags, brief.mentions) == ("gifted", ["#TrailReady"], [])
    draft = content.draft_submit(deal=deal, caption="#gifted by Northwind #TrailReady", by=None)
    assert draft.disclosure["compliant"] is True
