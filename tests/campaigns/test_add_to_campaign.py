"""Add creators to a campaign from the creator page (one) and the search page (the ticked
ones): the htmx form on both pages, one prospect deal per creator and wave, creators already
there reported not duplicated, workspace isolation and roles."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db.models import F

from infludesk.campaigns.models import Deal, Stage
from infludesk.core.models import AuditEntry
from tests.factories import CampaignFactory, CreatorFactory, DealFactory, WaveFactory

pytestmark = pytest.mark.django_db
ADD = "/campaigns/add-creators/"
FORM = "/campaigns/add-creators/form/"


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, name="Winter Trails")


def deals(campaign) -> list[tuple[str, int | None, str]]:
    return list(
        Deal.objects.filter(campaign=campaign)
        .order_by("creator__name", F("wave_id").asc(nulls_first=True))
        .values_list("creator__name", "wave_id", "stage")
    )


def message_texts(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]


# --- the form on both pages ---------------------------------------------------------------


def test_given_the_creator_page_then_it_pulls_the_add_form_which_offers_campaigns_and_waves(
    owner_client, workspace, campaign
):
    # given
    creator = CreatorFactory(workspace=workspace)
    wave = WaveFactory(campaign=campaign, number=1)
    CampaignFactory(workspace=CreatorFactory().workspace, name="Not ours")
    # when
    page = owner_client.get(f"/creators/{creator.pk}/").content.decode()
    form = owner_client.get(
        FORM, {"creator": creator.pk, "next": f"/creators/{creator.pk}/"}
    ).content.decode()
    # then
    assert (
        f'hx-get="/campaigns/add-creators/form/?creator={creator.pk}&amp;'
        f'next=/creators/{creator.pk}/" hx-trigger="load"' in page
    )
    assert 'id="add-to-campaign-form"' in form
    assert f'<input type="hidden" name="ids" value="{creator.pk}">' in form
    assert f'<input type="hidden" name="next" value="/creators/{creator.pk}/">' in form
    assert f'<option value="{campaign.pk}">Winter Trails</option>' in form
    assert f'<option value="{wave.pk}">Winter Trails — Wave 1</option>' in form
    assert "Not ours" not in form


def test_given_the_search_page_then_its_bulk_form_pulls_the_add_selected_fields(
    owner_client, campaign
):
    # when
    page = owner_client.get("/creators/search/", {"platform": "instagram"}).content.decode()
    fields = owner_client.get(
        FORM, {"bulk": "1", "next": "/creators/search/?platform=instagram"}
    ).content.decode()
    # then the slot sits inside the bulk form and its button posts the ticked ids here
    bulk_form = page[
        page.index('<form id="bulk-form"') : page.index(
            "</form>", page.index('<form id="bulk-form"')
        )
    ]
    assert (
        'hx-get="/campaigns/add-creators/form/?bulk=1&amp;'
        'next=/creators/search/%3Fplatform%3Dinstagram" hx-trigger="load"' in bulk_form
    )
    assert "<form" not in fields
    assert (
        'id="add-selected-to-campaign" formaction="/campaigns/add-creators/">'
        "Add selected to campaign</button>" in fields
    )
    assert (
        '<input type="hidden" name="next" value="/creators/search/?platform=instagram">' in fields
    )
    assert f'<option value="{campaign.pk}">Winter Trails</option>' in fields


def test_given_a_viewer_then_the_form_is_empty_and_the_pages_still_render(
    viewer_client, workspace, campaign
):
    creator = CreatorFactory(workspace=workspace)
    response = viewer_client.get(FORM, {"creator": creator.pk})
    assert (response.status_code, response.content) == (200, b"")
    assert viewer_client.get(f"/creators/{creator.pk}/").status_code == 200
    assert viewer_client.get("/creators/search/").status_code == 200


def test_given_another_workspaces_creator_then_the_form_is_404(owner_client):
    foreign = CreatorFactory()
    assert owner_client.get(FORM, {"creator": foreign.pk}).status_code == 404


# --- adding -------------------------------------------------------------------------------


def test_given_one_creator_when_added_from_its_page_then_one_prospect_deal_and_back_there(
    manager_client, manager, workspace, campaign
):
    # given
    creator = CreatorFactory(workspace=workspace, name="Anna Trail")
    # when
    response = manager_client.post(
        ADD, {"ids": [creator.pk], "campaign": campaign.pk, "next": f"/creators/{creator.pk}/"}
    )
    # then
    assert (response.status_code, response["Location"]) == (302, f"/creators/{creator.pk}/")
    assert deals(campaign) == [("Anna Trail", None, Stage.PROSPECT)]
    assert message_texts(response) == ["Added 1 creator(s) to Winter Trails as prospects."]
    entry = AuditEntry.objects.get(action="deal.create")
    assert entry.actor_id == manager.pk


def test_given_ticked_creators_some_already_in_the_wave_when_added_then_only_the_new_ones(
    owner_client, workspace, campaign
):
    # given Bo is already in wave 1, Cy only in the campaign without a wave
    wave = WaveFactory(campaign=campaign, number=1)
    anna = CreatorFactory(workspace=workspace, name="Anna")
    bo = CreatorFactory(workspace=workspace, name="Bo")
    cy = CreatorFactory(workspace=workspace, name="Cy")
    DealFactory(campaign=campaign, creator=bo, wave=wave)
    DealFactory(campaign=campaign, creator=cy)
    back = "/creators/search/?platform=instagram"
    # when the three are ticked (Anna twice) and added to wave 1
    response = owner_client.post(
        ADD,
        {
            "ids": [anna.pk, bo.pk, cy.pk, anna.pk],
            "campaign": campaign.pk,
            "wave": wave.pk,
            "next": back,
            "shortlist_name": "",
        },
    )
    first_messages = message_texts(response)
    shown = owner_client.get(back).content.decode()  # back on the search page, message shown
    again = owner_client.post(
        ADD, {"ids": [anna.pk], "campaign": campaign.pk, "wave": wave.pk, "next": back}
    )
    # then one deal each for Anna and Cy in wave 1; Bo reported, nothing duplicated
    assert (response.status_code, response["Location"]) == (302, back)
    assert deals(campaign) == [
        ("Anna", wave.pk, Stage.PROSPECT),
        ("Bo", wave.pk, Stage.PROSPECT),
        ("Cy", None, Stage.PROSPECT),
        ("Cy", wave.pk, Stage.PROSPECT),
    ]
    assert first_messages == [
        "Added 2 creator(s) to Winter Trails (Wave 1) as prospects. "
        "Skipped: Bo is already in Wave 1."
    ]
    assert "Added 2 creator(s) to Winter Trails (Wave 1) as prospects." in shown
    assert message_texts(again) == [
        "Added 0 creator(s) to Winter Trails (Wave 1) as prospects. "
        "Skipped: Anna is already in Wave 1."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"campaign": "CAMPAIGN"}, "Tick at least one creator."),
        ({"ids": ["x"], "campaign": "CAMPAIGN"}, "Tick at least one creator."),
        ({"ids": ["CREATOR"]}, "Pick a campaign."),
        (
            {"ids": ["CREATOR"], "campaign": "CAMPAIGN", "wave": "w"},
            "Pick a wave of that campaign.",
        ),
        (
            {"ids": ["CREATOR"], "campaign": "CAMPAIGN", "wave": "OTHER_WAVE"},
            "Wave 1 belongs to another campaign than Winter Trails.",
        ),
    ],
)
def test_given_bad_input_then_400_saying_what_and_nothing_created(
    owner_client, workspace, campaign, data, message
):
    creator = CreatorFactory(workspace=workspace)
    other_wave = WaveFactory(campaign=CampaignFactory(workspace=workspace), number=1)
    values = {"CAMPAIGN": campaign.pk, "CREATOR": creator.pk, "OTHER_WAVE": other_wave.pk}
    posted = {
        k: [values.get(v, v) for v in vs] if isinstance(vs, list) else values.get(vs, vs)
        for k, vs in data.items()
    }
    response = owner_client.post(ADD, {**posted, "next": "https://evil.example/"})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'<p class="errorlist" id="add-to-campaign-error">{message}</p>' in body
    assert '<a href="/creators/">← Back</a>' in body
    assert Deal.objects.count() == 0


def test_given_another_workspaces_campaign_or_creator_then_404_and_nothing_created(
    owner_client, workspace, campaign
):
    ours = CreatorFactory(workspace=workspace)
    foreign_creator = CreatorFactory()
    foreign_campaign = CampaignFactory(workspace=foreign_creator.workspace)
    foreign_wave = WaveFactory(campaign=foreign_campaign, number=1)
    responses = [
        owner_client.post(ADD, {"ids": [ours.pk], "campaign": foreign_campaign.pk}),
        owner_client.post(ADD, {"ids": [ours.pk, foreign_creator.pk], "campaign": campaign.pk}),
        owner_client.post(
            ADD, {"ids": [ours.pk], "campaign": campaign.pk, "wave": foreign_wave.pk}
        ),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert Deal.objects.count() == 0


def test_given_a_viewer_when_adding_then_403_and_nothing_created(
    viewer_client, workspace, campaign
):
    creator = CreatorFactory(workspace=workspace)
    response = viewer_client.post(ADD, {"ids": [creator.pk], "campaign": campaign.pk})
    assert response.status_code == 403
    assert Deal.objects.count() == 0


def test_given_a_get_when_adding_then_405(owner_client):
    assert owner_client.get(ADD).status_code == 405
