"""The creator list (filters, sorting, pages, HTMX partial, CSV) and a creator's page."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from infludesk.creators.models import Platform
from tests.factories import AccountSnapshotFactory, CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def names(html: str) -> list[str]:
    """The creator names in the list's rows, in order."""
    return re.findall(r'<td><a href="/creators/\d+/">([^<]+)</a></td>', html)


@pytest.fixture
def trio(workspace):
    """Three creators: Ana (IG 5k, ER 6.1, scored 91), Ben (TikTok 250k + IG 40k, ER 3.2 and
    1.4, unscored), Cleo (YouTube 1.2M, ER 0.9, scored 55, in DE)."""
    ana = CreatorFactory(workspace=workspace, name="Ana Alvarez", country="ES")
    SocialAccountFactory(
        creator=ana,
        handle="ana.trails",
        followers=5_000,
        engagement_rate=Decimal("6.1"),
        authenticity_score=91,
    )
    ben = CreatorFactory(workspace=workspace, name="Ben Brook", country="US")
    SocialAccountFactory(
        creator=ben,
        platform=Platform.TIKTOK,
        handle="benbrook",
        followers=250_000,
        engagement_rate=Decimal("3.2"),
    )
    SocialAccountFactory(
        creator=ben, handle="ben.ig", followers=40_000, engagement_rate=Decimal("1.4")
    )
    cleo = CreatorFactory(workspace=workspace, name="Cleo Cruz", country="DE")
    SocialAccountFactory(
        creator=cleo,
        platform=Platform.YOUTUBE,
        handle="cleocruz",
        followers=1_200_000,
        engagement_rate=Decimal("0.9"),
        authenticity_score=55,
        country="DE",
    )
    return ana, ben, cleo  # fmt: skip


def test_list_shows_only_this_workspaces_creators(owner_client, trio, other_workspace):
    CreatorFactory(workspace=other_workspace, name="Rival Creator")
    html = owner_client.get("/creators/").content.decode()
    assert names(html) == ["Ana Alvarez", "Ben Brook", "Cleo Cruz"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=brook", ["Ben Brook"]),
        ("q=%40ana.tr", ["Ana Alvarez"]),
        ("platform=tiktok", ["Ben Brook"]),
        ("tier=mega", ["Cleo Cruz"]),
        ("country=de", ["Cleo Cruz"]),
        ("followers_min=30000&followers_max=300000", ["Ben Brook"]),
        ("er_min=3", ["Ana Alvarez", "Ben Brook"]),
        ("platform=instagram&er_min=3", ["Ana Alvarez"]),
    ],
)
def test_filters_narrow_the_list(owner_client, trio, query, expected):
    html = owner_client.get(f"/creators/?{query}").content.decode()
    assert names(html) == expected


def test_account_filters_must_hold_for_one_account(owner_client, trio):
    # Ben's TikTok has ER 3.2 but 250k followers; his Instagram has 40k but ER 1.4
    html = owner_client.get("/creators/?followers_max=100000&er_min=3").content.decode()
    assert names(html) == ["Ana Alvarez"]


def test_row_figures_come_from_the_matching_accounts(owner_client, trio):
    html = owner_client.get("/creators/?q=ben").content.decode()
    assert "@benbrook (TikTok), @ben.ig (Instagram)" in html
    assert '<td class="num">290,000</td>' in html
    assert '<td class="num">3.20%</td>' in html
    assert '<td class="num">not scored yet</td>' in html


def test_invalid_filter_shows_its_error_and_keeps_the_others(owner_client, trio):
    response = owner_client.get("/creators/?followers_min=lots&platform=youtube")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number." in html
    assert names(html) == ["Cleo Cruz"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-followers", ["Cleo Cruz", "Ben Brook", "Ana Alvarez"]),
        ("er", ["Cleo Cruz", "Ben Brook", "Ana Alvarez"]),
        ("-authenticity", ["Ana Alvarez", "Cleo Cruz", "Ben Brook"]),
        ("authenticity", ["Cleo Cruz", "Ana Alvarez", "Ben Brook"]),
        ("-name", ["Cleo Cruz", "Ben Brook", "Ana Alvarez"]),
        ("bogus", ["Ana Alvarez", "Ben Brook", "Cleo Cruz"]),
    ],
)
def test_sorting_orders_rows_with_unscored_last(owner_client, trio, sort, expected):
    assert names(owner_client.get(f"/creators/?sort={sort}").content.decode()) == expected


def test_sort_link_flips_direction_and_keeps_filters(owner_client, trio):
    html = owner_client.get("/creators/?platform=instagram&sort=followers").content.decode()
    assert 'href="?platform=instagram&amp;sort=-followers"' in html
    assert 'href="?platform=instagram&amp;sort=name"' in html


