# ruff: noqa: F811  (pytest fixtures imported from tests.connectors.conftest)
"""Syncing social accounts: snapshots as history, idempotent upserts, expired tokens, partial
failure, tenancy and the due list. Instagram payloads replayed by the local server (shapes from
https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/business-discovery
and https://developers.facebook.com/docs/graph-api/guides/error-handling)."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from infludesk.connectors.social import TokenExpiredError
from infludesk.creators.models import (
    AccountSnapshot,
    CredentialStatus,
    Post,
    PostComment,
    SocialAccount,
    SocialCredential,
)
from infludesk.creators.sync import (
    NoCredentialError,
    account_sync,
    accounts_sync,
    accounts_sync_due,
    connector_from_credential,
)
from tests.connectors.conftest import fake_store, sleeps  # noqa: F401  (replay fixtures)
from tests.connectors.social_support import load, query
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

ME = "17841405309211844"
NODE = f"/v25.0/{ME}"
NOW = dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def factory(sleeps):
    return lambda credential: connector_from_credential(credential, sleep=sleeps.append)


def _credential(workspace, url, token="EAAG-acme", **kw):  # noqa: S107
    return SocialCredential.objects.create(
        workspace=workspace,
        platform="instagram",
        token=token,
        external_user_id=ME,
        api_url=url,
        **kw,
    )


def _account(workspace, handle="bluebottle", **kw):
    return SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="instagram", handle=handle, **kw
    )


def _replay_bluebottle(store, media="ig_discovery_media_page1.json"):
    store.reply("GET", NODE, body=load("ig_discovery_profile.json"))
    store.reply("GET", NODE, body=load(media))
    store.reply("GET", NODE, body=load("ig_discovery_media_page2.json"))


def test_sync_stores_a_snapshot_posts_and_latest_counts(fake_store, workspace, factory):
    # given an account with a workspace credential
    account = _account(workspace, followers=1000)
    _credential(workspace, fake_store.url)
    _replay_bluebottle(fake_store)
    # when synced
    result = account_sync(account=account, now=NOW, connector_factory=factory)
    # then the counts land on the account, a snapshot holds them, and 3 posts exist
    account.refresh_from_db()
    assert (account.followers, account.following, account.posts_count, account.tier) == (
        267793,
        1492,
        1205,
        "macro",
    )
    assert (account.last_synced_at, account.external_id) == (NOW, "17841401441775531")
    snap = AccountSnapshot.objects.get(account=account)
    assert (snap.taken_at, snap.followers, snap.source, snap.avg_likes) == (
        NOW,
        267793,
        "sync",
        (1520 + 2210 + 3004) / 3,
    )
    assert (result.ok, result.posts_created, result.posts_updated, result.retries) == (
        True,
        3,
        0,
        0,
    )
    assert Post.objects.filter(account=account, workspace=workspace).count() == 3


def test_sync_enqueues_the_stats_recompute(
    fake_store,
    workspace,
    factory,
    django_capture_on_commit_callbacks,
):
    account = _account(workspace)
    _credential(workspace, fake_store.url)
    _replay_bluebottle(fake_store)
    with django_capture_on_commit_callbacks(execute=True):
        account_sync(account=account, now=NOW, connector_factory=factory)
    row = DBTaskResult.objects.get()
    assert row.task_path == "infludesk.creators.tasks.recompute_account_stats"
    assert row.args_kwargs["kwargs"] == {"workspace_id": workspace.pk, "account_ids": [account.pk]}


def test_resync_adds_a_snapshot_and_updates_posts_without_duplicates(
    fake_store,
    workspace,
    factory,
):
    # given a first sync
    account = _account(workspace)
    _credential(workspace, fake_store.url)
    _replay_bluebottle(fake_store)
    account_sync(account=account, now=NOW, connector_factory=factory)
    # when synced a day later with more likes and more followers
    fake_store.routes.clear()
    profile = load("ig_discovery_profile.json")
    profile["business_discovery"]["followers_count"] = 268001
    page1 = load("ig_discovery_media_page1.json")
    page1["business_discovery"]["media"]["data"][0]["like_count"] = 1777
    fake_store.reply("GET", NODE, body=profile)
    fake_store.reply("GET", NODE, body=page1)
    fake_store.reply("GET", NODE, body=load("ig_discovery_media_page2.json"))
    later = NOW + dt.timedelta(days=1)
    result = account_sync(account=account, now=later, connector_factory=factory)
    # then two snapshots are history, posts stay 3, with the new like count
    assert list(
        AccountSnapshot.objects.filter(account=account).values_list("taken_at", "followers")
    ) == [(NOW, 267793), (later, 268001)]
    assert (result.posts_created, result.posts_updated) == (0, 3)
    assert Post.objects.filter(account=account).count() == 3
    assert Post.objects.get(platform_post_id="17858843269216389").likes == 1777


def test_a_retry_at_the_same_moment_keeps_one_snapshot(fake_store, workspace, factory):
    account = _account(workspace)
    _credential(workspace, fake_store.url)
    _replay_bluebottle(fake_store, media="ig_discovery_media_page2.json")
    account_sync(account=account, now=NOW, connector_factory=factory)
    account_sync(account=account, now=NOW, connector_factory=factory)
    assert AccountSnapshot.objects.filter(account=account).count() == 1
    assert Post.objects.filter(account=account).count() == 1


def test_throttled_then_ok_reports_the_exact_retry_count(
    fake_store,
    workspace,
    factory,
    sleeps,
):
    account = _account(workspace)
    _credential(workspace, fake_store.url)
    fake_store.reply("GET", NODE, status=403, body=load("graph_error_throttled.json"))
    _replay_bluebottle(fake_store, media="ig_discovery_media_page2.json")
    result = account_sync(account=account, now=NOW, connector_factory=factory)
    assert (result.ok, result.retries, sleeps) == (True, 1, [2.0])


def test_expired_token_marks_the_credential_and_stores_nothing(
    fake_store,
    workspace,
    factory,
):
    # given Instagram answering code 190
    account = _account(workspace, followers=1000)
    credential = _credential(workspace, fake_store.url)
    fake_store.reply("GET", NODE, status=400, body=load("graph_error_token_expired.json"))
    # when synced: a clear error
    with pytest.raises(TokenExpiredError, match=r"has expired or was revoked; it is now marked"):
        account_sync(account=account, now=NOW, connector_factory=factory)
    # then the credential is expired with the reason, and nothing was written
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.EXPIRED
    assert "code 190" in credential.last_error
    account.refresh_from_db()
    assert (account.followers, account.last_synced_at) == (1000, None)
    assert AccountSnapshot.objects.count() == 0
    # and the next sync does not try the dead token
    with pytest.raises(NoCredentialError, match="no active instagram credential"):
        account_sync(account=account, now=NOW, connector_factory=factory)


def test_one_failing_account_does_not_stop_the_others(fake_store, workspace, factory):
    # given two accounts; Instagram rejects the first handle
    bad = _account(workspace, handle="no_such_biz")
    good = _account(workspace, handle="bluebottle")
    _credential(workspace, fake_store.url)
    invalid = {"error": {"message": "Invalid user id", "type": "OAuthException", "code": 110,
                         "fbtrace_id": "A1b2"}}  # fmt: skip
    fake_store.reply("GET", NODE, status=400, body=invalid)
    _replay_bluebottle(fake_store, media="ig_discovery_media_page2.json")
    # when both are synced
    results = accounts_sync(accounts=[bad, good], now=NOW, connector_factory=factory)
    # then a report per account: the first failed with the platform's reason, the second synced
    assert [(r.account_id, r.ok) for r in results] == [(bad.pk, False), (good.pk, True)]
    assert results[0].error.endswith("HTTP 400, code 110: Invalid user id")
    assert AccountSnapshot.objects.filter(account=good).count() == 1
    assert AccountSnapshot.objects.filter(account=bad).count() == 0


def test_another_workspaces_credential_is_never_used(
    fake_store,
    workspace,
    other_workspace,
    factory,
):
    # given only the other workspace has an Instagram token
    account = _account(workspace)
    _credential(other_workspace, fake_store.url, token="EAAG-rival")
    # when our account is synced: no credential, and no call went out
    with pytest.raises(NoCredentialError):
        account_sync(account=account, now=NOW, connector_factory=factory)
    assert fake_store.seen == []


def test_each_workspace_syncs_with_its_own_token(
    fake_store,
    workspace,
    other_workspace,
    factory,
):
    ours = _account(workspace)
    _credential(other_workspace, fake_store.url, token="EAAG-rival")
    _credential(workspace, fake_store.url, token="EAAG-acme")
    _replay_bluebottle(fake_store, media="ig_discovery_media_page2.json")
    account_sync(account=ours, now=NOW, connector_factory=factory)
    assert {query(s)["access_token"] for s in fake_store.seen} == {"EAAG-acme"}


def test_a_creators_own_token_brings_comments_and_insights(
    fake_store,
    workspace,
    factory,
):
    # given the creator connected their own account (token tied to the account)
    account = _account(workspace)
    _credential(workspace, fake_store.url, token="EAAG-general")
    _credential(workspace, fake_store.url, token="EAAG-own", account=account)
    _replay_bluebottle(fake_store, media="ig_discovery_media_page2.json")
    fake_store.reply(
        "GET", "/v25.0/17899506308402767/comments", body=load("ig_media_comments_page2.json")
    )
    fake_store.reply("GET", f"{NODE}/insights", body=load("ig_insights_day.json"))
    fake_store.reply("GET", f"{NODE}/insights", body=load("ig_insights_demographics_country.json"))
    fake_store.reply("GET", f"{NODE}/insights", body={"data": []})
    # when synced
    result = account_sync(account=account, now=NOW, connector_factory=factory)
    # then its own token was used, the comment is stored, the snapshot holds the insights
    assert {query(s)["access_token"] for s in fake_store.seen} == {"EAAG-own"}
    assert result.comments == 1
    assert PostComment.objects.get().text == "Where can I buy it in Berlin?"
    snap = AccountSnapshot.objects.get()
    assert (snap.insights["reach"], snap.insights["impressions"]) == (11873, 22950)
    assert snap.insights["demographics"] == {"country": {"US": 150321, "JP": 40112, "GB": 12007}}


def test_due_accounts_are_never_synced_or_older_than_24_hours(workspace):
    # given accounts synced 25 h ago, 23 h ago, never, and one on an unsynced platform
    old = _account(workspace, handle="old", last_synced_at=NOW - dt.timedelta(hours=25))
    _account(workspace, handle="fresh", last_synced_at=NOW - dt.timedelta(hours=23))
    never = _account(workspace, handle="never")
    SocialAccountFactory(workspace=workspace, creator__workspace=workspace, platform="other")
    # when asked which are due
    due = accounts_sync_due(now=NOW, workspace=workspace)
    # then the stale and the never-synced ones
    assert sorted(a.pk for a in due) == sorted([old.pk, never.pk])


def test_due_list_respects_workspace_and_platform(workspace, other_workspace):
    ours = _account(workspace, handle="ours")
    _account(other_workspace, handle="theirs")
    SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="youtube", handle="yt"
    )
    due = accounts_sync_due(now=NOW, workspace=workspace, platform="instagram")
    assert [a.pk for a in due] == [ours.pk]


def test_youtube_sync_stores_views_and_the_subscriber_count(fake_store, workspace, factory):
    # given a channel with an API key (payloads: developers.google.com/youtube/v3/docs)
    account = SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="youtube",
        handle="googledevelopers",
    )  # fmt: skip
    SocialCredential.objects.create(
        workspace=workspace, platform="youtube", token="AIza-acme", api_url=fake_store.url
    )
    fake_store.reply("GET", "/channels", body=load("yt_channels_list.json"))
    fake_store.reply("GET", "/playlistItems", body=load("yt_playlist_items_page1.json"))
    fake_store.reply("GET", "/playlistItems", body=load("yt_playlist_items_page2.json"))
    fake_store.reply("GET", "/videos", body=load("yt_videos_list.json"))
    # when synced
    account_sync(account=account, now=NOW, connector_factory=factory)
    # then subscribers are the followers and the videos carry their views
    account.refresh_from_db()
    assert (account.followers, account.posts_count, account.tier) == (2530000, 6371, "mega")
    assert sorted(Post.objects.filter(account=account).values_list("views", flat=True)) == [
        15230,
        48211,
        120553,
    ]
    assert AccountSnapshot.objects.get(account=account).avg_views == (15230 + 48211 + 120553) / 3


def test_tiktok_sync_uses_the_creators_own_token(fake_store, workspace, factory):
    # given a TikTok account whose creator's token is tied to it (developers.tiktok.com docs)
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
    # when synced
    result = account_sync(account=account, now=NOW, connector_factory=factory)
    # then the counts and three videos with shares are stored
    account.refresh_from_db()
    assert (account.followers, account.following, result.posts_created) == (48210, 312, 3)
    assert Post.objects.get(platform_post_id="7299012374810226946").shares == 1204
    assert {s.headers["authorization"] for s in fake_store.seen} == {"Bearer act.mia"}


def test_sync_keeps_the_stats_columns_it_does_not_own(fake_store, workspace, factory):
    # given the stats job stores an ER after this account object was loaded
    account = _account(workspace)
    SocialAccount.objects.filter(pk=account.pk).update(engagement_rate="1.2345")
    _credential(workspace, fake_store.url)
    _replay_bluebottle(fake_store, media="ig_discovery_media_page2.json")
    account_sync(account=account, now=NOW, connector_factory=factory)
    account.refresh_from_db()
    assert str(account.engagement_rate) == "1.2345"


def test_a_token_past_its_expiry_date_is_not_sent(fake_store, workspace, factory):
    account = _account(workspace)
    credential = _credential(workspace, fake_store.url, expires_at=NOW - dt.timedelta(hours=1))
    with pytest.raises(TokenExpiredError, match="the token expired on 2026-11-25 05:00 UTC"):
        account_sync(account=account, now=NOW, connector_factory=factory)
    credential.refresh_from_db()
    assert (credential.status, fake_store.seen) == (CredentialStatus.EXPIRED, [])
