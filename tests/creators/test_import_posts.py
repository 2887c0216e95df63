"""Importing posts and comments: upsert by (account, post id) and (post, comment id)."""

from __future__ import annotations

import datetime as dt

import pytest

from infludesk.creators.models import Post, PostComment
from tests.creators.import_helpers import counts, run_import
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

POSTS_CSV = (
    "platform,handle,post id,posted_at,caption,likes,comments,shares,saves,views\n"
    "instagram,@Maya.Trails,p1,2026-11-01T10:00:00Z,Sunrise #hike with @tom_runs,300,20,5,7,\n"
    "instagram,maya.trails,p2,2026-11-03,Second,500,30,0,0,9000\n"
    "instagram,ghost,p3,2026-11-03,Nobody,1,1,0,0,\n"
    "instagram,maya.trails,p4,,No date,1,1,0,0,\n"
)


@pytest.fixture
def maya(workspace):
    return SocialAccountFactory(
        creator__workspace=workspace, platform="instagram", handle="maya.trails"
    )


def test_posts_import_creates_posts_on_the_matching_account(workspace, maya):
    # when a posts file is imported
    job = run_import(workspace, POSTS_CSV, kind="posts", filename="posts.csv")
    # then the two good posts land with their metrics, tags and mentions
    assert counts(job) == (2, 0, 0, 2)
    p1 = Post.objects.get(account=maya, platform_post_id="p1")
    assert (p1.posted_at, p1.likes, p1.comments, p1.shares, p1.saves, p1.views) == (
        dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC),
        300,
        20,
        5,
        7,
        None,
    )
    assert (p1.hashtags, p1.mentions) == (["hike"], ["tom_runs"])
    assert Post.objects.get(account=maya, platform_post_id="p2").views == 9000


def test_posts_import_reports_unknown_account_and_missing_date(workspace, maya):
    job = run_import(workspace, POSTS_CSV, kind="posts", filename="posts.csv")
    assert [(e["line"], e["problems"]) for e in job.errors] == [
        (
            4,
            [
                {
                    "column": "handle",
                    "message": "No instagram account @ghost in this workspace; import it first.",
                }
            ],
        ),
        (5, [{"column": "posted_at", "message": "A new post needs the date it was posted."}]),
    ]


def test_posts_reimport_updates_changed_metrics_only(workspace, maya):
    # given the posts were imported
    run_import(workspace, POSTS_CSV, kind="posts", filename="posts.csv")
    # when p1 comes again with more likes and p2 unchanged
    data = (
        "platform,handle,post id,likes,comments\n"
        "instagram,maya.trails,p1,350,20\n"
        "instagram,maya.trails,p2,500,30\n"
    )
    job = run_import(workspace, data, kind="posts", filename="posts.csv")
    # then both are updates, one without changes; no post is duplicated
    assert counts(job) == (0, 2, 1, 0)
    assert Post.objects.get(account=maya, platform_post_id="p1").likes == 350
    assert Post.objects.filter(account=maya).count() == 2


def test_comments_import_upserts_by_post_and_comment_id(workspace, maya):
    # given maya's posts
    run_import(workspace, POSTS_CSV, kind="posts", filename="posts.csv")
    data = (
        "platform,handle,post id,comment id,text,author\n"
        "instagram,maya.trails,p1,c1,Love this!,@fan_1\n"
        "instagram,maya.trails,p1,c2,🔥🔥,fan_2\n"
        "instagram,maya.trails,p9,c3,Where?,fan_3\n"
    )
    # when the comments are imported twice
    first = run_import(workspace, data, kind="comments", filename="comments.csv")
    second = run_import(workspace, data, kind="comments", filename="comments.csv")
    # then two comments exist once each and the unknown post is reported
    assert counts(first) == (2, 0, 0, 1)
    assert counts(second) == (0, 2, 2, 1)
    assert list(
        PostComment.objects.filter(workspace=workspace)
        .order_by("external_id")
        .values_list("external_id", "author_handle", "text")
    ) == [("c1", "fan_1", "Love this!"), ("c2", "fan_2", "🔥🔥")]
    assert first.errors[0]["problems"] == [
        {"column": "post id", "message": "No post p9 of @maya.trails; import the posts first."}
    ]
