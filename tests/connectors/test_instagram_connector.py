"""Instagram Graph API connector against a local replay server.

Payload shapes: business discovery
https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/business-discovery
errors https://developers.facebook.com/docs/graph-api/guides/error-handling
insights https://developers.facebook.com/docs/instagram-platform/api-reference/instagram-user/insights
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from infludesk.connectors.instagram import InstagramConnector
from infludesk.connectors.social import (
    AccountData,
    PostData,
    RateLimitedError,
    SocialConnectorError,
    TokenExpiredError,
    social_connector_for,
)
from tests.connectors.social_support import load, query

ME = "17841405309211844"
NODE = f"/v25.0/{ME}"


def _ig(fake_store, sleeps, **kw) -> InstagramConnector:
    return InstagramConnector(
        token="EAAG-long-lived", base_url=fake_store.url, sleep=sleeps.append, ig_user_id=ME, **kw
    )


def _profile() -> AccountData:
    return AccountData(platform="instagram", handle="bluebottle", external_id="17841401441775531")


def test_registry_knows_the_social_platforms():
    assert social_connector_for("instagram") is InstagramConnector
    with pytest.raises(SocialConnectorError, match="no connector for platform 'myspace'"):
        social_connector_for("myspace")


def test_business_discovery_profile_is_parsed_exactly(fake_store, sleeps):
    # given the documented business discovery answer
    fake_store.reply("GET", NODE, body=load("ig_discovery_profile.json"))
    # when the account is fetched
    account = _ig(fake_store, sleeps).fetch_account("bluebottle")
    # then every count is exact and the call went through our own IG user with the token
    assert account == AccountData(
        platform="instagram",
        handle="bluebottle",
        external_id="17841401441775531",
        display_name="Blue Bottle Coffee",
        bio="Coffee roaster and cafes. Oakland, CA.",
        followers=267793,
        following=1492,
        posts_count=1205,
        profile_picture_url="https://scontent.xx.fbcdn.net/v/t51.2885-15/bluebottle.jpg",
        url="https://www.instagram.com/bluebottle/",
    )
    sent = query(fake_store.seen[0])
    assert sent["access_token"] == "EAAG-long-lived"
    assert sent["fields"].startswith("business_discovery.username(bluebottle){id,username,")


def test_media_pages_follow_the_after_cursor(fake_store, sleeps):
    # given two pages of media, the first with an after cursor
    fake_store.reply("GET", NODE, body=load("ig_discovery_media_page1.json"))
    fake_store.reply("GET", NODE, body=load("ig_discovery_media_page2.json"))
    # when the posts are fetched
    posts = list(_ig(fake_store, sleeps).fetch_posts(_profile()))
    # then all three posts arrive, exact, and page 2 asked after the cursor
    assert [(p.platform_post_id, p.likes, p.comments, p.media_type) for p in posts] == [
        ("17858843269216389", 1520, 48, "image"),
        ("17894036119131554", 2210, 95, "video"),
        ("17899506308402767", 3004, 130, "carousel_album"),
    ]
    assert posts[0].posted_at == dt.datetime(2026, 11, 20, 16, 2, 11, tzinfo=dt.UTC)
    assert posts[0].url == "https://www.instagram.com/p/CwinterBl3nd/"
    assert len(fake_store.seen) == 2
    assert "media.after(QVFIUmlteVBT).limit(25)" in query(fake_store.seen[1])["fields"]


def test_media_paging_stops_at_since(fake_store, sleeps):
    fake_store.reply("GET", NODE, body=load("ig_discovery_media_page1.json"))
    since = dt.datetime(2026, 11, 15, tzinfo=dt.UTC)
    posts = list(_ig(fake_store, sleeps).fetch_posts(_profile(), since))
    assert [p.platform_post_id for p in posts] == ["17858843269216389"]
    assert len(fake_store.seen) == 1


def test_http_429_then_success_retries_once_waiting_retry_after(fake_store, sleeps):
    # given one 429 with Retry-After: 7, then the answer
    fake_store.reply("GET", NODE, status=429, body={}, headers={"Retry-After": "7"})
    fake_store.reply("GET", NODE, body=load("ig_discovery_profile.json"))
    connector = _ig(fake_store, sleeps)
    # when fetched
    account = connector.fetch_account("bluebottle")
    # then exactly one retry after 7 s
    assert (account.followers, connector.retries, sleeps) == (267793, 1, [7.0])


def test_throttling_code_4_backs_off_then_succeeds(fake_store, sleeps):
    # given two "(#4) Application request limit reached" answers (HTTP 403) without hints
    fake_store.reply("GET", NODE, status=403, body=load("graph_error_throttled.json"))
    fake_store.reply("GET", NODE, status=403, body=load("graph_error_throttled.json"))
    fake_store.reply("GET", NODE, body=load("ig_discovery_profile.json"))
    connector = _ig(fake_store, sleeps)
    connector.fetch_account("bluebottle")
    # then exponential backoff 2 s, 4 s
    assert (connector.retries, sleeps) == (2, [2.0, 4.0])


def test_buc_header_wait_is_used_for_per_user_throttling(fake_store, sleeps):
    # given code 80002 with X-Business-Use-Case-Usage saying 3 minutes to regain access
    usage = {ME: [{"type": "instagram", "call_count": 100, "total_cputime": 12,
                   "total_time": 15, "estimated_time_to_regain_access": 3}]}  # fmt: skip
    fake_store.reply(
        "GET",
        NODE,
        status=400,
        body=load("graph_error_user_throttled.json"),
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    fake_store.reply("GET", NODE, body=load("ig_discovery_profile.json"))
    connector = _ig(fake_store, sleeps)
    connector.fetch_account("bluebottle")
    assert sleeps == [180.0]


def test_gives_up_after_max_retries_with_a_clear_error(fake_store, sleeps):
    fake_store.reply("GET", NODE, status=400, body=load("graph_error_user_throttled.json"))
    connector = _ig(fake_store, sleeps)
    with pytest.raises(RateLimitedError, match=r"gave up after 5 retries .*code 80002"):
        connector.fetch_account("bluebottle")
    assert len(fake_store.seen) == 6
    assert sleeps == [2.0, 4.0, 8.0, 16.0, 32.0]


def test_expired_token_fails_at_once(fake_store, sleeps):
    fake_store.reply("GET", NODE, status=400, body=load("graph_error_token_expired.json"))
    with pytest.raises(TokenExpiredError, match=r"access token expired or invalid .*code 190"):
        _ig(fake_store, sleeps).fetch_account("bluebottle")
    assert (len(fake_store.seen), sleeps) == (1, [])


def test_not_a_business_account_is_a_clear_error(fake_store, sleeps):
    fake_store.reply("GET", NODE, body={"id": ME})
    with pytest.raises(SocialConnectorError, match="@someone is not a public business"):
        _ig(fake_store, sleeps).fetch_account("someone")


def test_comments_follow_paging_next(fake_store, sleeps):
    # given two pages of comments; the first page's next URL points at the replay server
    path = "/v25.0/17858843269216389/comments"
    first = load("ig_media_comments_page1.json")
    first["paging"]["next"] = f"{fake_store.url}{path}?access_token=EAAG&after=QVFIUmNo"
    fake_store.reply("GET", path, body=first)
    fake_store.reply("GET", path, body=load("ig_media_comments_page2.json"))
    post = PostData(platform_post_id="17858843269216389", posted_at=dt.datetime.now(dt.UTC))
    # when comments are fetched
    comments = list(_ig(fake_store, sleeps).fetch_comments(post))
    # then all three, exact, and the next URL was followed as given
    assert [(c.external_id, c.author_handle, c.text, c.likes) for c in comments] == [
        ("17870913679156914", "latte_lena", "Best blend of the year!", 3),
        ("17873440459141021", "beanz4life", "🔥🔥🔥", 0),
        ("17881997618143093", "kaffee_kurt", "Where can I buy it in Berlin?", 1),
    ]
    assert query(fake_store.seen[1]) == {"access_token": "EAAG", "after": "QVFIUmNo"}


def test_insights_reach_impressions_and_demographics(fake_store, sleeps):
    # given daily reach/impressions and a country breakdown (other breakdowns empty)
    path = f"{NODE}/insights"
    fake_store.reply("GET", path, body=load("ig_insights_day.json"))
    fake_store.reply("GET", path, body=load("ig_insights_demographics_country.json"))
    fake_store.reply("GET", path, body={"data": []})
    # when fetched
    insights = _ig(fake_store, sleeps).fetch_insights(_profile())
    # then the latest day's values and the audience by country
    assert insights == {
        "reach": 11873,
        "impressions": 22950,
        "end_time": "2026-11-24T08:00:00+0000",
        "demographics": {"country": {"US": 150321, "JP": 40112, "GB": 12007}},
    }
    assert query(fake_store.seen[1])["breakdown"] == "country"
    assert query(fake_store.seen[1])["metric_type"] == "total_value"


def test_missing_ig_user_id_is_explained(fake_store, sleeps):
    connector = InstagramConnector(token="t", base_url=fake_store.url, sleep=sleeps.append)
    with pytest.raises(SocialConnectorError, match="no Instagram user id"):
        connector.fetch_account("bluebottle")


def test_near_the_hourly_call_budget_the_connector_paces_itself(fake_store, sleeps):
    # given a successful answer whose X-App-Usage says 96% of the call budget is used
    usage = {"call_count": 96, "total_cputime": 10, "total_time": 12}
    fake_store.reply(
        "GET",
        NODE,
        body=load("ig_discovery_profile.json"),
        headers={"X-App-Usage": json.dumps(usage)},
    )
    connector = _ig(fake_store, sleeps)
    # when fetched
    connector.fetch_account("bluebottle")
    # then it waits 60 s before its next call, without counting a retry
    assert (sleeps, connector.retries) == ([60.0], 0)


def test_below_the_budget_there_is_no_wait(fake_store, sleeps):
    usage = {"call_count": 40, "total_cputime": 10, "total_time": 12}
    fake_store.reply(
        "GET",
        NODE,
        body=load("ig_discovery_profile.json"),
        headers={"X-App-Usage": json.dumps(usage)},
    )
    _ig(fake_store, sleeps).fetch_account("bluebottle")
    assert sleeps == []
