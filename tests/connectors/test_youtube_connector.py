"""YouTube Data API v3 connector against a local replay server.

Payload shapes: https://developers.google.com/youtube/v3/docs/channels/list ,
https://developers.google.com/youtube/v3/docs/playlistItems/list ,
https://developers.google.com/youtube/v3/docs/videos/list ,
errors https://developers.google.com/youtube/v3/docs/errors
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from infludesk.connectors.social import (
    CommentData,
    PostData,
    QuotaExceededError,
    SocialConnectorError,
)
from infludesk.connectors.youtube import YouTubeConnector
from tests.connectors.social_support import load, query


def _yt(fake_store, sleeps, **kw) -> YouTubeConnector:
    return YouTubeConnector(token="AIza-key", base_url=fake_store.url, sleep=sleeps.append, **kw)


def _channel(fake_store, sleeps):
    fake_store.reply("GET", "/channels", body=load("yt_channels_list.json"))
    return _yt(fake_store, sleeps).fetch_account("@googledevelopers")


def test_channel_by_handle_is_parsed_exactly(fake_store, sleeps):
    # when a channel is fetched by its handle
    account = _channel(fake_store, sleeps)
    # then the string counts are exact ints and the uploads playlist is kept
    assert (account.handle, account.external_id, account.followers, account.posts_count) == (
        "googledevelopers",
        "UC_x5XG1OV2P6uZZ5FSM9Ttw",
        2530000,
        6371,
    )
    assert account.display_name == "Google for Developers"
    assert account.extra == {
        "uploads_playlist": "UU_x5XG1OV2P6uZZ5FSM9Ttw",
        "view_count": 241872045,
        "hidden_subscribers": False,
        "country": "US",
    }
    assert query(fake_store.seen[0]) == {
        "part": "statistics,snippet,contentDetails",
        "forHandle": "@googledevelopers",
        "key": "AIza-key",
    }


def test_channel_id_is_looked_up_by_id(fake_store, sleeps):
    fake_store.reply("GET", "/channels", body=load("yt_channels_list.json"))
    _yt(fake_store, sleeps).fetch_account("UC_x5XG1OV2P6uZZ5FSM9Ttw")
    assert query(fake_store.seen[0])["id"] == "UC_x5XG1OV2P6uZZ5FSM9Ttw"


def test_unknown_handle_is_a_clear_error(fake_store, sleeps):
    fake_store.reply("GET", "/channels", body=load("yt_channels_empty.json"))
    with pytest.raises(SocialConnectorError, match="youtube: no channel for '@nobody'"):
        _yt(fake_store, sleeps).fetch_account("@nobody")


def test_uploads_page_by_page_token_then_video_statistics(fake_store, sleeps):
    # given the uploads playlist in two pages and the videos' statistics
    account = _channel(fake_store, sleeps)
    fake_store.reply("GET", "/playlistItems", body=load("yt_playlist_items_page1.json"))
    fake_store.reply("GET", "/playlistItems", body=load("yt_playlist_items_page2.json"))
    fake_store.reply("GET", "/videos", body=load("yt_videos_list.json"))
    # when the posts are fetched
    posts = list(_yt(fake_store, sleeps).fetch_posts(account))
    # then three videos with exact counts; page 2 sent the token; one videos.list call
    assert [(p.platform_post_id, p.views, p.likes, p.comments) for p in posts] == [
        ("dQ4w9WgXcQ1", 15230, 820, 64),
        ("kJQP7kiw5Fk", 48211, 2104, 311),
        ("9bZkp7q19f0", 120553, 6930, 702),
    ]
    assert posts[0].posted_at == dt.datetime(2026, 11, 21, 17, 0, 6, tzinfo=dt.UTC)
    assert posts[0].caption == "What's new in Android"
    assert query(fake_store.seen[2])["pageToken"] == "EAAaBlBUOkNBSQ"
    assert query(fake_store.seen[3])["id"] == "dQ4w9WgXcQ1,kJQP7kiw5Fk,9bZkp7q19f0"


def test_videos_are_asked_for_in_batches_of_50(fake_store, sleeps):
    # given 51 uploads on one page
    account = _channel(fake_store, sleeps)
    page = load("yt_playlist_items_page2.json")
    item = page["items"][0]
    page["items"] = []
    for n in range(51):
        row = copy.deepcopy(item)
        row["contentDetails"]["videoId"] = f"vid{n:02d}"
        page["items"].append(row)
    fake_store.reply("GET", "/playlistItems", body=page)
    fake_store.reply("GET", "/videos", body={"kind": "youtube#videoListResponse", "items": []})
    # when fetched with room for 60 posts
    list(_yt(fake_store, sleeps, max_posts=60).fetch_posts(account))
    # then two videos.list calls: 50 ids, then 1
    calls = [query(s)["id"].split(",") for s in fake_store.seen if s.path == "/videos"]
    assert [len(ids) for ids in calls] == [50, 1]
    assert calls[1] == ["vid50"]


def test_quota_exceeded_fails_at_once_without_retrying(fake_store, sleeps):
    fake_store.reply("GET", "/channels", status=403, body=load("yt_error_quota.json"))
    with pytest.raises(QuotaExceededError, match="daily quota exceeded; it resets at midnight"):
        _yt(fake_store, sleeps).fetch_account("@googledevelopers")
    assert (len(fake_store.seen), sleeps) == (1, [])


def test_rate_limit_exceeded_backs_off_and_retries(fake_store, sleeps):
    fake_store.reply("GET", "/channels", status=403, body=load("yt_error_rate_limit.json"))
    fake_store.reply("GET", "/channels", body=load("yt_channels_list.json"))
    connector = _yt(fake_store, sleeps)
    account = connector.fetch_account("@googledevelopers")
    assert (account.followers, connector.retries, sleeps) == (2530000, 1, [2.0])


# comments: https://developers.google.com/youtube/v3/docs/commentThreads/list


def _video() -> PostData:
    return PostData(
        platform_post_id="dQ4w9WgXcQ1", posted_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    )


def test_comment_threads_page_by_page_token(fake_store, sleeps):
    # given two pages of comment threads
    fake_store.reply("GET", "/commentThreads", body=load("yt_comment_threads_page1.json"))
    fake_store.reply("GET", "/commentThreads", body=load("yt_comment_threads_page2.json"))
    # when the video's comments are fetched
    comments = list(_yt(fake_store, sleeps).fetch_comments(_video()))
    # then the three top-level comments are exact and page 2 sent the token
    assert comments == [
        CommentData(
            external_id="UgzX1a2b3c4d5e6f7g8h",
            text="The new predictive back animation is great",
            author_handle="androiddev_ana",
            posted_at=dt.datetime(2026, 11, 21, 18, 2, 11, tzinfo=dt.UTC),
            likes=12,
        ),
        CommentData(
            external_id="UgyQ9r8s7t6u5v4w3x2y",
            text="Nice video 👍",
            author_handle="kotlin_karl",
            posted_at=dt.datetime(2026, 11, 21, 19, 40, tzinfo=dt.UTC),
            likes=0,
        ),
        CommentData(
            external_id="UgwM1n2o3p4q5r6s7t8u",
            text="When does this land on Pixel 8?",
            author_handle="pixel_pia",
            posted_at=dt.datetime(2026, 11, 22, 7, 15, 30, tzinfo=dt.UTC),
            likes=3,
        ),
    ]
    assert query(fake_store.seen[0]) == {
        "part": "snippet",
        "videoId": "dQ4w9WgXcQ1",
        "maxResults": "100",
        "textFormat": "plainText",
        "key": "AIza-key",
    }
    assert query(fake_store.seen[1])["pageToken"] == "QURTSl9pMlQ"


def test_comments_disabled_is_no_comments_not_a_failure(fake_store, sleeps):
    # given a video whose comments are turned off (403 commentsDisabled)
    fake_store.reply(
        "GET", "/commentThreads", status=403, body=load("yt_error_comments_disabled.json")
    )
    connector = _yt(fake_store, sleeps)
    # when fetched, then no comments, one call, no retry
    assert list(connector.fetch_comments(_video())) == []
    assert (len(fake_store.seen), connector.retries, sleeps) == (1, 0, [])


def test_comment_quota_exceeded_still_fails(fake_store, sleeps):
    fake_store.reply("GET", "/commentThreads", status=403, body=load("yt_error_quota.json"))
    with pytest.raises(QuotaExceededError):
        list(_yt(fake_store, sleeps).fetch_comments(_video()))
