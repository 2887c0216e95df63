"""Connector snapshots of live posts: a sync that changes a live post's counts leads to one
"connector" snapshot on the next `snapshot-live-posts` run; nothing changed, nothing recorded."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from infludesk.campaigns.models import PostMetricSnapshot
from infludesk.campaigns.posts import live_post_link, live_posts_snapshot, post_metrics_record
from infludesk.core.models import AuditEntry
from infludesk.creators.models import Post
from tests.factories import DealFactory, SocialAccountFactory

COUNTS = ("likes", "comments", "shares", "saves", "views", "reach", "impressions", "source")


def _linked(workspace, code):
    account = SocialAccountFactory(workspace=workspace, platform="instagram")
    deal = DealFactory(workspace=workspace, creator=account.creator, account=account)
    return live_post_link(deal=deal, by=None, url=f"https://instagram.com/p/{code}/").post


def _sync(post, **counts):
    # the same write creators/sync.py makes for a fetched post
    return Post.objects.update_or_create(
        account=post.account, platform_post_id=post.platform_post_id, defaults=counts
    )[0]


def test_given_a_synced_change_then_one_connector_snapshot_with_the_posts_counts(workspace):
    # given a live post with its first snapshot
    post = _linked(workspace, "LIVE1")
    assert live_posts_snapshot(workspace=workspace) == 1
    # when a sync changes its counts
    synced = _sync(post, likes=900, comments=41, shares=7, saves=12, views=15000, reach=11000)
    # then one run records one connector snapshot, at the post's update, with its counts
    assert live_posts_snapshot(workspace=workspace) == 1
    latest = PostMetricSnapshot.objects.filter(post=post).order_by("-taken_at").first()
    assert latest.taken_at == synced.updated_at
    assert [getattr(latest, n) for n in COUNTS] == [
        900, 41, 7, 12, 15000, 11000, None, "connector"
    ]  # fmt: skip
    assert PostMetricSnapshot.objects.filter(post=post).count() == 2
    assert AuditEntry.objects.filter(action="post.metrics_recorded").count() == 2


def test_given_no_change_then_running_again_records_nothing(workspace):
    post = _linked(workspace, "LIVE2")
    live_posts_snapshot(workspace=workspace)
    # when run twice more with no sync in between
    assert live_posts_snapshot(workspace=workspace) == 0
    assert live_posts_snapshot(workspace=workspace) == 0
    # and a sync that brings the same numbers (the row is saved, counts equal) records nothing
    _sync(post, likes=post.likes)
    assert live_posts_snapshot(workspace=workspace) == 0
    assert PostMetricSnapshot.objects.filter(post=post).count() == 1


def test_given_a_manual_snapshot_then_the_post_save_it_makes_is_not_a_change(workspace):
    post = _linked(workspace, "LIVE3")
    post_metrics_record(
        post=post,
        taken_at=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC),
        likes=300,
        comments=10,
        shares=0,
        saves=0,
        views=None,
    )
    assert live_posts_snapshot(workspace=workspace) == 0


def test_given_a_post_without_a_deal_then_it_is_not_snapshotted(workspace):
    account = SocialAccountFactory(workspace=workspace)
    Post.objects.create(
        workspace=workspace,
        account=account,
        platform_post_id="organic",
        posted_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    assert live_posts_snapshot(workspace=workspace) == 0


def test_given_two_workspaces_then_each_run_touches_only_its_own(workspace, other_workspace):
    mine = _linked(workspace, "MINE1")
    theirs = _linked(other_workspace, "THEIRS1")
    assert live_posts_snapshot(workspace=workspace) == 1
    assert list(PostMetricSnapshot.objects.values_list("post_id", "workspace_id")) == [
        (mine.pk, workspace.pk)
    ]
    _sync(theirs, likes=1)
    assert live_posts_snapshot(workspace=workspace) == 0
    assert PostMetricSnapshot.objects.filter(post=theirs).count() == 0


def test_given_the_command_then_each_workspace_is_reported_and_a_rerun_adds_nothing(
    workspace, other_workspace
):
    _linked(workspace, "CMD1")
    _linked(other_workspace, "CMD2")
    out = StringIO()
    call_command("snapshot_live_posts", stdout=out)
    call_command("snapshot_live_posts", "--workspace", workspace.slug, stdout=out)
    ours = (f"{workspace.slug}:", f"{other_workspace.slug}:")
    # (factories may add workspaces of their own; those record nothing)
    assert [line for line in out.getvalue().splitlines() if line.startswith(ours)] == [
        f"{workspace.slug}: 1 snapshot(s) recorded",
        f"{other_workspace.slug}: 1 snapshot(s) recorded",
        f"{workspace.slug}: 0 snapshot(s) recorded",
    ]
    assert PostMetricSnapshot.objects.filter(source="connector").count() == 2


def test_given_the_background_task_then_it_records_like_the_command(workspace):
    from infludesk.campaigns.tasks import snapshot_live_posts

    _linked(workspace, "TASK1")
    assert snapshot_live_posts.call(workspace.pk) == 1
    assert snapshot_live_posts.call(workspace.pk) == 0
