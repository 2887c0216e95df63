"""Shared steps of the browser journeys: the workspace the vetting and search journeys start
from (one owner, creators with one account each and three follower snapshots 60, 30 and 1 day
ago, and an empty campaign) and signing in through the login form."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from infludesk.core.models import Role
from tests import factories as f

if TYPE_CHECKING:
    from playwright.sync_api import Page


def seed_scouting_workspace(
    creators: list[tuple[str, str, str, int]],
) -> tuple[str, dict[str, int]]:
    """Given (name, handle, platform, followers) rows, return the owner's email and the
    creators' ids by name; followers grow 80% -> 90% -> 100% over the snapshots."""
    member = f.MemberFactory(
        workspace__name="Northwind", role=Role.OWNER, user__email="scout@northwind.test"
    )
    ws = member.workspace
    ids = {}
    now = timezone.now()
    for name, handle, platform, followers in creators:
        creator = f.CreatorFactory(workspace=ws, name=name)
        account = f.SocialAccountFactory(
            creator=creator, handle=handle, platform=platform, followers=followers
        )
        for days, share in ((60, 0.8), (30, 0.9), (1, 1.0)):
            f.AccountSnapshotFactory(
                account=account,
                taken_at=now - dt.timedelta(days=days),
                followers=int(followers * share),
            )
        ids[name] = creator.pk
    f.CampaignFactory(workspace=ws, name="Winter Trails")
    return member.user.email, ids


def sign_in(page: Page, base: str, email: str) -> None:
    """Sign in through the login form with the factories' password and land on the dashboard."""
    page.goto(f"{base}/account/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
