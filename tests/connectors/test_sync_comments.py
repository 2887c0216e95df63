"""Comments synced from YouTube (commentThreads.list) and TikTok (Research API) into PostComment:
recent posts with comments only, upserted by the platform's comment id, and read by the
authenticity comment-quality signal. Payload shapes:
https://developers.google.com/youtube/v3/docs/commentThreads/list ,
https://developers.tiktok.com/doc/research-api-specs-query-video-comments ."""

from __future__ import annotations

import datetime as dt

import pytest

from infludesk.authenticity.selectors import account_evidence
from infludesk.creators.models import Post, PostComment, SocialCredential
from infludesk.creators.sync import account_sync, connector_from_credential
from tests.connectors.social_support import load
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=1)


@pytest.fixture
def factory(sleeps):
    return lambda credential: connector_from_credential(credential, sleep=sleeps.append)


def _youtube(workspace, store):
    account = SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="youtube",
        handle="googledevelopers",
    )  # fmt: skip
    SocialCredential.objects.create(
        workspace=workspace, platform="youtube", token="AIza-acme", api_url=store.url
    )
    return account


def _replay_youtube(store, first_page=None):
    store.reply("GET", "/channels", body=load("yt_channels_list.json"))
    store.reply("GET", "/playlistItems", body=load("yt_playlist_items_page1.json"))
    store.reply("GET", "/playlistItems", body=load("yt_playlist_items_page2.json"))
    store.reply("GET", "/videos", body=load("yt_videos_list.json"))
    # video 1: two pages; video 2: comments turned off; video 3: one page
    store.reply("GET", "/commentThreads", body=first_page or load("yt_comment_threads_page1.json"))
    store.reply("GET", "/commentThreads", body=load("yt_comment_threads_page2.json"))
    store.reply("GET", "/commentThreads", status=403, body=load("yt_error_comments_disabled.json"))
    store.reply("GET", "/commentThreads", body=load("yt_comment_threads_page2.json"))


def _comments(account) -> list[tuple[str, str, str, int]]:
    return list(
        PostComment.objects.filter(post__account=account)
        .order_by("post__platform_post_id", "external_id")
        .values_list("post__platform_post_id", "external_id", "author_handle", "likes")
    )


def test_youtube_sync_stores_the_comments_of_recent_videos(fake_store, workspace, factory):
    # given a channel whose second video has comments turned off
    account = _youtube(workspace, fake_store)
    _replay_youtube(fake_store)
    # when synced
    result = account_sync(account=account, now=NOW, connector_factory=factory)
    # then the comments are stored per video, the disabled video is no failure
    assert (result.ok, result.comments, result.warning) == (True, 4, "")
    assert _comments(account) == [
        ("9bZkp7q19f0", "UgwM1n2o3p4q5r6s7t8u", "pixel_pia", 3),
        ("dQ4w9WgXcQ1", "UgwM1n2o3p4q5r6s7t8u", "pixel_pia", 3),
        ("dQ4w9WgXcQ1", "UgyQ9r8s7t6u5v4w3x2y", "kotlin_karl", 0),
        ("dQ4w9WgXcQ1", "UgzX1a2b3c4d5e6f7g8h", "androiddev_ana", 12),
    ]
    comment = PostComment.objects.get(external_id="UgzX1a2b3c4d5e6f7g8h")
    assert (comment.text, comment.posted_at, comment.workspace_id) == (
        "The new predictive back animation is great",
        dt.datetime(2026, 11, 21, 18, 2, 11, tzinfo=dt.UTC),
        workspace.pk,
    )


def test_a_resync_updates_comments_and_never_duplicates_them(fake_store, workspace, factory):
    # given a synced channel
    account = _youtube(workspace, fake_store)
    _replay_youtube(fake_store)
    account_sync(account=account, now=NOW, connector_factory=factory)
    # when synced again a day later, a comment having gained likes
    fake_store.routes.clear()
    page = load("yt_comment_threads_page1.json")
    page["items"][0]["snippet"]["topLevelComment"]["snippet"]["likeCount"] = 30
    _replay_youtube(fake_store, first_page=page)
    account_sync(account=account, now=LATER, connector_factory=factory)
    # then still four comment rows, with the new like count
    assert PostComment.objects.filter(post__account=account).count() == 4
    assert PostComment.objects.get(external_id="UgzX1a2b3c4d5e6f7g8h").likes == 30


