"""Shortlist pages: list, detail with estimates, add from the creators list, edits, add all to
a campaign; workspace isolation (404) and read-only viewers (403) on every page."""

from __future__ import annotations

import pytest

from infludesk.campaigns.models import Deal
from infludesk.core.models import AuditEntry
from infludesk.creators import shortlists as svc
from infludesk.creators.models import Shortlist, ShortlistEntry
from tests.factories import CampaignFactory, CreatorFactory, SocialAccountFactory, WaveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def runners(workspace, owner):
    """A shortlist with Anna (50,000 micro Instagram followers, ER 2.0)."""
    shortlist = svc.shortlist_create(workspace=workspace, name="Runners", by=owner)
    anna = CreatorFactory(workspace=workspace, name="Anna Berg")
    SocialAccountFactory(creator=anna, handle="anna.runs", followers=50_000, engagement_rate="2.0")
    svc.shortlist_entries_add(shortlist=shortlist, creator_ids=[anna.pk], by=owner)
    return shortlist


@pytest.fixture
def theirs(other_workspace, other_owner):
    shortlist = svc.shortlist_create(workspace=other_workspace, name="Theirs", by=other_owner)
    creator = CreatorFactory(workspace=other_workspace, name="Zed")
    svc.shortlist_entries_add(shortlist=shortlist, creator_ids=[creator.pk], by=other_owner)
    return shortlist


def test_list_shows_only_this_workspaces_shortlists(owner_client, runners, theirs):
    html = owner_client.get("/shortlists/").content.decode()
    assert "Runners" in html
    assert "Theirs" not in html


def test_manager_creates_a_shortlist_and_lands_on_it(manager_client, workspace):
    response = manager_client.post("/shortlists/", {"name": "Yoga"})
    shortlist = Shortlist.objects.get(workspace=workspace)
    assert (response.status_code, response["Location"]) == (302, f"/shortlists/{shortlist.pk}/")


def test_a_duplicate_name_gets_400_with_the_reason(owner_client, runners):
    response = owner_client.post("/shortlists/", {"name": "runners"})
    assert response.status_code == 400
    assert "There is already a shortlist named &#x27;runners&#x27;." in response.content.decode()


def test_viewer_cannot_create(viewer_client):
    assert viewer_client.post("/shortlists/", {"name": "Yoga"}).status_code == 403
    assert Shortlist.objects.count() == 0


def test_detail_shows_estimated_cost_and_reach(owner_client, runners):
    html = owner_client.get(f"/shortlists/{runners.pk}/").content.decode()
    assert "Anna Berg" in html
    assert "100.00 \u2013 500.00 USD" in html  # micro feed post
    assert '<td class="num">10,000</td>' in html  # 50,000 x 0.20
    assert "10.00 \u2013 50.00" in html  # CPM


def test_detail_estimates_the_chosen_format(owner_client, runners):
    # micro reel: 100 x 1.5 = 150 to 500 x 1.5 = 750
    html = owner_client.get(f"/shortlists/{runners.pk}/?format=reel").content.decode()
    assert "150.00 \u2013 750.00 USD" in html


def test_detail_with_an_unknown_format_is_400(owner_client, runners):
    response = owner_client.get(f"/shortlists/{runners.pk}/?format=podcast")
    assert response.status_code == 400
    assert "Unknown format &#x27;podcast&#x27;" in response.content.decode()


def test_detail_of_another_workspaces_shortlist_is_404(owner_client, theirs):
    assert owner_client.get(f"/shortlists/{theirs.pk}/").status_code == 404


def test_detail_query_count_does_not_grow_with_entries(
    owner_client, workspace, owner, runners, django_assert_max_num_queries
):
    for i in range(12):
        creator = CreatorFactory(workspace=workspace)
        SocialAccountFactory(creator=creator, followers=1_000 * (i + 1))
        svc.shortlist_entries_add(shortlist=runners, creator_ids=[creator.pk], by=owner)
    # session, user, member, memberships, shortlist, entries+creators, accounts, cost table
    with django_assert_max_num_queries(8):
        response = owner_client.get(f"/shortlists/{runners.pk}/")
    assert response.content.decode().count('name="ids"') == 13


def test_add_from_creators_list_to_a_new_shortlist(owner_client, workspace):
    a, b = CreatorFactory(workspace=workspace), CreatorFactory(workspace=workspace)
    response = owner_client.post(
        "/shortlists/add/", {"ids": [str(a.pk), str(b.pk)], "shortlist_name": "Autumn"}
    )
    shortlist = Shortlist.objects.get(name="Autumn")
    assert response["Location"] == f"/shortlists/{shortlist.pk}/"
    assert sorted(shortlist.entries.values_list("creator_id", flat=True)) == sorted([a.pk, b.pk])


