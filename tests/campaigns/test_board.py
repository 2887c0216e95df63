"""The campaign page: kanban moves (HTMX and plain), shortlist adds, waves, goals, progress."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.campaigns.models import Deal, Goal, Wave
from infludesk.creators.models import Shortlist, ShortlistEntry
from tests.factories import CampaignFactory, CreatorFactory, DealFactory


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace)


def test_given_the_board_when_a_card_is_dropped_on_a_stage_then_htmx_gets_the_new_board(
    campaign, manager_client
):
    deal = DealFactory(workspace=campaign.workspace, campaign=campaign, stage="prospect")
    response = manager_client.post(
        f"/campaigns/{campaign.pk}/board/move/",
        {"deal": deal.pk, "stage": "contacted"},
        HTTP_HX_REQUEST="true",
    )
    deal.refresh_from_db()
    assert (response.status_code, deal.stage) == (200, "contacted")
    assert response.templates[0].name == "campaigns/_board.html"
    columns = {c.stage: [d.pk for d in c.deals] for c in response.context["board"]}
    assert columns["contacted"] == [deal.pk]


def test_given_a_move_the_pipeline_refuses_then_the_board_shows_why(campaign, manager_client):
    deal = DealFactory(
        workspace=campaign.workspace, campaign=campaign, stage="contracted", creator__name="Anna"
    )
    response = manager_client.post(
        f"/campaigns/{campaign.pk}/board/move/",
        {"deal": deal.pk, "stage": "paid"},
        HTTP_HX_REQUEST="true",
    )
    assert response.context["board_errors"] == [
        "Anna: A deliverable must be approved first.",
        "Anna: Record a paid payment before marking the deal paid.",
    ]
    deal.refresh_from_db()
    assert deal.stage == "contracted"


def test_given_no_javascript_when_the_move_form_posts_then_redirect(campaign, manager_client):
    deal = DealFactory(workspace=campaign.workspace, campaign=campaign)
    response = manager_client.post(
        f"/campaigns/{campaign.pk}/board/move/", {"deal": deal.pk, "stage": "declined"}
    )
    deal.refresh_from_db()
    assert (response.status_code, deal.stage) == (302, "declined")


def test_given_a_viewer_or_another_workspace_then_no_move(
    campaign, viewer_client, other_workspace, owner_client
):
    deal = DealFactory(workspace=campaign.workspace, campaign=campaign)
    assert (
        viewer_client.post(
            f"/campaigns/{campaign.pk}/board/move/", {"deal": deal.pk, "stage": "contacted"}
        ).status_code
        == 403
    )
    foreign = DealFactory(workspace=other_workspace)
    response = owner_client.post(
        f"/campaigns/{foreign.campaign_id}/board/move/", {"deal": foreign.pk, "stage": "contacted"}
    )
    foreign.refresh_from_db()
    assert (response.status_code, foreign.stage) == (404, "prospect")


def test_given_the_page_actions_then_shortlist_wave_and_goal_are_added(campaign, manager_client):
    workspace = campaign.workspace
    shortlist = Shortlist.objects.create(workspace=workspace, name="Runners")
    ShortlistEntry.objects.create(
        workspace=workspace, shortlist=shortlist, creator=CreatorFactory(workspace=workspace)
    )
    url = f"/campaigns/{campaign.pk}/actions/"
    manager_client.post(url, {"action": "add_shortlist", "shortlist": shortlist.pk})
    manager_client.post(url, {"action": "add_wave", "budget": "1500"})
    manager_client.post(
        url, {"action": "add_goal", "metric": "clicks", "target": "500", "deadline": "2026-12-20"}
    )
    bad = manager_client.post(
        url,
        {"action": "add_goal", "metric": "vibes", "target": "1", "deadline": "2026-12-20"},
        follow=True,
    )
    assert Deal.objects.filter(campaign=campaign).count() == 1
    assert list(Wave.objects.values_list("number", "budget")) == [(1, Decimal("1500.00"))]
    assert list(Goal.objects.values_list("metric", "target")) == [("clicks", Decimal("500"))]
    assert "'vibes' is not a measurable KPI" in [str(m) for m in bad.context["messages"]][-1]


def test_given_a_goal_then_the_progress_partial_shows_it(campaign, viewer_client):
    Goal.objects.create(
        workspace=campaign.workspace,
        campaign=campaign,
        metric="clicks",
        target=Decimal("10"),
        deadline="2026-12-20",
    )
    response = viewer_client.get(f"/analytics/campaigns/{campaign.pk}/progress/")
    assert response.status_code == 200
    assert [(r.goal.metric, r.actual, r.status) for r in response.context["rows"]] == [
        ("clicks", Decimal("0"), "behind")
    ]


def test_given_the_campaign_page_then_board_and_forms_render(campaign, manager_client):
    DealFactory(workspace=campaign.workspace, campaign=campaign)
    response = manager_client.get(f"/campaigns/{campaign.pk}/")
    assert response.status_code == 200
    assert b'draggable="true"' in response.content
    assert b"js/board.js" in response.content