def test_pages_hold_25_rows_and_link_on_keeping_filters(owner_client, workspace):
    for i in range(30):
        SocialAccountFactory(creator__workspace=workspace, creator__name=f"Creator {i:02d}")
    first = owner_client.get("/creators/?country=US").content.decode()
    second = owner_client.get("/creators/?country=US&page=2").content.decode()
    assert len(names(first)) == 25
    assert names(second) == [f"Creator {i}" for i in range(25, 30)]
    assert 'href="?country=US&amp;page=2"' in first
    assert "26\u201330 of 30" in second


def test_htmx_request_gets_only_the_table_partial(owner_client, trio):
    response = owner_client.get("/creators/?platform=youtube", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="list-filters"' not in html
    assert names(html) == ["Cleo Cruz"]
    assert "Export CSV" in html
    assert "HX-Request" in [v.strip() for v in response["Vary"].split(",")]


def test_full_page_wraps_the_partial_in_a_swappable_target(owner_client, trio):
    html = owner_client.get("/creators/").content.decode()
    assert '<div id="list-table">' in html
    assert 'hx-get="/creators/" hx-target="#list-table" hx-push-url="true"' in html


def test_csv_export_streams_every_filtered_row_in_order(owner_client, trio, other_workspace):
    CreatorFactory(workspace=other_workspace, name="Rival Creator")
    response = owner_client.get("/creators/?er_min=1&sort=-followers&page=2&format=csv")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="creators.csv"'
    assert body == (
        "name,accounts,country,followers,er,authenticity\r\n"
        'Ben Brook,"@benbrook (TikTok), @ben.ig (Instagram)",US,290000,3.2000,\r\n'
        "Ana Alvarez,@ana.trails (Instagram),ES,5000,6.1000,91\r\n"
    )


def _many_creators(workspace, n=35):
    for i in range(n):
        creator = CreatorFactory(workspace=workspace, name=f"Creator {i:02d}")
        SocialAccountFactory(creator=creator, followers=1_000 + i)
        SocialAccountFactory(creator=creator, platform=Platform.TIKTOK, followers=50_000 + i)


def test_list_page_query_count_does_not_grow_with_rows(
    owner_client, workspace, django_assert_max_num_queries
):
    _many_creators(workspace)
    # session, user, member, memberships, count, page, accounts of the page
    with django_assert_max_num_queries(7):
        response = owner_client.get("/creators/?followers_min=100&sort=-followers")
    assert len(names(response.content.decode())) == 25


def test_csv_export_query_count_does_not_grow_with_rows(
    owner_client, workspace, django_assert_max_num_queries
):
    _many_creators(workspace)
    with django_assert_max_num_queries(5):
        response = owner_client.get("/creators/?format=csv")
        body = b"".join(response.streaming_content).decode()
    assert body.count("\r\n") == 36


def test_detail_lists_the_accounts_with_their_figures(owner_client, trio):
    _, ben, _ = trio
    html = owner_client.get(f"/creators/{ben.pk}/").content.decode()
    assert "<h1>Ben Brook</h1>" in html
    rows = re.findall(r"<tr>\s*<td>(\w+)</td>.*?</tr>", html, flags=re.S)
    assert rows == ["TikTok", "Instagram"]
    assert '<td class="num">250,000</td>' in html
    assert "<td>Macro (100k-1M)</td>" in html
    assert '<td class="num">3.20%</td>' in html
    assert html.count("not scored yet") == 2
    assert "No snapshots yet" in html


def test_detail_charts_follower_snapshots_per_account(owner_client, trio):
    ana, _, _ = trio
    account = ana.accounts.get()
    day = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)
    AccountSnapshotFactory(account=account, taken_at=day, followers=4_800)
    AccountSnapshotFactory(account=account, taken_at=day + dt.timedelta(days=1), followers=5_000)
    html = owner_client.get(f"/creators/{ana.pk}/").content.decode()
    data = re.search(r'<script id="followers-chart" type="application/json">(.*?)</script>', html)
    assert data is not None
    figure = json.loads(data.group(1))
    assert [t["name"] for t in figure["data"]] == ["@ana.trails (instagram)"]
    assert figure["data"][0]["y"] == [4_800, 5_000]
    assert figure["data"][0]["x"] == [day.isoformat(), (day + dt.timedelta(days=1)).isoformat()]
    assert 'src="/vendor/plotly.min.js"' in html


def test_another_workspaces_creator_is_not_found(owner_client, other_workspace):
    theirs = CreatorFactory(workspace=other_workspace)
    assert owner_client.get(f"/creators/{theirs.pk}/").status_code == 404


def test_viewer_can_read_the_list_and_a_creator(viewer_client, trio):
    assert viewer_client.get("/creators/").status_code == 200
    assert viewer_client.get(f"/creators/{trio[0].pk}/").status_code == 200
