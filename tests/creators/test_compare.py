"""The compare page: 2-5 creators side by side with their follower chart."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from tests.factories import AccountSnapshotFactory, CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(workspace):
    """Anna: 50,000 Instagram followers at ER 3.2 (micro benchmark 1.6), +15% in 30 days,
    scored 81. Ben: 2,000 TikTok followers, no ER, no score, no history."""
    anna = CreatorFactory(workspace=workspace, name="Anna Berg")
    account = SocialAccountFactory(
        creator=anna,
        handle="anna.runs",
        followers=50_000,
        engagement_rate="3.2",
        authenticity_score=81,
    )
    now = timezone.now()
    AccountSnapshotFactory(account=account, taken_at=now - dt.timedelta(days=31), followers=40_000)
    AccountSnapshotFactory(account=account, taken_at=now - dt.timedelta(days=1), followers=46_000)
    ben = CreatorFactory(workspace=workspace, name="Ben Brook")
    SocialAccountFactory(
        creator=ben, handle="benb", platform="tiktok", followers=2_000, engagement_rate=None
    )
    return anna, ben


def _row(html: str, label: str) -> list[str]:
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, flags=re.S)
    assert match, label
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), flags=re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_two_creators_side_by_side(owner_client, pair):
    anna, ben = pair
    html = owner_client.get(f"/creators/compare/?ids={anna.pk},{ben.pk}").content.decode()
    assert _row(html, "Followers (all accounts)") == ["50,000", "2,000"]
    assert _row(html, "Tier") == ["Micro (10k-100k)", "Nano (1k-10k)"]
    assert _row(html, "ER vs tier benchmark") == [
        "2.00\u00d7 (benchmark 1.60%)",
        "benchmark 8.00%, no ER",
    ]
    assert _row(html, "Growth, 30 days") == ["15.0%", "not enough history"]
    assert _row(html, "Authenticity") == ["81", "not scored yet"]
    # Anna: micro post 100-500, reach 10,000, engagements 320; Ben: nano TikTok 0.50 -> 1,000
    assert _row(html, "Estimated cost, feed post") == [
        "100.00 \u2013 500.00 USD",
        "10.00 \u2013 100.00 USD",
    ]
    assert _row(html, "Expected reach") == ["10,000", "1,000"]
    assert _row(html, "Expected engagements") == ["320", "needs ER"]
    assert _row(html, "CPM") == ["10.00 \u2013 50.00 USD", "10.00 \u2013 100.00 USD"]
    assert _row(html, "CPE") == ["0.31 \u2013 1.56 USD", "needs ER"]


def test_the_chart_has_each_accounts_snapshots(owner_client, pair):
    anna, ben = pair
    html = owner_client.get(f"/creators/compare/?ids={anna.pk}&ids={ben.pk}").content.decode()
    figure = json.loads(
        re.search(
            r'<script id="compare-chart" type="application/json">(.*?)</script>', html, flags=re.S
        ).group(1)
    )
    assert [(t["name"], t["y"]) for t in figure["data"]] == [
        ("Anna Berg @anna.runs (instagram)", [40_000, 46_000])
    ]


@pytest.mark.parametrize("ids", ["", "1", "1,2,3,4,5,6", "1,x"])
def test_fewer_than_2_or_more_than_5_or_bad_ids_get_a_clear_message(owner_client, ids):
    response = owner_client.get(f"/creators/compare/?ids={ids}")
    assert response.status_code == 400
    text = response.content.decode()
    assert ("Pick between 2 and 5 creators" in text) or ("must be whole numbers" in text)


def test_the_message_counts_the_picked_creators(owner_client):
    response = owner_client.get("/creators/compare/?ids=1,2,3,4,5,6")
    assert "Pick between 2 and 5 creators to compare (6 picked)." in response.content.decode()


def test_another_workspaces_creator_is_404(owner_client, pair, other_workspace):
    anna, _ = pair
    theirs = CreatorFactory(workspace=other_workspace)
    assert owner_client.get(f"/creators/compare/?ids={anna.pk},{theirs.pk}").status_code == 404


def test_a_post_of_ticked_boxes_redirects_to_the_shareable_link(viewer_client, pair):
    anna, ben = pair
    response = viewer_client.post("/creators/compare/", {"ids": [anna.pk, ben.pk]})
    assert response["Location"] == f"/creators/compare/?ids={anna.pk}%2C{ben.pk}"


def test_query_count_is_pinned_for_five_creators(
    owner_client, workspace, django_assert_max_num_queries
):
    ids = []
    for i in range(5):
        creator = CreatorFactory(workspace=workspace)
        for platform in ("instagram", "tiktok"):
            account = SocialAccountFactory(creator=creator, platform=platform, followers=9_000 + i)
            AccountSnapshotFactory(account=account)
            AccountSnapshotFactory(account=account)
        ids.append(str(creator.pk))
    # session, user, member, memberships, creators, accounts, snapshots, cost table,
    # the workspace's ER benchmarks
    with django_assert_max_num_queries(9):
        response = owner_client.get(f"/creators/compare/?ids={','.join(ids)}")
    assert response.status_code == 200


def test_viewer_can_compare_but_is_not_offered_the_shortlist_form(viewer_client, pair):
    anna, ben = pair
    html = viewer_client.get(f"/creators/compare/?ids={anna.pk},{ben.pk}").content.decode()
    assert 'id="compare"' in html
    assert 'id="compare-shortlist"' not in html
