# ruff: noqa: F811  (pytest fixtures imported from tests.connectors.conftest)
"""`infludesk sync-accounts` and the sync tasks, against the local replay server (Instagram
payload shapes from
https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/business-discovery)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from infludesk.creators.models import AccountSnapshot, SocialCredential
from infludesk.creators.tasks_sync import sync_social_account
from tests.connectors.conftest import fake_store  # noqa: F401  (fixture)
from tests.connectors.social_support import load
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

ME = "17841405309211844"
NODE = f"/v25.0/{ME}"


def _setup(workspace, url, **account):
    SocialCredential.objects.create(
        workspace=workspace, platform="instagram", token="EAAG", external_user_id=ME, api_url=url
    )
    return SocialAccountFactory(
        workspace=workspace, creator__workspace=workspace, platform="instagram", **account
    )


def _replay(store):
    store.reply("GET", NODE, body=load("ig_discovery_profile.json"))
    store.reply("GET", NODE, body=load("ig_discovery_media_page2.json"))


def test_command_syncs_due_accounts_and_prints_a_line_each(fake_store, workspace):
    # given one due account and one synced an hour ago
    due = _setup(workspace, fake_store.url, handle="bluebottle")
    SocialAccountFactory(
        workspace=workspace,
        creator__workspace=workspace,
        platform="instagram",
        handle="fresh",
        last_synced_at=timezone.now() - dt.timedelta(hours=1),
    )
    _replay(fake_store)
    out = io.StringIO()
    # when run with --due
    call_command("sync_accounts", "--workspace", "acme", "--due", stdout=out)
    # then only the due account was synced
    assert out.getvalue().splitlines() == [
        "@bluebottle (instagram): 267793 followers, 1 new and 0 updated posts, 0 comments",
        "1 synced, 0 failed",
    ]
    assert AccountSnapshot.objects.get().account_id == due.pk


def test_command_exits_1_when_an_account_fails(fake_store, workspace):
    _setup(workspace, fake_store.url, handle="bluebottle")
    fake_store.reply("GET", NODE, status=400, body=load("graph_error_token_expired.json"))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("sync_accounts", "--platform", "instagram", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert "@bluebottle (instagram): FAILED: " in err.getvalue()
    assert "now marked expired, paste a new one" in err.getvalue()


def test_command_rejects_an_unknown_workspace(db):
    with pytest.raises(CommandError, match="no workspace with slug 'nope'"):
        call_command("sync_accounts", "--workspace", "nope")


def test_task_reports_a_failure_instead_of_raising(fake_store, workspace):
    account = _setup(workspace, fake_store.url, handle="bluebottle")
    fake_store.reply("GET", NODE, status=400, body=load("graph_error_token_expired.json"))
    report = sync_social_account.call(workspace_id=workspace.pk, account_id=account.pk)
    assert report["ok"] is False
    assert "credential #" in str(report["error"])


def test_task_never_touches_another_workspaces_account(workspace, other_workspace):
    theirs = SocialAccountFactory(
        workspace=other_workspace, creator__workspace=other_workspace, platform="instagram"
    )
    report = sync_social_account.call(workspace_id=workspace.pk, account_id=theirs.pk)
    assert report == {"account_id": theirs.pk, "ok": False, "error": "no such account"}


def test_connect_social_stores_a_pasted_token_and_retires_the_old_one(workspace):
    # given an older Instagram token
    call_command(
        "connect_social", "--workspace", "acme", "--platform", "instagram",
        "--token", "EAAG-old", "--ig-user-id", ME, stdout=io.StringIO(),
    )  # fmt: skip
    out = io.StringIO()
    # when a new one is pasted
    call_command(
        "connect_social", "--workspace", "acme", "--platform", "instagram",
        "--token", "EAAG-new", "--ig-user-id", ME, "--expires", "2027-01-24", stdout=out,
    )  # fmt: skip
    # then only the new one is active, with its expiry
    rows = list(
        SocialCredential.objects.filter(workspace=workspace)
        .order_by("pk")
        .values_list("token", "status", "expires_at")
    )
    assert rows == [
        ("EAAG-old", "expired", None),
        ("EAAG-new", "active", dt.datetime(2027, 1, 24, tzinfo=dt.UTC)),
    ]
    assert out.getvalue().startswith("instagram credential #")


def test_connect_social_explains_a_missing_instagram_user_id(workspace):
    with pytest.raises(CommandError, match="external_user_id: Instagram needs the id"):
        call_command(
            "connect_social", "--workspace", "acme", "--platform", "instagram", "--token", "EAAG"
        )


def test_connect_social_refuses_another_workspaces_account(workspace, other_workspace):
    theirs = SocialAccountFactory(
        workspace=other_workspace, creator__workspace=other_workspace, platform="tiktok"
    )
    with pytest.raises(CommandError, match=f"no account {theirs.pk} in this workspace"):
        call_command(
            "connect_social", "--workspace", "acme", "--platform", "tiktok",
            "--token", "act.x", "--account", str(theirs.pk),
        )  # fmt: skip
