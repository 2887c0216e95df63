"""The deal page's live posts: snapshots over time, the "Record metrics" form and the CSV import
of metric snapshots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from infludesk.campaigns.models import PostMetricSnapshot
from infludesk.campaigns.posts import live_post_link, post_metrics_record
from infludesk.core.models import AuditEntry
from tests.factories import DealFactory, SocialAccountFactory

T1 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
# the deal page's queries: 13 before snapshots were shown, plus one prefetch of all the live
# posts' snapshots (when the deal has live posts)
QUERIES = 14


def _deal_with_post(workspace, code="ABC123"):
    account = SocialAccountFactory(workspace=workspace, platform="instagram")
    deal = DealFactory(workspace=workspace, creator=account.creator, account=account)
    post = live_post_link(deal=deal, by=None, url=f"https://instagram.com/p/{code}/").post
    return deal, deal.live_posts.get(), post


@pytest.fixture
def linked(workspace):
    return _deal_with_post(workspace)


def _snapshots(post):
    return list(
        PostMetricSnapshot.objects.filter(post=post)
        .order_by("taken_at")
        .values_list("taken_at", "likes", "comments", "views", "source")
    )


def test_given_snapshots_when_the_page_opens_then_they_are_listed_over_time(linked, viewer_client):
    deal, link, post = linked
    post_metrics_record(post=post, taken_at=T2, likes=700, comments=30, views=9000)
    post_metrics_record(post=post, taken_at=T1, likes=400, comments=12, source="csv")
    response = viewer_client.get(f"/deals/{deal.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "<tr><td>2026-11-20 12:00</td><td>400</td><td>12</td><td>0</td><td>0</td><td>—</td>"
        "<td>—</td><td>—</td><td>csv</td></tr>"
    ) in html
    assert html.index("2026-11-20 12:00") < html.index("2026-11-22 12:00")
    # a viewer reads but gets no forms
    assert f'id="record-metrics-{link.pk}"' not in html
    assert 'id="metrics-import"' not in html


def test_given_a_manager_when_recording_metrics_then_a_snapshot_lands(linked, manager_client):
    deal, link, post = linked
    response = manager_client.post(
        f"/deals/{deal.pk}/",
        {
            "action": "metrics",
            "deal_post": link.pk,
            "taken_at": "2026-11-21T09:30",
            "likes": "1,200",
            "comments": "45",
            "views": "30000",
        },
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Metrics recorded for ABC123."]
    assert _snapshots(post) == [
        (dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC), 1200, 45, 30000, "manual")
    ]
    post.refresh_from_db()
    assert (post.likes, post.views) == (1200, 30000)
    assert AuditEntry.objects.filter(action="post.metrics_recorded").count() == 1


def test_given_an_opened_page_then_taken_at_defaults_to_now(linked, owner_client):
    deal, _, _ = linked
    response = owner_client.get(f"/deals/{deal.pk}/")
    taken_at = response.context["blank_metric_fields"][0]
    assert taken_at["name"] == "taken_at"
    # a datetime-local value, parsed back without error
    assert dt.datetime.strptime(taken_at["value"], "%Y-%m-%dT%H:%M")
    assert f'name="taken_at" type="datetime-local" value="{taken_at["value"]}"' in (
        response.content.decode()
    )


def test_given_bad_counts_then_400_errors_on_the_fields_and_nothing_stored(linked, manager_client):
    deal, link, post = linked
    response = manager_client.post(
        f"/deals/{deal.pk}/",
        {
            "action": "metrics",
            "deal_post": link.pk,
            "taken_at": "yesterday",
            "likes": "many",
            "comments": "-3",
        },
    )
    assert response.status_code == 400
    fields = {f["name"]: f for f in response.context["refused_metric_fields"]}
    assert fields["taken_at"]["errors"] == ["'yesterday' is not an ISO 8601 date/time."]
    assert fields["likes"]["errors"] == ["'many' is not a whole number."]
    assert fields["comments"]["errors"] == ["Must not be negative."]
    assert (fields["likes"]["value"], fields["shares"]["errors"]) == ("many", [])
    assert response.context["refused_deal_post"] == link.pk
    assert '<span class="error">Must not be negative.</span>' in response.content.decode()
    assert _snapshots(post) == []


def test_given_no_count_then_400_and_nothing_stored(linked, manager_client):
    deal, link, post = linked
    response = manager_client.post(
        f"/deals/{deal.pk}/",
        {"action": "metrics", "deal_post": link.pk, "taken_at": "2026-11-21T09:30"},
    )
    assert response.status_code == 400
    assert response.context["errors"] == ["likes: Give at least one count."]
    assert _snapshots(post) == []


CSV = (
    "post_url,taken_at,likes,comments,views\n"
    "https://instagram.com/p/ABC123/,2026-11-20T12:00:00Z,400,12,5000\n"
    "https://instagram.com/p/ABC123/,2026-11-22T12:00:00Z,lots,30,9000\n"
    "https://instagram.com/p/NOPE99/,2026-11-22T12:00:00Z,1,1,1\n"
    "https://instagram.com/p/ABC123/,2026-11-23T12:00:00Z,800,31,12000\n"
)


def _upload(client, deal, text, name="metrics.csv"):
    return client.post(
        f"/deals/{deal.pk}/",
        {
            "action": "metrics_csv",
            "file": SimpleUploadedFile(name, text.encode(), content_type="text/csv"),
        },
    )


def test_given_a_csv_then_counts_and_errors_by_line_and_field_and_reimport_changes_nothing(
    linked, owner_client
):
    deal, _, post = linked
    first = _upload(owner_client, deal, CSV)
    assert first.status_code == 200
    result = first.context["import_result"]
    assert (result.created, result.updated) == (2, 0)
    assert result.errors == [
        (3, "likes", "'lots' is not a whole number."),
        (4, "post_url", "No live post of this deal has this id; link it first."),
    ]
    html = first.content.decode()
    assert "<strong>2</strong> created, <strong>0</strong> updated, 2 error(s)." in html
    assert "<tr><td>3</td><td>likes</td><td>&#x27;lots&#x27; is not a whole number.</td></tr>" in (
        html
    )
    stored = _snapshots(post)
    assert [row[1:] for row in stored] == [(400, 12, 5000, "csv"), (800, 31, 12000, "csv")]
    again = _upload(owner_client, deal, CSV)
    assert (again.context["import_result"].created, again.context["import_result"].updated) == (
        0,
        2,
    )
    assert _snapshots(post) == stored


def test_given_another_deals_post_in_the_csv_then_it_is_not_found_here(workspace, owner_client):
    deal, _, _ = _deal_with_post(workspace, "MINE01")
    _, _, elsewhere = _deal_with_post(workspace, "OTHER1")
    response = _upload(owner_client, deal, "platform_post_id,taken_at,likes\nOTHER1,2026-11-20,5\n")
    assert response.status_code == 400
    assert response.context["import_result"].errors == [
        (2, "platform_post_id", "No live post of this deal has this id; link it first.")
    ]
    assert _snapshots(elsewhere) == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"action": "metrics_csv"}, "file: Choose a CSV file."),
        (
            {
                "action": "metrics_csv",
                "file": SimpleUploadedFile("m.csv", b"\xff\xfe\x00bad", content_type="text/csv"),
            },
            "file: The file is not UTF-8 text.",
        ),
    ],
)
def test_given_no_file_or_not_text_then_400_with_the_reason(linked, owner_client, payload, message):
    deal, _, _ = linked
    response = owner_client.post(f"/deals/{deal.pk}/", payload)
    assert response.status_code == 400
    assert response.context["errors"] == [message]


def test_given_a_bad_header_then_400_and_the_header_named(linked, owner_client):
    deal, _, _ = linked
    response = _upload(owner_client, deal, "url,when\nx,y\n")
    assert response.status_code == 400
    assert response.context["import_result"].errors == [
        (1, "header", "needs taken_at and post_url or platform_post_id")
    ]


def test_given_a_viewer_then_403_and_nothing_stored(linked, viewer_client):
    deal, link, post = linked
    recorded = viewer_client.post(
        f"/deals/{deal.pk}/",
        {"action": "metrics", "deal_post": link.pk, "taken_at": "2026-11-21T09:30", "likes": "5"},
    )
    imported = _upload(viewer_client, deal, CSV)
    assert (recorded.status_code, imported.status_code) == (403, 403)
    assert _snapshots(post) == []


def test_given_another_workspace_then_404_and_nothing_stored(linked, other_workspace, owner_client):
    deal, _, post = linked
    foreign_deal, foreign_link, foreign_post = _deal_with_post(other_workspace, "FOREIGN1")
    # the other workspace's deal page
    assert owner_client.get(f"/deals/{foreign_deal.pk}/").status_code == 404
    assert _upload(owner_client, foreign_deal, CSV).status_code == 404
    # the other workspace's live post through my own deal's page
    response = owner_client.post(
        f"/deals/{deal.pk}/",
        {"action": "metrics", "deal_post": foreign_link.pk, "taken_at": "2026-11-21", "likes": "5"},
    )
    assert response.status_code == 404
    assert (_snapshots(post), _snapshots(foreign_post)) == ([], [])


def test_given_more_live_posts_and_snapshots_then_the_page_query_count_stays(
    workspace, owner_client, django_assert_num_queries
):
    # given a deal with one live post and one snapshot
    deal, _, post = _deal_with_post(workspace, "COUNT1")
    post_metrics_record(post=post, taken_at=T1, likes=1)
    owner_client.get(f"/deals/{deal.pk}/")  # warm the session and caches
    with django_assert_num_queries(QUERIES):
        owner_client.get(f"/deals/{deal.pk}/")
    # when it gets two more live posts with several snapshots each
    for code in ("COUNT2", "COUNT3"):
        more = live_post_link(deal=deal, by=None, url=f"https://instagram.com/p/{code}/").post
        post_metrics_record(post=more, taken_at=T1, likes=2)
        post_metrics_record(post=more, taken_at=T2, likes=3)
    # then the page makes the same number of queries
    with django_assert_num_queries(QUERIES):
        owner_client.get(f"/deals/{deal.pk}/")
