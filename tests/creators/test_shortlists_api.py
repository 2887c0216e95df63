"""Shortlists and compare over the REST API: reads for every member, writes for owner and
manager, 404 for another workspace's rows."""

from __future__ import annotations

import datetime as dt

import pytest

from infludesk.campaigns.models import Deal
from infludesk.core.models import AuditEntry
from infludesk.creators import shortlists as svc
from infludesk.creators.models import Shortlist, ShortlistEntry
from tests.factories import (
    AccountSnapshotFactory,
    CampaignFactory,
    CreatorFactory,
    SocialAccountFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(workspace):
    creator = CreatorFactory(workspace=workspace, name="Anna Berg")
    SocialAccountFactory(creator=creator, followers=50_000, engagement_rate="2.0")
    return creator


def test_create_add_and_read_a_shortlist_with_estimates(owner_api, anna, workspace):
    created = owner_api.post("/shortlists", {"name": "Runners"})
    assert created.status_code == 201
    sid = created.json()["id"]
    added = owner_api.post(f"/shortlists/{sid}/entries", {"creator_ids": [anna.pk], "note": "fit"})
    assert added.json() == {"added": [anna.pk], "already": []}
    body = owner_api.get(f"/shortlists/{sid}").json()
    [entry] = body["entries"]
    assert (body["currency"], entry["creator_name"], entry["note"]) == ("USD", "Anna Berg", "fit")
    assert entry["estimate"] == {
        "format": "post",
        "cost_low": "100.00",
        "cost_high": "500.00",
        "reach": 10_000,
        "engagements": 200,
        "cpm_low": "10.00",
        "cpm_high": "50.00",
        "cpe_low": "0.50",
        "cpe_high": "2.50",
    }
    actions = AuditEntry.objects.filter(workspace=workspace, action__startswith="shortlist.")
    assert sorted(actions.values_list("action", flat=True)) == [
        "shortlist.create",
        "shortlist.entry_add",
    ]


def test_list_shows_only_this_workspace(owner_api, owner, other_owner, workspace, other_workspace):
    svc.shortlist_create(workspace=workspace, name="Mine", by=owner)
    svc.shortlist_create(workspace=other_workspace, name="Theirs", by=other_owner)
    items = owner_api.get("/shortlists").json()["items"]
    assert [(i["name"], i["entry_count"]) for i in items] == [("Mine", 0)]


def test_another_workspaces_shortlist_is_404_everywhere(owner_api, other_workspace, other_owner):
    theirs = svc.shortlist_create(workspace=other_workspace, name="Theirs", by=other_owner)
    creator = CreatorFactory(workspace=other_workspace)
    svc.shortlist_entries_add(shortlist=theirs, creator_ids=[creator.pk], by=other_owner)
    entry = ShortlistEntry.objects.get()
    codes = [
        owner_api.get(f"/shortlists/{theirs.pk}").status_code,
        owner_api.patch(f"/shortlists/{theirs.pk}", {"name": "X"}).status_code,
        owner_api.post(f"/shortlists/{theirs.pk}/entries", {"creator_ids": [1]}).status_code,
        owner_api.delete(f"/shortlists/{theirs.pk}/entries/{entry.pk}").status_code,
        owner_api.delete(f"/shortlists/{theirs.pk}").status_code,
    ]
    assert codes == [404] * 5
    assert Shortlist.objects.get().name == "Theirs"


def test_adding_another_workspaces_creator_is_422(owner_api, owner, workspace, other_workspace):
    mine = svc.shortlist_create(workspace=workspace, name="Mine", by=owner)
    theirs = CreatorFactory(workspace=other_workspace)
    response = owner_api.post(f"/shortlists/{mine.pk}/entries", {"creator_ids": [theirs.pk]})
    assert response.status_code == 422
    assert f"No such creator(s) here: [{theirs.pk}]." in response.content.decode()


def test_viewer_reads_but_cannot_write(viewer_api, owner, workspace):
    mine = svc.shortlist_create(workspace=workspace, name="Mine", by=owner)
    assert viewer_api.get(f"/shortlists/{mine.pk}").status_code == 200
    codes = [
        viewer_api.post("/shortlists", {"name": "X"}).status_code,
        viewer_api.patch(f"/shortlists/{mine.pk}", {"name": "X"}).status_code,
        viewer_api.delete(f"/shortlists/{mine.pk}").status_code,
    ]
    assert codes == [403] * 3


def test_rename_and_delete(owner_api, owner, workspace):
    mine = svc.shortlist_create(workspace=workspace, name="Mine", by=owner)
    assert owner_api.patch(f"/shortlists/{mine.pk}", {"name": "Ours"}).json()["name"] == "Ours"
    assert owner_api.delete(f"/shortlists/{mine.pk}").status_code == 204
    assert Shortlist.objects.count() == 0


def test_compare_over_the_api(owner_api, anna, workspace):
    ben = CreatorFactory(workspace=workspace, name="Ben")
    body = owner_api.get("/creators/compare", ids=f"{anna.pk},{ben.pk}").json()
    assert [(r["creator_name"], r["tier"], r["er_ratio"]) for r in body] == [
        ("Anna Berg", "micro", 1.25),  # 2.0 / 1.6
        ("Ben", None, None),
    ]


def test_compare_over_the_api_carries_each_accounts_follower_series(owner_api, anna, workspace):
    account = anna.accounts.get()
    ben = CreatorFactory(workspace=workspace, name="Ben")
    for day, followers in ((1, 48_000), (2, 49_000)):
        AccountSnapshotFactory(
            account=account, taken_at=dt.datetime(2026, 11, day, tzinfo=dt.UTC), followers=followers
        )
    body = owner_api.get("/creators/compare", ids=f"{anna.pk},{ben.pk}").json()
    assert body[0]["follower_series"] == [
        {
            "account_id": account.pk,
            "handle": account.handle,
            "platform": "instagram",
            "taken_at": ["2026-11-01T00:00:00+00:00", "2026-11-02T00:00:00+00:00"],
            "followers": [48_000, 49_000],
        }
    ]
    assert body[1]["follower_series"] == []


def test_compare_with_one_id_is_422_and_another_workspaces_id_404(owner_api, anna, other_workspace):
    one = owner_api.get("/creators/compare", ids=str(anna.pk))
    assert one.status_code == 422
    assert one.json()["errors"] == [
        {"field": "ids", "message": "Pick between 2 and 5 creators to compare (1 picked)."}
    ]
    theirs = CreatorFactory(workspace=other_workspace)
    assert owner_api.get("/creators/compare", ids=f"{anna.pk},{theirs.pk}").status_code == 404


# --- add a shortlist to a campaign -----------------------------------------------------------


def test_add_a_shortlist_to_a_campaign_names_the_skipped(owner_api, owner, anna, workspace):
    campaign = CampaignFactory(workspace=workspace, name="Winter")
    ben = CreatorFactory(workspace=workspace, name="Ben")
    Deal.objects.create(workspace=workspace, campaign=campaign, creator=ben)
    mine = svc.shortlist_create(workspace=workspace, name="Mine", by=owner)
    svc.shortlist_entries_add(shortlist=mine, creator_ids=[anna.pk, ben.pk], by=owner)
    body = owner_api.post(f"/shortlists/{mine.pk}/to-campaign", {"campaign_id": campaign.pk}).json()
    deal = Deal.objects.get(creator=anna)
    assert body == {"added_deal_ids": [deal.pk], "skipped": ["Ben is already in Winter."]}


def test_add_to_another_workspaces_campaign_or_from_its_shortlist_is_404(
    owner_api, owner, workspace, other_workspace, other_owner
):
    mine = svc.shortlist_create(workspace=workspace, name="Mine", by=owner)
    theirs = svc.shortlist_create(workspace=other_workspace, name="Theirs", by=other_owner)
    my_campaign = CampaignFactory(workspace=workspace)
    their_campaign = CampaignFactory(workspace=other_workspace)
    codes = [
        owner_api.post(
            f"/shortlists/{mine.pk}/to-campaign", {"campaign_id": their_campaign.pk}
        ).status_code,
        owner_api.post(
            f"/shortlists/{theirs.pk}/to-campaign", {"campaign_id": my_campaign.pk}
        ).status_code,
    ]
    assert codes == [404, 404]


def test_viewer_cannot_add_a_shortlist_to_a_campaign(viewer_api, owner, workspace):
    mine = svc.shortlist_create(workspace=workspace, name="Mine", by=owner)
    campaign = CampaignFactory(workspace=workspace)
    response = viewer_api.post(f"/shortlists/{mine.pk}/to-campaign", {"campaign_id": campaign.pk})
    assert response.status_code == 403
