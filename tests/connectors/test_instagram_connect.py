"""A creator connects their own Instagram account (Instagram Login): the manager's connect link,
the creator's pages, the callback that stores the token and the first sync with insights, and
every refusal storing nothing. Instagram is the local replay server (payload shapes from
https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login
and .../api-reference/instagram-user/insights)."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import Client

from infludesk.core.models import AuditEntry
from infludesk.creators import social_connect
from infludesk.creators.models import AccountSnapshot, PostComment, SocialCredential
from tests.connectors.social_support import load
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

SECRET = "app-secret-5c1d"
ME = "17841400000001234"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
CALLBACK = "/connect/instagram/callback/"


@pytest.fixture
def instagram(settings, fake_store):
    """Instagram Login configured against the replay server."""
    settings.INSTAGRAM_APP_ID = "990602627938098"
    settings.INSTAGRAM_APP_SECRET = SECRET
    settings.INSTAGRAM_AUTHORIZE_URL = f"{fake_store.url}/oauth/authorize"
    settings.INSTAGRAM_OAUTH_URL = fake_store.url
    settings.INSTAGRAM_GRAPH_URL = fake_store.url
    settings.SITE_URL = "http://testserver"
    return fake_store


@pytest.fixture
def account(workspace):
    return SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="instagram", handle="bluebottle"
    )


def _replay_tokens(store) -> None:
    store.reply("POST", "/oauth/access_token", body=load("igl_short_token.json"))
    store.reply("GET", "/access_token", body=load("igl_long_token.json"))
    store.reply("GET", "/v25.0/me", body=load("igl_me.json"))


def _replay_sync(store) -> None:
    first = load("igl_media_page1.json")
    first["paging"]["next"] = first["paging"]["next"].replace("{url}", store.url)
    store.reply("GET", "/v25.0/me/media", body=first)
    store.reply("GET", "/v25.0/me/media", body=load("igl_media_page2.json"))
    comment = {
        "id": "17870913679156914",
        "text": "Best blend of the year!",
        "timestamp": "2026-11-20T17:00:00+0000",
        "username": "latte_lena",
        "like_count": 3,
    }
    store.reply("GET", "/v25.0/17858843269216389/comments", body={"data": [comment]})
    store.reply("GET", "/v25.0/17899506308402767/comments", body={"data": []})
    path = f"/v25.0/{ME}/insights"
    store.reply("GET", path, body=load("igl_insights_day.json"))
    for breakdown in ("country", "city", "age", "gender"):
        store.reply("GET", path, body=load(f"igl_demographics_{breakdown}.json"))


def _started(account) -> tuple[dict[str, str], str]:
    """A creator's session and the state of a started sign-in."""
    session: dict[str, str] = {}
    url = social_connect.oauth_start(account=account, session=session)
    return session, parse_qs(urlsplit(url).query)["state"][0]


EXPECTED_INSIGHTS = {
    "reach": 11873,
    "views": 30412,
    "demographics": {
        "country": {"US": 150321, "JP": 40112, "GB": 12007},
        "city": {"Oakland, California": 21044, "Tokyo, Tokyo": 18230},
        "age": {"18-24": 40210, "25-34": 98312, "35-44": 51007},
        "gender": {"F": 130544, "M": 118002, "U": 9120},
    },
}


