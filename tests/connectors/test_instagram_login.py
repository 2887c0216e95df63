"""Instagram API with Instagram Login: the OAuth token calls and the own-account connector,
against a local replay server.

Payload shapes: Business Login for Instagram
https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login
(short-lived answer {"data": [{access_token, user_id, permissions}]}, rejected code
{"error_type", "code", "error_message"}, long-lived / refreshed {access_token, token_type,
expires_in}); insights
https://developers.facebook.com/docs/instagram-platform/api-reference/instagram-user/insights
(views with metric_type=total_value; follower_demographics by age, gender, country, city).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from infludesk.connectors.instagram_login import (
    InstagramLoginConnector,
    InstagramOAuth,
    LongLivedToken,
    OAuthError,
    ShortLivedToken,
)
from infludesk.connectors.social import AccountData, SocialConnectorError, TokenExpiredError
from tests.connectors.social_support import load, query

SECRET = "app-secret-5c1d"
REDIRECT = "https://infludesk.example.com/connect/instagram/callback/"
ME = "17841400000001234"


def _oauth(fake_store, **kw) -> InstagramOAuth:
    return InstagramOAuth(
        app_id="990602627938098",
        app_secret=SECRET,
        authorize_url=f"{fake_store.url}/oauth/authorize",
        oauth_url=fake_store.url,
        graph_url=fake_store.url,
        **kw,
    )


def _connector(fake_store, sleeps) -> InstagramLoginConnector:
    return InstagramLoginConnector(
        token="IGAAlong7yExample", base_url=fake_store.url, sleep=sleeps.append, ig_user_id=ME
    )


def test_authorize_url_carries_the_documented_parameters(fake_store):
    # when the authorize URL is built
    url = _oauth(fake_store).authorize_url(redirect_uri=REDIRECT, state="signed-state")
    # then it has client_id, redirect_uri, response_type=code, the comma-separated scopes, state
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{fake_store.url}/oauth/authorize"
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
        "client_id": "990602627938098",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "instagram_business_basic,instagram_business_manage_comments,"
        "instagram_business_manage_insights",
        "state": "signed-state",
    }


def test_code_exchange_posts_the_form_and_reads_the_data_list(fake_store):
    # given the documented short-lived answer
    fake_store.reply("POST", "/oauth/access_token", body=load("igl_short_token.json"))
    # when the code (with Instagram's trailing #_) is exchanged
    token = _oauth(fake_store).exchange_code(code="AQBx-hBsH3#_", redirect_uri=REDIRECT)
    # then the token, user id and permissions are read, and the form is the documented one
    assert token == ShortLivedToken(
        "IGAAshort9xExample",
        ME,
        (
            "instagram_business_basic",
            "instagram_business_manage_comments",
            "instagram_business_manage_insights",
        ),
    )
    form = {k: v[0] for k, v in parse_qs(fake_store.seen[0].body.decode()).items()}
    assert form == {
        "client_id": "990602627938098",
        "client_secret": SECRET,
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT,
        "code": "AQBx-hBsH3",
    }


def test_code_exchange_also_reads_a_flat_answer(fake_store):
    flat = load("igl_short_token.json")["data"][0]
    fake_store.reply("POST", "/oauth/access_token", body=flat)
    token = _oauth(fake_store).exchange_code(code="c", redirect_uri=REDIRECT)
    assert (token.access_token, token.user_id) == ("IGAAshort9xExample", ME)


def test_a_rejected_code_raises_the_platforms_message_without_the_secret(fake_store):
    # given the documented rejected-code answer
    fake_store.reply(
        "POST", "/oauth/access_token", status=400, body=load("igl_error_code_used.json")
    )
    # when exchanged, then the error names the call and Instagram's reason, and no secret
    with pytest.raises(OAuthError) as caught:
        _oauth(fake_store).exchange_code(code="used", redirect_uri=REDIRECT)
    assert str(caught.value) == (
        "instagram code exchange refused (HTTP 400): "
        "Matching code was not found or was already used"
    )
    assert SECRET not in repr(_oauth(fake_store))


def test_long_lived_exchange_sends_ig_exchange_token(fake_store):
    fake_store.reply("GET", "/access_token", body=load("igl_long_token.json"))
    token = _oauth(fake_store).long_lived(short_token="IGAAshort9xExample")
    assert token == LongLivedToken("IGAAlong7yExample", "bearer", 5183944)
    assert query(fake_store.seen[0]) == {
        "grant_type": "ig_exchange_token",
        "client_secret": SECRET,
        "access_token": "IGAAshort9xExample",
    }
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    assert token.expires_at(now) == dt.datetime(2027, 1, 24, 11, 59, 4, tzinfo=dt.UTC)


def test_refresh_sends_ig_refresh_token_without_the_secret(fake_store):
    fake_store.reply("GET", "/refresh_access_token", body=load("igl_refresh_token.json"))
    token = _oauth(fake_store).refresh(token="IGAAlong7yExample")
    assert token == LongLivedToken("IGAArefreshed3zExample", "bearer", 5184000)
    assert query(fake_store.seen[0]) == {
        "grant_type": "ig_refresh_token",
        "access_token": "IGAAlong7yExample",
    }


def test_refresh_of_an_expired_token_is_token_expired(fake_store):
    fake_store.reply(
        "GET", "/refresh_access_token", status=400, body=load("igl_error_token_expired.json")
    )
    with pytest.raises(TokenExpiredError, match=r"token refresh refused \(HTTP 400\): Error "):
        _oauth(fake_store).refresh(token="IGAAold")


def test_missing_app_settings_are_explained(fake_store):
    oauth = InstagramOAuth(app_id="", app_secret="", oauth_url=fake_store.url)
    with pytest.raises(OAuthError, match="INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET must be set"):
        oauth.exchange_code(code="c", redirect_uri=REDIRECT)
    assert fake_store.seen == []


def test_unreachable_instagram_is_a_clear_error():
    oauth = InstagramOAuth(app_id="1", app_secret=SECRET, oauth_url="http://127.0.0.1:9")
    with pytest.raises(OAuthError, match=r"Instagram could not be reached \(ConnectError\)"):
        oauth.exchange_code(code="c", redirect_uri=REDIRECT)


def test_own_account_profile_from_me(fake_store, sleeps):
    # given the /me answer of the token's owner
    fake_store.reply("GET", "/v25.0/me", body=load("igl_me.json"))
    # when fetched
    account = _connector(fake_store, sleeps).fetch_account("bluebottle")
    # then the counts are exact and the external id is the professional account's user_id
    assert account == AccountData(
        platform="instagram",
        handle="bluebottle",
        external_id=ME,
        display_name="Blue Bottle Coffee",
        followers=267801,
        following=1493,
        posts_count=1206,
        profile_picture_url="https://scontent.cdninstagram.com/v/t51.2885-19/bluebottle.jpg",
        url="https://www.instagram.com/bluebottle/",
        extra={"account_type": "BUSINESS"},
    )
    assert query(fake_store.seen[0])["access_token"] == "IGAAlong7yExample"


def test_a_token_of_another_account_is_refused(fake_store, sleeps):
    fake_store.reply("GET", "/v25.0/me", body=load("igl_me.json"))
    with pytest.raises(SocialConnectorError, match="belongs to @bluebottle, not @someone"):
        _connector(fake_store, sleeps).fetch_account("someone")


def test_media_follow_paging_next(fake_store, sleeps):
    # given two pages of the account's media, the first with a next URL
    first = load("igl_media_page1.json")
    first["paging"]["next"] = first["paging"]["next"].replace("{url}", fake_store.url)
    fake_store.reply("GET", "/v25.0/me/media", body=first)
    fake_store.reply("GET", "/v25.0/me/media", body=load("igl_media_page2.json"))
    profile = AccountData(platform="instagram", handle="bluebottle", external_id=ME)
    # when fetched
    posts = list(_connector(fake_store, sleeps).fetch_posts(profile))
    # then three posts, exact, and page 2 was the next URL as given
    assert [(p.platform_post_id, p.likes, p.comments, p.media_type) for p in posts] == [
        ("17858843269216389", 1520, 48, "image"),
        ("17894036119131554", 2210, 0, "video"),
        ("17899506308402767", 3004, 130, "carousel_album"),
    ]
    assert query(fake_store.seen[0])["limit"] == "25"
    assert query(fake_store.seen[1]) == {
        "access_token": "IGAAlong7yExample",
        "after": "QVFIUmFmdGVy",
    }


def test_insights_reach_views_and_four_demographic_breakdowns(fake_store, sleeps):
    # given reach/views as total values and one answer per breakdown
    path = f"/v25.0/{ME}/insights"
    fake_store.reply("GET", path, body=load("igl_insights_day.json"))
    for breakdown in ("country", "city", "age", "gender"):
        fake_store.reply("GET", path, body=load(f"igl_demographics_{breakdown}.json"))
    profile = AccountData(platform="instagram", handle="bluebottle", external_id=ME)
    # when fetched
    insights = _connector(fake_store, sleeps).fetch_insights(profile)
    # then every figure is exact
    assert insights == {
        "reach": 11873,
        "views": 30412,
        "demographics": {
            "country": {"US": 150321, "JP": 40112, "GB": 12007},
            "city": {"Oakland, California": 21044, "Tokyo, Tokyo": 18230},
            "age": {"18-24": 40210, "25-34": 98312, "35-44": 51007},
            "gender": {"F": 130544, "M": 118002, "U": 9120},
        },
    }
    assert query(fake_store.seen[0]) == {
        "metric": "reach,views",
        "period": "day",
        "metric_type": "total_value",
        "access_token": "IGAAlong7yExample",
    }
    assert [query(s)["breakdown"] for s in fake_store.seen[1:]] == [
        "country",
        "city",
        "age",
        "gender",
    ]
