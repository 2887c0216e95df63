"""A creator connects their own TikTok account (Login Kit) and its short-lived access token is
refreshed: the connect link, the creator's pages, the callback storing the token with its refresh
token, refusals storing nothing, and ``refresh-tokens``. TikTok is the local replay server
(shapes from https://developers.tiktok.com/doc/login-kit-web ,
https://developers.tiktok.com/doc/oauth-user-access-token-management and
https://developers.tiktok.com/docs/en/oauth-refresh-a-user-access-token)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from infludesk.connectors.tiktok_login import TikTokOAuth, TikTokOAuthError
from infludesk.core.models import AuditEntry
from infludesk.creators import social_connect
from infludesk.creators.models import AccountSnapshot, SocialCredential
from infludesk.creators.social_connect import RefreshResult, credentials_refresh_due
from tests.connectors.social_support import load
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

KEY = "awtk5vrq0c1d2e3f"
SECRET = "tt-secret-8f2a"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
CALLBACK = "/connect/tiktok/callback/"
TOKEN = "/v2/oauth/token/"
OPEN_ID = "723f24d7-e717-40f8-a2b6-cb8464cd23b4"
FIRST = load("tt_oauth_token.json")
REFRESHED = load("tt_oauth_refresh.json")


@pytest.fixture
def tiktok(settings, fake_store):
    """TikTok Login Kit and the TikTok API configured against the replay server."""
    settings.TIKTOK_CLIENT_KEY = KEY
    settings.TIKTOK_CLIENT_SECRET = SECRET
    settings.TIKTOK_AUTHORIZE_URL = f"{fake_store.url}/v2/auth/authorize/"
    settings.TIKTOK_OAUTH_URL = fake_store.url
    settings.SOCIAL_API_URLS = {**settings.SOCIAL_API_URLS, "tiktok": fake_store.url}
    settings.TIKTOK_RESEARCH_CLIENT_KEY = ""
    settings.TIKTOK_RESEARCH_CLIENT_SECRET = ""
    settings.SITE_URL = "http://testserver"
    return fake_store


@pytest.fixture
def account(workspace):
    return SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="tiktok", handle="miamoves"
    )


def _replay_connect(store) -> None:
    store.reply("POST", TOKEN, body=FIRST)
    store.reply("GET", "/v2/user/info/", body=load("tt_user_info.json"))
    store.reply("POST", "/v2/video/list/", body=load("tt_video_list_page1.json"))
    store.reply("POST", "/v2/video/list/", body=load("tt_video_list_page2.json"))


def _form(seen) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}


def _started(account) -> tuple[dict[str, str], str]:
    session: dict[str, str] = {}
    url = social_connect.oauth_start(account=account, session=session)
    return session, parse_qs(urlsplit(url).query)["state"][0]


def test_the_whole_journey_from_link_to_first_sync(tiktok, account, manager_client, caplog):
    caplog.set_level(logging.INFO)
    # given a manager creates a connect link for the TikTok account
    response = manager_client.post(f"/connect/accounts/{account.pk}/link/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    link = re.search(r'id="connect-link" value="([^"]+)"', response.content.decode()).group(1)
    assert link.startswith("http://testserver/connect/tiktok/")
    path = urlsplit(link).path
    # when the creator opens it and continues to TikTok
    creator = Client()
    page = creator.get(path)
    assert page.status_code == 200
    assert f"Connect @miamoves to {account.workspace.name}" in page.content.decode()
    assert "Continue to TikTok" in page.content.decode()
    sent = creator.post(path)
    # then they go to the documented authorize URL with a signed state
    assert sent.status_code == 302
    authorize = urlsplit(sent["Location"])
    params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == (
        f"{tiktok.url}/v2/auth/authorize/"
    )
    assert {k: v for k, v in params.items() if k != "state"} == {
        "client_key": KEY,
        "scope": "user.info.basic,user.info.stats,video.list",
        "response_type": "code",
        "redirect_uri": "http://testserver/connect/tiktok/callback/",
    }
    # when TikTok sends them back with a code
    _replay_connect(tiktok)
    back = creator.get(CALLBACK, {"code": "code-7b1a", "scopes": "user.info.basic", **params})
    # then the code was exchanged with the documented form and the token stored with its refresh
    assert back.status_code == 200
    assert "Your TikTok account is connected" in back.content.decode()
    exchange = tiktok.seen[0]
    assert (exchange.method, exchange.path) == ("POST", TOKEN)
    assert _form(exchange) == {
        "client_key": KEY,
        "client_secret": SECRET,
        "code": "code-7b1a",
        "grant_type": "authorization_code",
        "redirect_uri": "http://testserver/connect/tiktok/callback/",
    }
    credential = SocialCredential.objects.get(account=account, status="active")
    assert (credential.token, credential.refresh_token, credential.external_user_id) == (
        FIRST["access_token"],
        FIRST["refresh_token"],
        OPEN_ID,
    )
    assert credential.refresh_expires_at - credential.expires_at == dt.timedelta(
        seconds=31536000 - 86400
    )
    # and the first sync ran with the new token
    snapshot = AccountSnapshot.objects.get(account=account)
    assert snapshot.followers == 48210
    assert tiktok.seen[1].headers["authorization"] == f"Bearer {FIRST['access_token']}"
    # and the secret never reached the log
    assert SECRET not in caplog.text
    # and the manager's panel shows the sign-in
    panel = manager_client.get(f"/connect/creators/{account.creator_id}/").content.decode()
    assert "Connected by the creator's TikTok sign-in, valid until" in panel


def test_oauth_finish_stores_exact_expiries(tiktok, account):
    session, state = _started(account)
    _replay_connect(tiktok)
    result = social_connect.oauth_finish(
        params={"code": "c0de", "state": state}, session=session, now=NOW, platform="tiktok"
    )
    assert result.sync_error == ""
    assert (result.credential.expires_at, result.credential.refresh_expires_at) == (
        dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 11, 25, 12, 0, tzinfo=dt.UTC),
    )
    assert (
        AuditEntry.objects.filter(
            action="social_credential.create", target_id=str(result.credential.pk)
        ).count()
        == 1
    )


def _assert_nothing_stored() -> None:
    assert not SocialCredential.objects.exists()
    assert not AccountSnapshot.objects.exists()


def test_a_refused_code_shows_tiktoks_message_and_stores_nothing(tiktok, account):
    session, state = _started(account)
    tiktok.reply("POST", TOKEN, status=400, body=load("tt_oauth_error.json"))
    with pytest.raises(social_connect.ConnectError) as caught:
        social_connect.oauth_finish(
            params={"code": "old", "state": state}, session=session, now=NOW, platform="tiktok"
        )
    assert caught.value.title == "TikTok was not connected"
    assert caught.value.message == (
        "Nothing was stored. tiktok code exchange refused (HTTP 400): Authorization code is "
        "expired. [invalid_grant, log_id 202206221854370101130062072500FFA2]"
    )
    _assert_nothing_stored()


def test_declined_on_tiktok_stores_nothing(tiktok, account):
    session, state = _started(account)
    with pytest.raises(social_connect.ConnectError) as caught:
        social_connect.oauth_finish(
            params={"error": "access_denied", "error_description": "User canceled", "state": state},
            session=session,
            now=NOW,
            platform="tiktok",
        )
    assert caught.value.message == (
        "You declined the request on TikTok (User canceled). Nothing was stored; open the "
        "connect link again if you change your mind."
    )
    assert tiktok.seen == []
    _assert_nothing_stored()


def test_a_token_of_another_tiktok_user_stores_nothing(tiktok, workspace):
    other = SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="tiktok", handle="someone"
    )
    session, state = _started(other)
    _replay_connect(tiktok)
    with pytest.raises(social_connect.ConnectError) as caught:
        social_connect.oauth_finish(
            params={"code": "c", "state": state}, session=session, now=NOW, platform="tiktok"
        )
    assert "the token belongs to @miamoves, not @someone" in caught.value.message
    _assert_nothing_stored()


def test_an_instagram_state_or_link_does_not_work_for_tiktok(tiktok, account, client):
    # given a state signed for Instagram's flow with TikTok's session nonce
    from django.core import signing

    state = signing.dumps(
        {"w": account.workspace_id, "a": account.pk, "n": "n0nce"}, salt=social_connect.STATE_SALT
    )
    with pytest.raises(social_connect.ConnectError) as caught:
        social_connect.oauth_finish(
            params={"code": "c", "state": state},
            session={"tiktok_oauth_nonce": "n0nce"},
            now=NOW,
            platform="tiktok",
        )
    assert caught.value.title == "This sign-in is not valid"
    link = signing.dumps(
        {"w": account.workspace_id, "a": account.pk}, salt=social_connect.LINK_SALT
    )
    assert client.get(f"/connect/tiktok/{link}/").status_code == 404
    _assert_nothing_stored()


def test_a_link_needs_the_client_key_and_secret(tiktok, account, manager_client, settings):
    settings.TIKTOK_CLIENT_SECRET = ""
    response = manager_client.post(f"/connect/accounts/{account.pk}/link/", HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert (
        "TikTok Login Kit is not set up: set TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET"
        in response.content.decode()
    )
    assert not AuditEntry.objects.filter(action="social_account.connect_link").exists()


def test_the_refresh_call_sends_the_documented_form(tiktok):
    tiktok.reply("POST", TOKEN, body=REFRESHED)
    oauth = TikTokOAuth(client_key=KEY, client_secret=SECRET, oauth_url=tiktok.url)
    fresh = oauth.refresh(refresh_token="rft.old")
    assert _form(tiktok.seen[0]) == {
        "client_key": KEY,
        "client_secret": SECRET,
        "grant_type": "refresh_token",
        "refresh_token": "rft.old",
    }
    assert (fresh.access_token, fresh.refresh_token, fresh.expires_in) == (
        REFRESHED["access_token"],
        REFRESHED["refresh_token"],
        7200,
    )
    assert SECRET not in repr(oauth)


def test_an_unreachable_token_endpoint_is_a_retryable_error():
    oauth = TikTokOAuth(client_key=KEY, client_secret=SECRET, oauth_url="http://127.0.0.1:9")
    with pytest.raises(TikTokOAuthError, match="tiktok token refresh: TikTok could not be reached"):
        oauth.refresh(refresh_token="rft.old")


def _login_credential(workspace, *, expires_at, refresh_expires_at, handle="miamoves"):
    account = SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="tiktok", handle=handle
    )
    return SocialCredential.objects.create(
        workspace=workspace,
        platform="tiktok",
        account=account,
        token="act.old",
        refresh_token="rft.old",
        external_user_id=OPEN_ID,
        expires_at=expires_at,
        refresh_expires_at=refresh_expires_at,
    )


@pytest.mark.parametrize("left", [dt.timedelta(minutes=90), dt.timedelta(hours=-3)])
def test_a_token_due_or_expired_is_refreshed_with_the_rotated_refresh_token(
    tiktok, workspace, left
):
    # given an access token expiring in 90 minutes (or expired 3 hours ago), refresh token valid
    credential = _login_credential(
        workspace, expires_at=NOW + left, refresh_expires_at=NOW + dt.timedelta(days=30)
    )
    tiktok.reply("POST", TOKEN, body=REFRESHED)
    # when the due refresh runs
    results = credentials_refresh_due(now=NOW)
    # then the new access and refresh tokens are stored with their expiries, audited
    credential.refresh_from_db()
    assert (credential.token, credential.refresh_token, credential.status) == (
        REFRESHED["access_token"],
        REFRESHED["refresh_token"],
        "active",
    )
    assert (credential.expires_at, credential.refresh_expires_at) == (
        dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 5, 24, 12, 0, tzinfo=dt.UTC),
    )
    assert results == [
        RefreshResult(
            credential.pk,
            f"tiktok credential #{credential.pk} (@miamoves)",
            "refreshed",
            "valid until 2026-11-25 14:00 UTC",
        )
    ]
    assert AuditEntry.objects.filter(action="social_credential.refresh").count() == 1


def test_a_token_with_more_than_2_hours_left_is_not_touched(tiktok, workspace):
    credential = _login_credential(
        workspace,
        expires_at=NOW + dt.timedelta(hours=3),
        refresh_expires_at=NOW + dt.timedelta(days=30),
    )
    assert credentials_refresh_due(now=NOW) == []
    assert tiktok.seen == []
    credential.refresh_from_db()
    assert (credential.token, credential.status) == ("act.old", "active")


def test_an_expired_refresh_token_marks_the_credential_expired(tiktok, workspace):
    credential = _login_credential(
        workspace,
        expires_at=NOW - dt.timedelta(hours=1),
        refresh_expires_at=NOW - dt.timedelta(days=1),
    )
    results = credentials_refresh_due(now=NOW)
    credential.refresh_from_db()
    message = (
        "the refresh token expired on 2026-11-24 12:00 UTC; send the creator a new connect link"
    )
    assert (credential.status, credential.last_error) == ("expired", message)
    assert [r.outcome for r in results] == ["expired"]
    assert tiktok.seen == []


def test_a_refused_refresh_marks_the_credential_expired(tiktok, workspace):
    credential = _login_credential(
        workspace,
        expires_at=NOW + dt.timedelta(minutes=30),
        refresh_expires_at=NOW + dt.timedelta(days=30),
    )
    tiktok.reply("POST", TOKEN, status=400, body=load("tt_oauth_error.json"))
    results = credentials_refresh_due(now=NOW)
    credential.refresh_from_db()
    assert credential.status == "expired"
    assert credential.last_error == (
        "TikTok refused to refresh the token (tiktok token refresh refused (HTTP 400): "
        "Authorization code is expired. [invalid_grant, log_id 202206221854370101130062072500FFA2]"
        "); send the creator a new connect link"
    )
    assert [r.outcome for r in results] == ["expired"]


def test_a_failed_refresh_keeps_the_credential_for_the_next_run(tiktok, workspace):
    # given an already expired access token and TikTok answering 503 without a payload
    credential = _login_credential(
        workspace,
        expires_at=NOW - dt.timedelta(minutes=5),
        refresh_expires_at=NOW + dt.timedelta(days=30),
    )
    tiktok.reply("POST", TOKEN, status=503, raw=b"upstream down")
    results = credentials_refresh_due(now=NOW)
    credential.refresh_from_db()
    # then it stays active with the reason, and is not marked expired by the expiry sweep
    assert (credential.status, credential.token) == ("active", "act.old")
    assert credential.last_error == "tiktok token refresh: HTTP 503 without a token"
    assert [r.outcome for r in results] == ["failed"]


def test_a_pasted_tiktok_token_without_refresh_token_just_expires(tiktok, workspace):
    account = SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="tiktok", handle="pasted"
    )
    credential = SocialCredential.objects.create(
        workspace=workspace,
        platform="tiktok",
        account=account,
        token="act.pasted",
        expires_at=NOW - dt.timedelta(hours=1),
    )
    results = credentials_refresh_due(now=NOW)
    credential.refresh_from_db()
    assert credential.status == "expired"
    assert credential.last_error == "the token expired on 2026-11-25 11:00 UTC; paste a new one"
    assert [r.outcome for r in results] == ["expired"]
    assert tiktok.seen == []


def test_the_refresh_tokens_command_refreshes_tiktok(tiktok, workspace):
    from django.utils import timezone

    credential = _login_credential(
        workspace,
        expires_at=timezone.now() + dt.timedelta(minutes=20),
        refresh_expires_at=timezone.now() + dt.timedelta(days=30),
    )
    tiktok.reply("POST", TOKEN, body=REFRESHED)
    out = StringIO()
    call_command("refresh_tokens", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"tiktok credential #{credential.pk} (@miamoves): refreshed: valid")
    assert lines[1] == "1 refreshed, 0 expired, 0 failed"
    credential.refresh_from_db()
    assert credential.refresh_token == REFRESHED["refresh_token"]