def test_the_whole_journey_from_link_to_insights(instagram, account, manager_client, caplog):
    caplog.set_level(logging.INFO)
    # given a manager creates a connect link on the creator's page
    response = manager_client.post(f"/connect/accounts/{account.pk}/link/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    link = re.search(r'id="connect-link" value="([^"]+)"', response.content.decode()).group(1)
    assert link.startswith("http://testserver/connect/instagram/")
    path = urlsplit(link).path
    # when the creator opens it (no Infludesk sign-in) and continues to Instagram
    creator = Client()
    page = creator.get(path)
    assert page.status_code == 200
    assert f"Connect @bluebottle to {account.workspace.name}" in page.content.decode()
    sent = creator.post(path)
    # then they are sent to the authorize URL with the documented parameters and a signed state
    assert sent.status_code == 302
    authorize = urlsplit(sent["Location"])
    params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == (
        f"{instagram.url}/oauth/authorize"
    )
    assert (params["client_id"], params["redirect_uri"], params["response_type"]) == (
        "990602627938098",
        "http://testserver/connect/instagram/callback/",
        "code",
    )
    # when Instagram sends them back with a code
    _replay_tokens(instagram)
    _replay_sync(instagram)
    done = creator.get(CALLBACK, {"code": "AQBx-hBsH3", "state": params["state"]})
    # then the page says so, the token is stored for this account, and a snapshot has insights
    assert done.status_code == 200
    assert "Your Instagram account is connected" in done.content.decode()
    credential = SocialCredential.objects.get(account=account)
    assert (credential.token, credential.external_user_id, credential.api_url) == (
        "IGAAlong7yExample",
        ME,
        instagram.url,
    )
    assert credential.status == "active"
    assert AccountSnapshot.objects.get(account=account).insights == EXPECTED_INSIGHTS
    assert list(PostComment.objects.values_list("external_id", "text")) == [
        ("17870913679156914", "Best blend of the year!")
    ]
    assert list(
        AuditEntry.objects.filter(workspace=account.workspace)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["social_account.connect_link", "social_credential.create"]
    # and the app secret was never logged nor shown
    assert SECRET not in caplog.text
    assert SECRET not in done.content.decode()


def test_the_callback_stores_the_long_lived_token_with_its_expiry(instagram, account):
    # given a started sign-in and Instagram's answers
    session, state = _started(account)
    _replay_tokens(instagram)
    _replay_sync(instagram)
    # when finished at NOW
    result = social_connect.oauth_finish(
        params={"code": "AQBx-hBsH3", "state": state}, session=session, now=NOW
    )
    # then expires_at is NOW + expires_in (5,183,944 s) and the first sync ran
    assert result.credential.expires_at == dt.datetime(2027, 1, 24, 11, 59, 4, tzinfo=dt.UTC)
    assert (result.sync.followers, result.sync.posts_created, result.sync_error) == (267801, 3, "")
    assert result.sync.snapshot_id == AccountSnapshot.objects.get(account=account).pk


def test_a_new_connection_retires_the_previous_token(instagram, account):
    old = SocialCredential.objects.create(
        workspace=account.workspace, platform="instagram", account=account, token="IGAAold",
        external_user_id=ME, api_url=instagram.url,
    )  # fmt: skip
    session, state = _started(account)
    _replay_tokens(instagram)
    _replay_sync(instagram)
    social_connect.oauth_finish(params={"code": "c", "state": state}, session=session, now=NOW)
    old.refresh_from_db()
    assert (old.status, old.last_error) == ("expired", "replaced by a newer token")
    assert SocialCredential.objects.filter(account=account, status="active").count() == 1


def _assert_nothing_stored(store) -> None:
    assert SocialCredential.objects.count() == 0
    assert AccountSnapshot.objects.count() == 0
    assert not AuditEntry.objects.filter(action="social_credential.create").exists()


def test_denied_on_instagram_shows_a_clear_page_and_stores_nothing(instagram, account):
    # given the creator started and then cancelled on Instagram
    creator = Client()
    session = creator.session
    state = social_connect.oauth_start(account=account, session=session)
    session.save()
    state = parse_qs(urlsplit(state).query)["state"][0]
    # when Instagram sends the documented cancel parameters
    response = creator.get(
        CALLBACK,
        {
            "error": "access_denied",
            "error_reason": "user_denied",
            "error_description": "The user denied your request",
            "state": state,
        },
    )
    # then a clear page, no call to Instagram, nothing stored
    assert response.status_code == 400
    text = response.content.decode()
    assert "Instagram was not connected" in text
    assert "You declined the request on Instagram (The user denied your request)" in text
    assert instagram.seen == []
    _assert_nothing_stored(instagram)


def test_a_forged_state_is_refused(instagram, account):
    session, state = _started(account)
    with pytest.raises(social_connect.ConnectError, match="This sign-in is not valid"):
        social_connect.oauth_finish(
            params={"code": "c", "state": state[:-2] + "xx"}, session=session, now=NOW
        )
    assert instagram.seen == []
    _assert_nothing_stored(instagram)


class _SignedAnHourAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 3600)


def test_an_expired_state_is_refused(instagram, account, settings):
    # given a state signed an hour ago (states are valid 15 minutes)
    session = {social_connect.SESSION_KEY: "n0nce"}
    state = _SignedAnHourAgo(salt=social_connect.STATE_SALT).sign_object(
        {"w": account.workspace_id, "a": account.pk, "n": "n0nce"}
    )
    # when it comes back, then it is refused with a clear message and nothing is stored
    with pytest.raises(social_connect.ConnectError) as caught:
        social_connect.oauth_finish(params={"code": "c", "state": state}, session=session, now=NOW)
    assert (caught.value.title, caught.value.message) == (
        "This sign-in took too long",
        "Nothing was connected. Open the connect link again and continue to Instagram.",
    )
    assert instagram.seen == []
    _assert_nothing_stored(instagram)


def test_a_state_works_once(instagram, account):
    # given a sign-in that failed at the token exchange (the nonce is spent)
    session, state = _started(account)
    instagram.reply(
        "POST", "/oauth/access_token", status=400, body=load("igl_error_code_used.json")
    )
    with pytest.raises(social_connect.ConnectError):
        social_connect.oauth_finish(params={"code": "c", "state": state}, session=session, now=NOW)
    # when the same callback URL is replayed, then it is refused without calling Instagram
    calls = len(instagram.seen)
    with pytest.raises(social_connect.ConnectError, match="This sign-in was already used"):
        social_connect.oauth_finish(params={"code": "c", "state": state}, session=session, now=NOW)
    assert len(instagram.seen) == calls


def test_a_state_from_another_browser_is_refused(instagram, account):
    _, state = _started(account)
    with pytest.raises(social_connect.ConnectError, match="This sign-in was already used"):
        social_connect.oauth_finish(params={"code": "c", "state": state}, session={}, now=NOW)
    _assert_nothing_stored(instagram)


def test_a_token_exchange_error_is_shown_and_nothing_stored(instagram, account):
    # given Instagram rejects the code with its documented error payload
    creator = Client()
    session = creator.session
    url = social_connect.oauth_start(account=account, session=session)
    session.save()
    instagram.reply(
        "POST", "/oauth/access_token", status=400, body=load("igl_error_code_used.json")
    )
    # when the callback runs
    response = creator.get(
        CALLBACK, {"code": "used", "state": parse_qs(urlsplit(url).query)["state"][0]}
    )
    # then the page shows Instagram's reason and nothing is stored
    assert response.status_code == 400
    assert (
        "Nothing was stored. instagram code exchange refused (HTTP 400): Matching code was not "
        "found or was already used"
    ) in response.content.decode()
    _assert_nothing_stored(instagram)


def test_the_long_lived_exchange_error_stores_nothing(instagram, account):
    session, state = _started(account)
    instagram.reply("POST", "/oauth/access_token", body=load("igl_short_token.json"))
    instagram.reply("GET", "/access_token", status=400, body=load("igl_error_token_expired.json"))
    with pytest.raises(social_connect.ConnectError, match="long-lived token exchange refused"):
        social_connect.oauth_finish(params={"code": "c", "state": state}, session=session, now=NOW)
    _assert_nothing_stored(instagram)


def test_signing_in_as_another_instagram_account_stores_nothing(instagram, workspace):
    other = SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="instagram", handle="someone"
    )
    session, state = _started(other)
    _replay_tokens(instagram)
    with pytest.raises(social_connect.ConnectError, match="belongs to @bluebottle, not @someone"):
        social_connect.oauth_finish(params={"code": "c", "state": state}, session=session, now=NOW)
    _assert_nothing_stored(instagram)


def test_a_forged_link_is_a_404_page(instagram, client):
    response = client.get("/connect/instagram/not-a-real-token/")
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_connect_links_need_instagram_and_the_app_settings(instagram, workspace, manager_client,
                                                           settings):  # fmt: skip
    youtube = SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="youtube"
    )
    response = manager_client.post(f"/connect/accounts/{youtube.pk}/link/", HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert (
        "Only Instagram and TikTok accounts can be connected by the creator&#x27;s sign-in."
        in response.content.decode()
    )
    settings.INSTAGRAM_APP_SECRET = ""
    insta = SocialAccountFactory(workspace=workspace, creator=youtube.creator, platform="instagram")
    response = manager_client.post(f"/connect/accounts/{insta.pk}/link/", HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Instagram Login is not set up: set INSTAGRAM_APP_ID" in response.content.decode()
    assert not AuditEntry.objects.filter(action="social_account.connect_link").exists()


def test_another_workspace_cannot_create_a_link_or_see_the_panel(instagram, account, other_owner):
    other = Client()
    other.force_login(other_owner.user)
    assert other.post(f"/connect/accounts/{account.pk}/link/").status_code == 404
    assert other.get(f"/connect/creators/{account.creator_id}/").status_code == 404
    assert not AuditEntry.objects.filter(action="social_account.connect_link").exists()


def test_a_viewer_cannot_create_a_link(instagram, account, viewer_client):
    assert viewer_client.post(f"/connect/accounts/{account.pk}/link/").status_code == 403
    assert not AuditEntry.objects.filter(action="social_account.connect_link").exists()


def test_the_panel_shows_each_accounts_connection(
    instagram, account, manager_client, django_assert_max_num_queries
):
    # given the creator's Instagram connected by sign-in, and a YouTube account never connected
    SocialCredential.objects.create(
        workspace=account.workspace, platform="instagram", account=account, token="IGAA",
        external_user_id=ME, api_url=instagram.url, expires_at=NOW,
    )  # fmt: skip
    SocialAccountFactory(
        workspace=account.workspace, creator=account.creator, platform="youtube", handle="bbyt"
    )
    # when the creator page's panel loads
    with django_assert_max_num_queries(8):
        response = manager_client.get(f"/connect/creators/{account.creator_id}/")
    # then each account's state is shown
    text = response.content.decode()
    assert "Connected by the creator's Instagram sign-in, valid until 2026-11-25 12:00" in text
    assert "Not connected: synced with the workspace's token" in text
    assert "New connect link" in text
