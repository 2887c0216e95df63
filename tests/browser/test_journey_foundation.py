"""Journey: sign in, read the dashboard's figures, filter the creator list, open a creator."""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from infludesk.campaigns.models import CampaignStatus, Stage
from infludesk.core.models import Role
from infludesk.creators.models import Platform
from tests import factories as f

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed() -> str:
    """A workspace with 3 creators (4 accounts), 1 active campaign with 2 deals, 5 clicks
    (one of them a bot) and 2 orders (one refunded in part) in the last days."""
    member = f.MemberFactory(
        workspace__name="Journey Outdoor", role=Role.OWNER, user__email="journey@acme.test"
    )
    ws = member.workspace
    ana = f.CreatorFactory(workspace=ws, name="Ana Alvarez")
    f.SocialAccountFactory(creator=ana, handle="ana.trails", followers=8_000)
    f.SocialAccountFactory(
        creator=ana,
        platform=Platform.TIKTOK,
        handle="ana.tok",
        followers=120_000,
        engagement_rate=Decimal("4.25"),
        authenticity_score=88,
    )
    ben = f.CreatorFactory(workspace=ws, name="Ben Brook")
    f.SocialAccountFactory(creator=ben, platform=Platform.TIKTOK, handle="benbrook")
    cleo = f.CreatorFactory(workspace=ws, name="Cleo Cruz")
    f.SocialAccountFactory(creator=cleo, platform=Platform.YOUTUBE, handle="cleocruz")
    campaign = f.CampaignFactory(workspace=ws, status=CampaignStatus.ACTIVE)
    f.DealFactory(campaign=campaign, creator=ana, stage=Stage.LIVE)
    f.DealFactory(campaign=campaign, creator=ben, stage=Stage.CONTACTED)
    link = f.TrackedLinkFactory(creator=ana)
    now = timezone.now()
    f.ClickFactory.create_batch(4, link=link, clicked_at=now - dt.timedelta(hours=1))
    f.ClickFactory(link=link, clicked_at=now, is_bot=True)
    f.OrderFactory(workspace=ws, gross=Decimal("120.00"), placed_at=now)
    f.OrderFactory(workspace=ws, gross=Decimal("80.00"), refunded=Decimal("20.00"), placed_at=now)
    return member.user.email  # fmt: skip


def _value(page, tile: str) -> str:
    return page.locator(f"#kpi-{tile} .value").inner_text().strip()


def test_sign_in_see_dashboard_filter_creators_open_one(live_server, browser_page):
    email = _seed()
    page = browser_page

    # sign in through the login form
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # the dashboard's figures are the seeded rows
    assert page.locator("h1").first.inner_text() == "Journey Outdoor"
    assert _value(page, "creators") == "3"
    assert _value(page, "accounts") == "4"
    assert _value(page, "campaigns") == "1"
    assert _value(page, "deals") == "2"
    assert _value(page, "clicks") == "4"
    assert _value(page, "orders") == "2"
    assert _value(page, "revenue") == "180.00 USD"
    # Plotly (served from the installed package) drew the chart
    page.wait_for_selector("#content .chart .main-svg")

    # filter the creator list: HTMX swaps the table and pushes the filter into the URL
    page.click("nav.sidebar >> text=Creators")
    page.wait_for_url(f"{live_server.url}/creators/")
    # the first column holds the selection checkboxes
    rows = page.locator("#list-table tbody tr td:nth-child(2)")
    assert rows.all_inner_texts() == ["Ana Alvarez", "Ben Brook", "Cleo Cruz"]
    page.select_option("select[name=platform]", "tiktok")
    page.wait_for_url(re.compile(r".*/creators/\?platform=tiktok$"))
    page.wait_for_function("document.querySelectorAll('#list-table tbody tr').length === 2")
    assert rows.all_inner_texts() == ["Ana Alvarez", "Ben Brook"]
    # sorting swaps the table too, and a later filter change keeps the sort
    page.click("#list-table th >> text=Followers")
    page.wait_for_url(re.compile(r".*/creators/\?platform=tiktok&sort=followers$"))
    page.wait_for_function(
        "document.querySelector('#list-table tbody td:nth-child(2)').innerText === 'Ben Brook'"
    )
    assert rows.all_inner_texts() == ["Ben Brook", "Ana Alvarez"]
    page.fill("input[name=followers_min]", "100000")
    page.wait_for_url(
        re.compile(r".*/creators/\?platform=tiktok&followers_min=100000&sort=followers$")
    )
    page.wait_for_function("document.querySelectorAll('#list-table tbody tr').length === 1")
    assert rows.all_inner_texts() == ["Ana Alvarez"]

    # open a creator and see their accounts
    page.click("#list-table >> text=Ana Alvarez")
    page.wait_for_url(re.compile(r".*/creators/\d+/$"))
    assert page.locator("h1").inner_text() == "Ana Alvarez"
    accounts = page.locator("#accounts tbody tr")
    assert accounts.count() == 2
    first = accounts.nth(0).locator("td").all_inner_texts()
    # the handle cell also carries the account's "find similar" link to the search page
    assert first[:6] == [
        "TikTok",
        "@ana.tok find similar",
        "120,000",
        "Macro (100k-1M)",
        "4.25%",
        "88",
    ]
    similar = accounts.nth(0).locator("a.similar-link").get_attribute("href")
    assert similar is not None and similar.startswith("/creators/search/?similar_to=")
    second = accounts.nth(1).locator("td").all_inner_texts()
    assert second[5] == "not scored yet"
