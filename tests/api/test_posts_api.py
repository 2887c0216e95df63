"""Live posts over the API: link by URL or platform id (with the caption's disclosure check),
metric snapshots typed in or imported by CSV, and the stateless disclosure check; isolation,
roles, 422s naming fields, audit and the query counts of the lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from infludesk.campaigns.models import DealPost, PostMetricSnapshot
from infludesk.campaigns.posts import live_post_link, post_metrics_record
from infludesk.core.models import AuditEntry
from infludesk.creators.models import Post
from tests.api.conftest import API, ApiClient
from tests.factories import DealFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

T1 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
# token lookup + the deal + COUNT + one page of rows
LIST_QUERIES = 4
SP_TEXT = (
    "ambiguous_tag: #sp is not a clear disclosure; "
    "missing_disclosure: no clear ad disclosure such as #ad in the caption"
)


@pytest.fixture
def deal(workspace):
    account = SocialAccountFactory(workspace=workspace, platform="instagram", handle="anna")
    return DealFactory(
        workspace=workspace, creator=account.creator, account=account, campaign__type="sponsored"
    )


@pytest.fixture
def link(deal, owner) -> DealPost:
    post = live_post_link(deal=deal, by=owner, url="https://www.instagram.com/p/ABC123/").post
    return DealPost.objects.get(deal=deal, post=post)


def upload(api: ApiClient, text: str | bytes, name: str = "metrics.csv"):
    data = text.encode() if isinstance(text, str) else text
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return api.client.post(f"{API}/deal-posts/metrics/import", {"file": file})


def snapshots() -> list[tuple]:
    return list(
        PostMetricSnapshot.objects.order_by("taken_at").values_list(
            "taken_at", "likes", "comments", "reach", "source"
        )
    )


# --- linking live posts -------------------------------------------------------------------


def test_given_a_post_url_when_linked_then_201_with_the_disclosure_and_audited(
    manager_api, manager, deal
):
    # when
    response = manager_api.post(
        f"/deals/{deal.pk}/posts",
        {
            "url": "https://www.instagram.com/p/ABC123/",
            "caption": "Muddy 30k in my new shoes #sp",
            "posted_at": "2026-11-19T08:00:00Z",
        },
    )
    # then
    assert response.status_code == 201
    body = response.json()
    link = DealPost.objects.get(deal=deal)
    assert body == {
        "id": link.pk,
        "deal_id": deal.pk,
        "post_id": link.post_id,
        "platform": "instagram",
        "platform_post_id": "ABC123",
        "url": "https://www.instagram.com/p/ABC123/",
        "caption": "Muddy 30k in my new shoes #sp",
        "posted_at": "2026-11-19T08:00:00Z",
        "likes": 0,
        "comments": 0,
        "shares": 0,
        "saves": 0,
        "views": None,
        "reach": None,
        "impressions": None,
        "disclosure": {
            "compliant": False,
            "reasons": ["ambiguous_tag", "missing_disclosure"],
            "text": SP_TEXT,
            "label": "",
        },
    }
    entry = AuditEntry.objects.get(action="deal.post_linked")
    assert (entry.actor_id, entry.target_id) == (manager.pk, str(link.post_id))


def test_given_a_linked_post_when_linked_again_by_platform_id_then_200_and_one_link(
    owner_api, deal, link
):
    # when
    response = owner_api.post(
        f"/deals/{deal.pk}/posts",
        {
            "platform": "instagram",
            "platform_post_id": "ABC123",
            "caption": "#ad Muddy 30k in my new shoes",
        },
    )
    # then
    assert response.status_code == 200
    assert response.json()["id"] == link.pk
    assert response.json()["disclosure"] == {
        "compliant": True,
        "reasons": [],
        "text": "",
        "label": "#ad",
    }
    assert DealPost.objects.filter(deal=deal).count() == 1
    assert Post.objects.get(pk=link.post_id).caption == "#ad Muddy 30k in my new shoes"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"url": "https://example.com/p/x"},
            "url",
            "'https://example.com/p/x' is not an Instagram, TikTok or YouTube post.",
        ),
        ({}, "url", "Give the post's URL, or its platform and post id."),
        ({"url": "https://youtu.be/dQw4w9WgXcQ"}, "url", None),
        ({"platform": "myspace", "platform_post_id": "1"}, "platform", None),
        ({"link": "https://instagram.com/p/X/"}, "link", None),
        ({"url": "a" * 501}, "url", None),
    ],
)
def test_given_bad_input_when_linking_then_422_naming_the_field_and_nothing_linked(
    owner_api, deal, body, field, message
):
    response = owner_api.post(f"/deals/{deal.pk}/posts", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    if message is not None:
        assert errors[0]["message"] == message
    assert DealPost.objects.count() == 0
    assert Post.objects.count() == 0


def test_given_three_live_posts_when_listing_then_in_link_order_with_a_pinned_query_count(
    owner_api, owner, deal, django_assert_num_queries
):
    # given
    for code in ("A1", "B2", "C3"):
        live_post_link(deal=deal, by=owner, url=f"https://instagram.com/p/{code}/")
    owner_api.get(f"/deals/{deal.pk}/posts")  # the token's first use also stamps last_used_at
    # when
    with django_assert_num_queries(LIST_QUERIES):
        response = owner_api.get(f"/deals/{deal.pk}/posts")
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert [i["platform_post_id"] for i in body["items"]] == ["A1", "B2", "C3"]


# --- metrics ------------------------------------------------------------------------------


def test_given_a_snapshot_when_posted_then_201_then_the_same_moment_200_updated_and_audited(
    manager_api, manager, link
):
    path = f"/deal-posts/{link.pk}/metrics"
    # when
    first = manager_api.post(
        path, {"taken_at": "2026-11-22T12:00:00Z", "likes": 900, "reach": 20000}
    )
    again = manager_api.post(path, {"taken_at": "2026-11-22T12:00:00Z", "likes": 950})
    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {
        "id": first.json()["id"],
        "post_id": link.post_id,
        "taken_at": "2026-11-22T12:00:00Z",
        "likes": 950,
        "comments": 0,
        "shares": 0,
        "saves": 0,
        "views": None,
        "reach": 20000,
        "impressions": None,
        "source": "manual",
    }
    post = Post.objects.get(pk=link.post_id)
    assert (post.likes, post.reach) == (950, 20000)
    entries = AuditEntry.objects.filter(action="post.metrics_recorded").order_by("pk")
    assert [(e.actor_id, e.changes["likes"]) for e in entries] == [
        (manager.pk, [None, 900]),
        (manager.pk, [None, 950]),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"likes": 5}, "taken_at"),
        ({"taken_at": "yesterday"}, "taken_at"),
        ({"taken_at": "2026-11-22T12:00:00Z", "likes": -1}, "likes"),
        ({"taken_at": "2026-11-22T12:00:00Z", "reach": "many"}, "reach"),
        ({"taken_at": "2026-11-22T12:00:00Z", "clicks": 5}, "clicks"),
        ({"taken_at": "2026-11-22T12:00:00Z", "views": 2**63}, "views"),
    ],
)
def test_given_bad_metrics_then_422_naming_the_field_and_nothing_stored(
    owner_api, link, body, field
):
    response = owner_api.post(f"/deal-posts/{link.pk}/metrics", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert PostMetricSnapshot.objects.count() == 0


def test_given_snapshots_when_listing_then_oldest_first_with_a_pinned_query_count(
    owner_api, link, django_assert_num_queries
):
    # given
    post = Post.objects.get(pk=link.post_id)
    post_metrics_record(post=post, taken_at=T2, likes=900)
    post_metrics_record(post=post, taken_at=T1, likes=400)
    owner_api.get(f"/deal-posts/{link.pk}/metrics")  # the token's first use stamps last_used_at
    # when
    with django_assert_num_queries(LIST_QUERIES):
        response = owner_api.get(f"/deal-posts/{link.pk}/metrics")
    # then
    assert response.status_code == 200
    assert [(i["taken_at"], i["likes"]) for i in response.json()["items"]] == [
        ("2026-11-20T12:00:00Z", 400),
        ("2026-11-22T12:00:00Z", 900),
    ]


def test_given_a_csv_when_imported_twice_then_good_rows_land_once_and_errors_name_line_and_field(
    owner_api, owner, link
):
    text = (
        "post_url,taken_at,likes,comments,reach\n"
        "https://instagram.com/p/ABC123/,2026-11-20T12:00:00Z,400,12,9000\n"
        "https://instagram.com/p/ABC123/,yesterday,400,12,9000\n"
        "https://instagram.com/p/NOPE/,2026-11-21,1,1,1\n"
        "https://instagram.com/p/ABC123/,2026-11-22,-5,12,9000\n"
    )
    # when
    first = upload(owner_api, text)
    again = upload(owner_api, text)
    # then
    assert first.status_code == 200
    assert first.json() == {
        "created": 1,
        "updated": 0,
        "errors": [
            {
                "line": 3,
                "field": "taken_at",
                "message": "'yesterday' is not an ISO 8601 date/time.",
            },
            {
                "line": 4,
                "field": "post_url",
                "message": "No live post of this workspace has this id; link it first.",
            },
            {"line": 5, "field": "likes", "message": "Must not be negative."},
        ],
    }
    assert (again.json()["created"], again.json()["updated"]) == (0, 1)
    assert snapshots() == [(T1, 400, 12, 9000, "csv")]
    entry = AuditEntry.objects.filter(action="post.metrics_imported").order_by("pk").first()
    assert (entry.actor_id, entry.changes) == (
        owner.pk,
        {"created": [None, 1], "updated": [None, 0]},
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("likes\n5\n", "The header needs taken_at and post_url or platform_post_id."),
        (b"\xff\xfe taken_at", "metrics.csv is not UTF-8 text."),
    ],
)
def test_given_an_unreadable_csv_then_422_on_file_and_nothing_stored(
    owner_api, link, data, message
):
    response = upload(owner_api, data)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": message}]
    assert PostMetricSnapshot.objects.count() == 0


def test_given_no_file_part_then_422_naming_file(owner_api):
    response = owner_api.client.post(f"{API}/deal-posts/metrics/import", {})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["file"]


# --- the disclosure check -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"caption": "#ad Loving my new trail shoes", "relationship": "paid"},
            {"compliant": True, "reasons": [], "text": "", "label": "#ad"},
        ),
        (
            {
                "caption": "Muddy 30k in my new shoes #sp",
                "relationship": "paid",
                "platform": "instagram",
                "paid_partnership_label": True,
            },
            {
                "compliant": False,
                "reasons": ["ambiguous_tag", "platform_label_only", "missing_disclosure"],
                "text": "ambiguous_tag: #sp is not a clear disclosure; platform_label_only: "
                "the platform's paid-partnership label alone is not enough; "
                "missing_disclosure: no clear ad disclosure such as #ad in the caption",
                "label": "",
            },
        ),
        (
            {"caption": "#gifted new shoes", "relationship": "gifted"},
            {"compliant": True, "reasons": [], "text": "", "label": "#gifted"},
        ),
        (
            {"caption": "#gifted new shoes", "relationship": "gifted", "policy": "uk_cma"},
            {
                "compliant": False,
                "reasons": ["gift_needs_ad", "missing_disclosure"],
                "text": "gift_needs_ad: under the UK CMA policy a gift needs 'Ad' as well; "
                "missing_disclosure: no clear ad disclosure such as #ad in the caption",
                "label": "",
            },
        ),
    ],
)
def test_given_a_caption_when_checked_by_a_viewer_then_the_rules_answer_and_nothing_is_stored(
    viewer_api, body, expected
):
    audit_before = AuditEntry.objects.count()
    response = viewer_api.post("/disclosure/check", body)
    assert response.status_code == 200
    assert response.json() == expected
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"relationship": "paid"}, "caption"),
        ({"caption": "#ad", "relationship": "friends"}, "relationship"),
        ({"caption": "#ad", "relationship": "paid", "policy": "eu"}, "policy"),
        (
            {"caption": "#ad", "relationship": "paid", "paid_partnership_label": "maybe"},
            "paid_partnership_label",
        ),
        ({"caption": "#ad\x00", "relationship": "paid"}, "caption"),
    ],
)
def test_given_bad_check_input_then_422_naming_the_field(viewer_api, body, field):
    response = viewer_api.post("/disclosure/check", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


# --- roles and workspaces -----------------------------------------------------------------


def test_given_a_viewer_then_every_write_is_403_and_nothing_changes(viewer_api, deal, link):
    csv_text = "post_url,taken_at,likes\nhttps://instagram.com/p/ABC123/,2026-11-20,5\n"
    responses = [
        viewer_api.post(f"/deals/{deal.pk}/posts", {"url": "https://instagram.com/p/NEW1/"}),
        viewer_api.post(f"/deal-posts/{link.pk}/metrics", {"taken_at": "2026-11-20T12:00:00Z"}),
        upload(viewer_api, csv_text),
    ]
    assert [r.status_code for r in responses] == [403] * 3
    assert viewer_api.get(f"/deals/{deal.pk}/posts").status_code == 200
    assert viewer_api.get(f"/deal-posts/{link.pk}/metrics").status_code == 200
    assert DealPost.objects.count() == 1
    assert PostMetricSnapshot.objects.count() == 0


def test_given_another_workspace_then_every_endpoint_is_404_and_nothing_changes(
    other_api, deal, link
):
    audit_before = AuditEntry.objects.count()
    csv_text = "post_url,taken_at,likes\nhttps://instagram.com/p/ABC123/,2026-11-20,5\n"
    responses = [
        other_api.get(f"/deals/{deal.pk}/posts"),
        other_api.post(f"/deals/{deal.pk}/posts", {"url": "https://instagram.com/p/NEW1/"}),
        other_api.get(f"/deal-posts/{link.pk}/metrics"),
        other_api.post(f"/deal-posts/{link.pk}/metrics", {"taken_at": "2026-11-20T12:00:00Z"}),
    ]
    imported = upload(other_api, csv_text)
    assert [r.status_code for r in responses] == [404] * 4
    assert responses[0].json() == {"detail": "Not found.", "errors": []}
    # the import is workspace-wide: the other workspace's file finds no such live post
    assert imported.json()["errors"][0]["field"] == "post_url"
    assert (DealPost.objects.count(), PostMetricSnapshot.objects.count()) == (1, 0)
    assert AuditEntry.objects.count() == audit_before


def test_given_no_credentials_then_401(anonymous_api, deal):
    assert anonymous_api.get(f"/deals/{deal.pk}/posts").status_code == 401
    assert anonymous_api.post("/disclosure/check", {"caption": "#ad"}).status_code == 401
