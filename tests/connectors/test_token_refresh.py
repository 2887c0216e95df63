"""Keeping creators' Instagram Login tokens alive: refresh within 7 days of expiry, mark expired
ones with a message the creator page shows, and the commands that run it. Instagram is the local
replay server (refresh shape from
https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from infludesk.core.models import AuditEntry
from infludesk.creators.models import SocialCredential
from infludesk.creators.social_connect import RefreshResult, credentials_refresh_due
from infludesk.creators.tasks_sync import refresh_due_tokens
from tests.connectors.social_support import load, query
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def instagram(settings, fake_store):
    settings.INSTAGRAM_APP_ID = "990602627938098"
    settings.INSTAGRAM_APP_SECRET = "app-secret-5c1d"
    settings.INSTAGRAM_GRAPH_URL = fake_store.url
    return fake_store


def _login_credential(workspace, store, *, expires_at, handle="bluebottle", token="IGAAold"):  # noqa: S107
    account = SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="instagram", handle=handle
    )
    return SocialCredential.objects.create(
        workspace=workspace,
        platform="instagram",
        account=account,
        token=token,
        external_user_id="17841400000001234",
        api_url=store.url,
        expires_at=expires_at,
    )


def test_a_token_expiring_within_7_days_is_refreshed(instagram, workspace):
    # given a token expiring in 3 days
    credential = _login_credential(workspace, instagram, expires_at=NOW + dt.timedelta(days=3))
    instagram.reply("GET", "/refresh_access_token", body=load("igl_refresh_token.json"))
    # when the due refresh runs
    results = credentials_refresh_due(now=NOW)
    # then the new token is stored, valid expires_in (5,184,000 s = 60 days) from now, audited
    credential.refresh_from_db()
    assert (credential.token, credential.expires_at, credential.status) == (
        "IGAArefreshed3zExample",
        dt.datetime(2027, 1, 24, 12, 0, tzinfo=dt.UTC),
        "active",
    )
    assert results == [
        RefreshResult(
            credential.pk,
            f"instagram credential #{credential.pk} (@bluebottle)",
            "refreshed",
            "valid until 2027-01-24 12:00 UTC",
        )
    ]
    assert query(instagram.seen[0]) == {"grant_type": "ig_refresh_token", "access_token": "IGAAold"}
    assert AuditEntry.objects.filter(action="social_credential.refresh").count() == 1


def test_a_token_with_more_than_7_days_left_is_left_alone(instagram, workspace):
    credential = _login_credential(workspace, instagram, expires_at=NOW + dt.timedelta(days=8))
    assert credentials_refresh_due(now=NOW) == []
    credential.refresh_from_db()
    assert (credential.token, instagram.seen) == ("IGAAold", [])


def test_a_pasted_business_discovery_token_is_not_refreshed(instagram, workspace):
    # given a Facebook-Login token (another API URL) expiring in 2 days
    credential = _login_credential(workspace, instagram, expires_at=NOW + dt.timedelta(days=2))
    SocialCredential.objects.filter(pk=credential.pk).update(api_url="https://proxy.example.com")
    assert credentials_refresh_due(now=NOW) == []
    assert instagram.seen == []


def test_a_token_past_its_expiry_is_marked_expired_with_a_message(
    instagram, workspace, manager_client
):
    # given a sign-in token that expired 5 days ago
    credential = _login_credential(workspace, instagram, expires_at=NOW - dt.timedelta(days=5))
    # when the due refresh runs
    results = credentials_refresh_due(now=NOW)
    # then it is expired, without a call, with a message for the creator page
    credential.refresh_from_db()
    message = "the token expired on 2026-11-20 12:00 UTC; send the creator a new connect link"
    assert (credential.status, credential.last_error) == ("expired", message)
    assert [r.outcome for r in results] == ["expired"]
    assert instagram.seen == []
    assert AuditEntry.objects.filter(action="social_credential.expire").count() == 1
    panel = manager_client.get(f"/connect/creators/{credential.account.creator_id}/")
    assert f"Token expired</strong>: {message}" in panel.content.decode()
    assert "Create connect link" in panel.content.decode()


def test_a_refused_refresh_with_code_190_marks_the_token_expired(instagram, workspace):
    credential = _login_credential(workspace, instagram, expires_at=NOW + dt.timedelta(days=1))
    instagram.reply(
        "GET", "/refresh_access_token", status=400, body=load("igl_error_token_expired.json")
    )
    credentials_refresh_due(now=NOW)
    credential.refresh_from_db()
    assert credential.status == "expired"
    assert credential.last_error.startswith(
        "Instagram refused to refresh the token (instagram token refresh refused (HTTP 400): "
        "Error validating access token"
    )
    assert credential.last_error.endswith("send the creator a new connect link")


def test_a_failing_refresh_keeps_the_token_and_says_why(instagram, workspace):
    # given Instagram answers 500 to the refresh
    credential = _login_credential(workspace, instagram, expires_at=NOW + dt.timedelta(days=1))
    instagram.reply("GET", "/refresh_access_token", status=500, body={})
    # when refreshed, then it stays active (tried again next run) with the reason
    results = credentials_refresh_due(now=NOW)
    credential.refresh_from_db()
    assert (credential.status, credential.token) == ("active", "IGAAold")
    assert credential.last_error == (
        "instagram token refresh refused (HTTP 500): HTTP 500 without an error message"
    )
    assert [r.outcome for r in results] == ["failed"]


def test_refresh_is_scoped_to_a_workspace_when_asked(instagram, workspace, other_workspace):
    mine = _login_credential(workspace, instagram, expires_at=NOW - dt.timedelta(days=1))
    theirs = _login_credential(
        other_workspace, instagram, expires_at=NOW - dt.timedelta(days=1), handle="other"
    )
    credentials_refresh_due(now=NOW, workspace=workspace)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("expired", "active")


def test_refresh_tokens_command_reports_each_token(instagram, workspace):
    # given one token to refresh and one already past its expiry (relative to the real clock)
    soon = _login_credential(workspace, instagram, expires_at=timezone.now() + dt.timedelta(days=2))
    gone = _login_credential(
        workspace, instagram, expires_at=timezone.now() - dt.timedelta(days=2), handle="gone"
    )
    instagram.reply("GET", "/refresh_access_token", body=load("igl_refresh_token.json"))
    out = StringIO()
    # when the command runs
    call_command("refresh_tokens", stdout=out)
    # then both are reported and the summary counts them
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"instagram credential #{gone.pk} (@gone): expired: the token")
    assert lines[1].startswith(f"instagram credential #{soon.pk} (@bluebottle): refreshed: valid")
    assert lines[2] == "1 refreshed, 1 expired, 0 failed"


def test_sync_accounts_due_refreshes_tokens_first(instagram, workspace):
    # given an expired sign-in token (its account then has no active credential to sync with)
    credential = _login_credential(
        workspace, instagram, expires_at=timezone.now() - dt.timedelta(days=1)
    )
    out, err = StringIO(), StringIO()
    # when the cron command runs
    with pytest.raises(SystemExit):
        call_command("sync_accounts", "--due", stdout=out, stderr=err)
    # then the token was marked expired before the sync, which reports the missing credential
    credential.refresh_from_db()
    assert credential.status == "expired"
    assert (
        err.getvalue()
        .splitlines()[0]
        .startswith(
            f"instagram credential #{credential.pk} (@bluebottle): token expired: the token expired"
        )
    )
    assert "no active instagram credential in this workspace" in err.getvalue()


def test_the_background_task_reports_its_counts(instagram, workspace):
    # given one token past its expiry (relative to the real clock)
    _login_credential(workspace, instagram, expires_at=timezone.now() - dt.timedelta(hours=1))
    # when the task runs, then it reports what it did; a second run finds nothing to do
    assert refresh_due_tokens.call() == {"refreshed": 0, "expired": 1, "failed": 0}
    assert refresh_due_tokens.call() == {"refreshed": 0, "expired": 0, "failed": 0}
