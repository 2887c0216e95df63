"""TikTok API v2 connector against a local replay server.

Payload shapes: https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info ,
https://developers.tiktok.com/doc/tiktok-api-v2-video-list ,
errors https://developers.tiktok.com/doc/tiktok-api-v2-error-handling ,
rate limits https://developers.tiktok.com/docs/en/tiktok-api-v2-rate-limit
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest

from infludesk.connectors.social import PostData, SocialConnectorError, TokenExpiredError
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


# comments: https://developers.tiktok.com/doc/research-api-specs-query-video-comments ,
# client token https://developers.tiktok.com/doc/client-access-token-management
COMMENTS = "/v2/research/video/comment/list/"
VIDEO = PostData(
    platform_post_id="7301254830127803650", posted_at=dt.datetime(2025, 11, 21, tzinfo=dt.UTC)
)


def _research(fake_store, sleeps, **kw) -> TikTokConnector:
    return TikTokConnector(
        token="act.example123", base_url=fake_store.url, sleep=sleeps.append, **kw
    )


def test_research_comments_get_a_client_token_then_page_by_cursor(fake_store, sleeps):
    # given the client-credentials answer and two pages of comments
    fake_store.reply("POST", "/v2/oauth/token/", body=load("tt_client_token.json"))
    fake_store.reply("POST", COMMENTS, body=load("tt_research_comments_page1.json"))
    fake_store.reply("POST", COMMENTS, body=load("tt_research_comments_page2.json"))
    connector = _research(
        fake_store, sleeps, research_client_key="awk123", research_client_secret="sec456"
    )
    # when the video's comments are fetched
    comments = list(connector.fetch_comments(VIDEO))
    # then three comments, exact; the token came from client credentials and was sent as Bearer
    assert [(c.external_id, c.text, c.likes, c.posted_at) for c in comments] == [
        ("7302001122334455667", "Doing this every morning now!", 42,
         dt.datetime(2025, 11, 21, 17, 0, tzinfo=dt.UTC)),
        ("7302009988776655443", "🔥🔥🔥", 1, dt.datetime(2025, 11, 21, 18, 0, tzinfo=dt.UTC)),
        ("7302015566778899001", "What mat do you use?", 5,
         dt.datetime(2025, 11, 21, 19, 0, tzinfo=dt.UTC)),
    ]  # fmt: skip
    token_call, first, second = fake_store.seen
    assert parse_qs(token_call.body.decode()) == {
        "client_key": ["awk123"],
        "client_secret": ["sec456"],
        "grant_type": ["client_credentials"],
    }
    assert first.headers["authorization"] == "Bearer clt.research4f2a9example"
    assert query(first)["fields"] == (
        "id,video_id,text,like_count,reply_count,parent_comment_id,create_time"
    )
    assert [first.json(), second.json()] == [
        {"video_id": 7301254830127803650, "max_count": 100, "cursor": 0},
        {"video_id": 7301254830127803650, "max_count": 100, "cursor": 2},
    ]


def test_without_research_credentials_no_comment_call_is_made(fake_store, sleeps):
    assert list(_research(fake_store, sleeps).fetch_comments(VIDEO)) == []
    assert fake_store.seen == []


def test_research_scope_missing_is_a_clear_error(fake_store, sleeps):
    body = load("tt_error_token.json")
    body["error"] = {
        "code": "scope_not_authorized",
        "message": "research.data.basic",
        "log_id": "x",
    }
    fake_store.reply("POST", COMMENTS, status=401, body=body)
    connector = _research(fake_store, sleeps, research_token="clt.given")
    with pytest.raises(TokenExpiredError, match=r"scope_not_authorized: research\.data\.basic"):
        list(connector.fetch_comments(VIDEO))