def test_add_to_an_existing_shortlist_by_name_names_the_ones_already_on_it(owner_client, runners):
    anna = runners.entries.get().creator
    response = owner_client.post(
        "/shortlists/add/", {"ids": str(anna.pk), "shortlist_name": "RUNNERS"}, follow=True
    )
    assert "Added 0 creator(s) to &#x27;Runners&#x27;. Already on it: Anna Berg." in (
        response.content.decode()
    )


def test_add_another_workspaces_creator_is_400_with_the_id(owner_client, runners, theirs):
    zed = theirs.entries.get().creator
    response = owner_client.post("/shortlists/add/", {"ids": str(zed.pk), "shortlist": runners.pk})
    assert response.status_code == 400
    assert f"No such creator(s) here: [{zed.pk}]." in response.content.decode()


def test_add_to_another_workspaces_shortlist_is_404(owner_client, workspace, theirs):
    mine = CreatorFactory(workspace=workspace)
    response = owner_client.post("/shortlists/add/", {"ids": str(mine.pk), "shortlist": theirs.pk})
    assert response.status_code == 404
    assert theirs.entries.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"shortlist_name": "X"}, "Pick at least one creator"),
        ({"ids": "1,abc", "shortlist_name": "X"}, "Pick at least one creator"),
        ({"ids": "1"}, "Pick a shortlist or type a name for a new one."),
    ],
)
def test_add_with_bad_input_is_400_with_a_message(owner_client, data, message):
    response = owner_client.post("/shortlists/add/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_viewer_cannot_add_rename_note_remove_or_delete(viewer_client, runners):
    entry = runners.entries.get()
    base = f"/shortlists/{runners.pk}"
    posts = [
        ("/shortlists/add/", {"ids": str(entry.creator_id), "shortlist": runners.pk}),
        (f"{base}/rename/", {"name": "X"}),
        (f"{base}/entries/{entry.pk}/note/", {"note": "x"}),
        (f"{base}/entries/{entry.pk}/remove/", {}),
        (f"{base}/delete/", {}),
        (f"{base}/to-campaign/", {}),
    ]
    assert [viewer_client.post(url, data).status_code for url, data in posts] == [403] * 6
    assert (Shortlist.objects.get().name, ShortlistEntry.objects.get().note) == ("Runners", "")


def test_edits_on_another_workspaces_shortlist_are_404(owner_client, theirs):
    entry = theirs.entries.get()
    base = f"/shortlists/{theirs.pk}"
    posts = [
        (f"{base}/rename/", {"name": "X"}),
        (f"{base}/entries/{entry.pk}/note/", {"note": "x"}),
        (f"{base}/entries/{entry.pk}/remove/", {}),
        (f"{base}/delete/", {}),
    ]
    assert [owner_client.post(url, data).status_code for url, data in posts] == [404] * 4
    assert theirs.entries.count() == 1


def test_an_entry_of_another_shortlist_is_404_under_this_one(owner_client, owner, runners):
    other = svc.shortlist_create(workspace=runners.workspace, name="Other", by=owner)
    entry = runners.entries.get()
    url = f"/shortlists/{other.pk}/entries/{entry.pk}/remove/"
    assert owner_client.post(url).status_code == 404


def test_note_rename_remove_delete_by_a_manager(manager_client, runners):
    entry = runners.entries.get()
    base = f"/shortlists/{runners.pk}"
    manager_client.post(f"{base}/entries/{entry.pk}/note/", {"note": "asks 400"})
    manager_client.post(f"{base}/rename/", {"name": "Trail runners"})
    assert ShortlistEntry.objects.get().note == "asks 400"
    assert Shortlist.objects.get().name == "Trail runners"
    manager_client.post(f"{base}/entries/{entry.pk}/remove/")
    assert ShortlistEntry.objects.count() == 0
    assert manager_client.post(f"{base}/delete/")["Location"] == "/shortlists/"
    assert Shortlist.objects.count() == 0


def test_rename_to_blank_is_400(owner_client, runners):
    response = owner_client.post(f"/shortlists/{runners.pk}/rename/", {"name": " "})
    assert response.status_code == 400
    assert "A shortlist needs a name." in response.content.decode()


# --- add all to a campaign -------------------------------------------------------------------


def test_add_all_to_campaign_creates_prospects_and_names_the_skipped(
    owner_client, workspace, runners
):
    campaign = CampaignFactory(workspace=workspace, name="Winter")
    ben = CreatorFactory(workspace=workspace, name="Ben Brook")
    ShortlistEntry.objects.create(workspace=workspace, shortlist=runners, creator=ben)
    Deal.objects.create(workspace=workspace, campaign=campaign, creator=ben)
    response = owner_client.post(
        f"/shortlists/{runners.pk}/to-campaign/", {"campaign": campaign.pk}, follow=True
    )
    assert response.redirect_chain == [(f"/campaigns/{campaign.pk}/", 302)]
    assert sorted(Deal.objects.values_list("creator__name", "stage")) == [
        ("Anna Berg", "prospect"),
        ("Ben Brook", "prospect"),
    ]
    assert (
        "Added 1 creator(s) from &#x27;Runners&#x27; as prospects. Skipped: Ben Brook is "
        "already in Winter." in response.content.decode()
    )


def test_add_all_to_a_wave(owner_client, workspace, runners):
    wave = WaveFactory(workspace=workspace, campaign=CampaignFactory(workspace=workspace))
    owner_client.post(
        f"/shortlists/{runners.pk}/to-campaign/", {"campaign": wave.campaign_id, "wave": wave.pk}
    )
    assert Deal.objects.get().wave == wave


def test_the_form_lists_only_this_workspaces_campaigns(owner_client, workspace, runners):
    CampaignFactory(workspace=workspace, name="Mine")
    CampaignFactory(name="Not mine")
    html = owner_client.get(f"/shortlists/{runners.pk}/to-campaign/").content.decode()
    assert "Mine" in html
    assert "Not mine" not in html


def test_another_workspaces_campaign_is_404(owner_client, runners):
    campaign = CampaignFactory(name="Theirs")
    response = owner_client.post(
        f"/shortlists/{runners.pk}/to-campaign/", {"campaign": campaign.pk}
    )
    assert response.status_code == 404
    assert Deal.objects.count() == 0


def test_another_workspaces_shortlist_to_campaign_is_404(owner_client, workspace, theirs):
    campaign = CampaignFactory(workspace=workspace)
    response = owner_client.post(f"/shortlists/{theirs.pk}/to-campaign/", {"campaign": campaign.pk})
    assert response.status_code == 404


def test_a_wave_of_another_campaign_is_400(owner_client, workspace, runners):
    campaign = CampaignFactory(workspace=workspace, name="Winter")
    wave = WaveFactory(workspace=workspace, campaign=CampaignFactory(workspace=workspace))
    response = owner_client.post(
        f"/shortlists/{runners.pk}/to-campaign/", {"campaign": campaign.pk, "wave": wave.pk}
    )
    assert response.status_code == 400
    assert "belongs to another campaign than Winter." in response.content.decode()
    assert Deal.objects.count() == 0


def test_no_campaign_picked_is_400(owner_client, runners):
    response = owner_client.post(f"/shortlists/{runners.pk}/to-campaign/", {"campaign": ""})
    assert response.status_code == 400
    assert "Pick a campaign." in response.content.decode()


# --- creators list and creator page hooks ------------------------------------------------------


def test_creators_list_has_a_checkbox_per_row_and_the_bulk_form(owner_client, workspace):
    creator = CreatorFactory(workspace=workspace)
    html = owner_client.get("/creators/").content.decode()
    assert f'<input type="checkbox" name="ids" value="{creator.pk}" form="bulk-form"' in html
    assert 'id="add-to-shortlist"' in html


def test_creators_list_hides_the_shortlist_action_from_viewers(viewer_client, workspace):
    html = viewer_client.get("/creators/").content.decode()
    assert 'id="add-to-shortlist"' not in html
    assert 'id="compare-selected"' in html


def test_audit_entries_name_the_actor(manager_client, manager, workspace):
    manager_client.post("/shortlists/", {"name": "Yoga"})
    assert AuditEntry.objects.get(action="shortlist.create").actor == manager


def test_a_creators_page_offers_add_to_shortlist_to_writers_only(
    owner_client, viewer_client, workspace
):
    creator = CreatorFactory(workspace=workspace)
    assert 'id="detail-shortlist"' in owner_client.get(f"/creators/{creator.pk}/").content.decode()
    assert 'id="detail-shortlist"' not in (
        viewer_client.get(f"/creators/{creator.pk}/").content.decode()
    )
    response = owner_client.post(
        "/shortlists/add/", {"ids": str(creator.pk), "shortlist_name": "From page"}
    )
    assert response.status_code == 302
    assert Shortlist.objects.get().entries.get().creator == creator
