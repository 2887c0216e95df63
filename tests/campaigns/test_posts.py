"""Live posts linked to deals, metric snapshots over time, CSV import of metrics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from infludesk.campaigns.models import DealPost, PostMetricSnapshot
from infludesk.campaigns.posts import (
    live_post_link,
    parse_post_url,
    post_metrics_import_csv,
    post_metrics_record,
)
from tests.factories import DealFactory, SocialAccountFactory

T1 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.instagram.com/p/C8xYz12AbCd/", ("instagram", "C8xYz12AbCd")),
        ("https://instagram.com/reel/C9Reel_01/?igsh=abc", ("instagram", "C9Reel_01")),
        (
            "https://www.tiktok.com/@anna/video/7301234567890123456",
            ("tiktok", "7301234567890123456"),
        ),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtu.be/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtube.com/shorts/abcDEF12345", ("youtube", "abcDEF12345")),
    ],
)
def test_given_a_post_url_then_platform_and_id_are_read(url, expected):
    assert parse_post_url(url) == expected


@pytest.mark.parametrize("url", ["https://example.com/p/x", "https://instagram.com/anna/"])
def test_given_a_url_without_a_post_then_a_clear_error(url):
    with pytest.raises(ValidationError) as err:
        parse_post_url(url)
    assert list(err.value.message_dict) == ["url"]


@pytest.fixture
def deal(workspace):
    account = SocialAccountFactory(workspace=workspace, platform="instagram", handle="anna")
    return DealFactory(
        workspace=workspace, creator=account.creator, account=account, campaign__type="sponsored"
    )


def test_given_a_live_post_url_when_linked_then_post_deal_link_and_disclosure(deal, owner):
    linked = live_post_link(
        deal=deal,
        by=owner,
        url="https://www.instagram.com/p/ABC123/",
        caption="Muddy 30k in my new shoes #sp",
    )
    linked_again = live_post_link(deal=deal, by=owner, url="https://instagram.com/p/ABC123/")
    assert linked.post.pk == linked_again.post.pk
    assert (linked.post.platform_post_id, linked.post.account_id) == ("ABC123", deal.account_id)
    assert DealPost.objects.filter(deal=deal).count() == 1
    assert linked.disclosure["reasons"] == ["ambiguous_tag", "missing_disclosure"]


def test_given_no_account_on_that_platform_when_linked_then_refused(deal, owner):
    with pytest.raises(ValidationError) as err:
        live_post_link(deal=deal, by=owner, url="https://youtu.be/dQw4w9WgXcQ")
    assert "has no youtube account" in err.value.message_dict["url"][0]


def test_given_snapshots_then_history_is_kept_and_the_post_shows_the_latest(deal, owner):
    post = live_post_link(deal=deal, by=owner, url="https://instagram.com/p/ABC123/").post
    post_metrics_record(post=post, taken_at=T2, likes=900, reach=20_000)
    post_metrics_record(post=post, taken_at=T1, likes=400, reach=9_000)
    _, created = post_metrics_record(post=post, taken_at=T2, likes=950, reach=21_000)
    post.refresh_from_db()
    assert created is False
    assert list(PostMetricSnapshot.objects.values_list("taken_at", "likes")) == [
        (T1, 400),
        (T2, 950),
    ]
    assert (post.likes, post.reach) == (950, 21_000)


def test_given_a_csv_with_bad_rows_then_good_rows_land_and_errors_name_line_and_field(
    workspace, deal, owner
):
    live_post_link(deal=deal, by=owner, url="https://instagram.com/p/ABC123/")
    text = (
        "post_url,taken_at,likes,comments,reach\n"
        "https://instagram.com/p/ABC123/,2026-11-20T12:00:00Z,400,12,9000\n"
        "https://instagram.com/p/ABC123/,yesterday,400,12,9000\n"
        "https://instagram.com/p/NOPE/,2026-11-21,1,1,1\n"
        "https://instagram.com/p/ABC123/,2026-11-22,-5,12,9000\n"
    )
    first = post_metrics_import_csv(workspace=workspace, text=text)
    again = post_metrics_import_csv(workspace=workspace, text=text)
    assert (first.created, first.updated) == (1, 0)
    assert first.errors == [
        (3, "taken_at", "'yesterday' is not an ISO 8601 date/time."),
        (4, "post_url", "No live post of this workspace has this id; link it first."),
        (5, "likes", "Must not be negative."),
    ]
    assert (again.created, again.updated) == (0, 1)
    assert PostMetricSnapshot.objects.count() == 1


def test_given_another_workspaces_post_when_imported_then_not_found(other_workspace, deal, owner):
    live_post_link(deal=deal, by=owner, url="https://instagram.com/p/ABC123/")
    result = post_metrics_import_csv(
        workspace=other_workspace,
        text="post_url,taken_at,likes\nhttps://instagram.com/p/ABC123/,2026-11-20,5\n",
    )
    assert [e[1] for e in result.errors] == ["post_url"]
    assert PostMetricSnapshot.objects.count() == 0