def test_posts_without_comments_are_not_asked_for_them(fake_store, workspace, factory):
    # given videos reporting 0 comments
    account = _youtube(workspace, fake_store)
    _replay_youtube(fake_store)
    videos = load("yt_videos_list.json")
    for video in videos["items"]:
        video["statistics"]["commentCount"] = "0"
    fake_store.routes[("GET", "/videos")] = []
    fake_store.reply("GET", "/videos", body=videos)
    # when synced, then no commentThreads call is made
    account_sync(account=account, now=NOW, connector_factory=factory)
    assert [s.path for s in fake_store.seen].count("/commentThreads") == 0


def test_a_comment_failure_keeps_the_sync_and_says_why(fake_store, workspace, factory):
    # given the daily quota runs out while reading comments
    account = _youtube(workspace, fake_store)
    _replay_youtube(fake_store)
    fake_store.routes[("GET", "/commentThreads")] = []
    fake_store.reply("GET", "/commentThreads", status=403, body=load("yt_error_quota.json"))
    # when synced, then posts and the snapshot are stored and the warning explains the rest
    result = account_sync(account=account, now=NOW, connector_factory=factory)
    assert (result.ok, result.posts_created, result.comments) == (True, 3, 0)
    assert result.warning.startswith("comments not fetched for every post: youtube GET ")
    assert "daily quota exceeded" in result.warning
    assert Post.objects.filter(account=account).count() == 3


def test_synced_comments_feed_the_authenticity_comment_signal(fake_store, workspace, factory):
    account = _youtube(workspace, fake_store)
    _replay_youtube(fake_store)
    account_sync(account=account, now=NOW, connector_factory=factory)
    account.refresh_from_db()
    evidence, _ = account_evidence(workspace=workspace, account=account)
    assert sorted(evidence.comments) == [
        "Nice video 👍",
        "The new predictive back animation is great",
        "When does this land on Pixel 8?",
        "When does this land on Pixel 8?",
    ]


def test_tiktok_sync_stores_research_api_comments(fake_store, workspace, factory, settings):
    # given a creator's own TikTok token and the workspace's research app
    settings.TIKTOK_RESEARCH_CLIENT_KEY = "awk123"
    settings.TIKTOK_RESEARCH_CLIENT_SECRET = "sec456"
    account = SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="tiktok", handle="miamoves"
    )
    SocialCredential.objects.create(
        workspace=workspace, platform="tiktok", token="act.mia", account=account,
        api_url=fake_store.url,
    )  # fmt: skip
    fake_store.reply("GET", "/v2/user/info/", body=load("tt_user_info.json"))
    fake_store.reply("POST", "/v2/video/list/", body=load("tt_video_list_page1.json"))
    fake_store.reply("POST", "/v2/video/list/", body=load("tt_video_list_page2.json"))
    fake_store.reply("POST", "/v2/oauth/token/", body=load("tt_client_token.json"))
    comments_path = "/v2/research/video/comment/list/"
    fake_store.reply("POST", comments_path, body=load("tt_research_comments_page1.json"))
    fake_store.reply("POST", comments_path, body=load("tt_research_comments_page2.json"))
    # when synced
    result = account_sync(account=account, now=NOW, connector_factory=factory)
    # then the first video has three comments, the others one each (last page replayed), and
    # the client token was asked for once
    assert result.comments == 5
    per_post = {
        post.platform_post_id: sorted(post.comment_rows.values_list("external_id", flat=True))
        for post in Post.objects.filter(account=account)
    }
    assert per_post == {
        "7301254830127803650": [
            "7302001122334455667",
            "7302009988776655443",
            "7302015566778899001",
        ],
        "7299012374810226946": ["7302015566778899001"],
        "7294551236649182470": ["7302015566778899001"],
    }
    assert [s.path for s in fake_store.seen].count("/v2/oauth/token/") == 1
