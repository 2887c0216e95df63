"""TikTok API v2 connector against a local replay server.

Payload shapes: https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info ,
https://developers.tiktok.com/doc/tiktok-api-v2-video-list ,
errors https://developers.tiktok.com/doc/tiktok-api-v2-error-handling ,
rate limits https://developers.tiktok.com/docs/en/tiktok-api-v2-rate-limit
"""

from __future__ import annotations

import datetime as dt

import pytest

from infludesk.connectors.social import SocialConnectorError, TokenExpiredError
from infludesk.connectors.tiktok import TikTokConnector
from tests.connectors.social_support import load, query

INFO = "/v2/user/info/"
LIST = "/v2/video/list/"


def _tt(fake_store, sleeps) -> TikTokConnector:
    return TikTokConnector(token="act.example123", base_url=fake_store.url, sleep=sleeps.append)


def test_user_info_is_parsed_exactly_with_a_bearer_token(fake_store, sleeps):
    fake_store.reply("GET", INFO, body=load("tt_user_info.json"))
    account = _tt(fake_store, sleeps).fetch_account("@miamoves")
    assert (account.handle, account.followers, account.following, account.posts_count) == (
        "miamoves",
        48210,
        312,
        187,
    )
    assert account.external_id == "723f24d7-e717-40f8-a2b6-cb8464cd23b4"
    assert account.extra == {"likes_count": 1204377}
    assert fake_store.seen[0].headers["authorization"] == "Bearer act.example123"
    assert "follower_count" in query(fake_store.seen[0])["fields"].split(",")


def test_a_token_of_another_user_is_refused(fake_store, sleeps):
    fake_store.reply("GET", INFO, body=load("tt_user_info.json"))
    with pytest.raises(SocialConnectorError, match="the token belongs to @miamoves, not @other"):
        _tt(fake_store, sleeps).fetch_account("other")


def test_video_list_pages_by_cursor_while_has_more(fake_store, sleeps):
    # given two pages of videos
    fake_store.reply("POST", LIST, body=load("tt_video_list_page1.json"))
    fake_store.reply("POST", LIST, body=load("tt_video_list_page2.json"))
    fake_store.reply("GET", INFO, body=load("tt_user_info.json"))
    connector = _tt(fake_store, sleeps)
    # when fetched
    posts = list(connector.fetch_posts(connector.fetch_account("miamoves")))
    # then three videos with exact counts; page 2 sent back the cursor
    assert [(p.platform_post_id, p.views, p.likes, p.comments, p.shares) for p in posts] == [
        ("7301254830127803650", 96400, 8120, 214, 530),
        ("7299012374810226946", 230118, 15302, 688, 1204),
        ("7294551236649182470", 51230, 4022, 97, 150),
    ]
    assert posts[0].posted_at == dt.datetime(2025, 11, 21, 16, 0, tzinfo=dt.UTC)
    bodies = [s.json() for s in fake_store.seen if s.path == LIST]
    assert bodies == [{"max_count": 20}, {"max_count": 20, "cursor": 1763222400000}]


def test_rate_limit_429_then_success_retries_once(fake_store, sleeps):
    fake_store.reply("GET", INFO, status=429, body=load("tt_error_rate_limit.json"))
    fake_store.reply("GET", INFO, body=load("tt_user_info.json"))
    connector = _tt(fake_store, sleeps)
    account = connector.fetch_account("miamoves")
    assert (account.followers, connector.retries, sleeps) == (48210, 1, [2.0])


def test_invalid_token_is_token_expired(fake_store, sleeps):
    fake_store.reply("GET", INFO, status=401, body=load("tt_error_token.json"))
    with pytest.raises(TokenExpiredError, match="access_token_invalid"):
        _tt(fake_store, sleeps).fetch_account("miamoves")
    assert sleeps == []


def test_error_code_in_a_200_answer_is_not_taken_as_data(fake_store, sleeps):
    body = load("tt_error_rate_limit.json")
    body["error"]["code"] = "invalid_params"
    fake_store.reply("GET", INFO, status=200, body=body)
    with pytest.raises(SocialConnectorError, match="HTTP 200 invalid_params"):
        _tt(fake_store, sleeps).fetch_account("miamoves")
