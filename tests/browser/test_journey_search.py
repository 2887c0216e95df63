"""Journey through the search page: sign in, search creators by handle on /creators/search/,
filter to one platform, open a creator, compare two, shortlist them from the search page's
bulk form, add the shortlist to a campaign and see the deals on the campaign's board."""

from __future__ import annotations

import os
import re

import pytest

from infludesk.campaigns.models import Deal
from tests.browser.seeding import seed_scouting_workspace, sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed() -> tuple[str, dict[str, int]]:
    return seed_scouting_workspace(
        [
            ("Anna Berg", "trail.anna", "instagram", 50_000),
            ("Ben Brook", "trail.ben", "instagram", 8_000),
            ("Cleo Dunn", "trail.cleo", "tiktok", 300_000),
            ("Dora Zell", "city.dora", "instagram", 20_000),
        ]
    )


def _handles(page) -> list[str]:
    return page.locator("#search-results tbody td:nth-child(2) a").all_text_contents()


def test_search_filter_open_compare_shortlist_and_add_to_campaign(live_server, browser_page):
    email, ids = _seed()
    page = browser_page
    base = live_server.url

    sign_in(page, base, email)

    # search: handles starting with "trail", biggest first
    page.goto(f"{base}/creators/search/")
    page.fill("#search-handle_prefix", "trail")
    page.click("#search-filters button[type=submit]")
    page.wait_for_url(re.compile(r".*handle_prefix=trail.*"))
    assert _handles(page) == ["@trail.cleo", "@trail.anna", "@trail.ben"]
    assert page.inner_text("#search-count") == "3 creators"

    # filter: Instagram only
    page.select_option("#search-platform", "instagram")
    page.click("#search-filters button[type=submit]")
    page.wait_for_url(re.compile(r".*platform=instagram.*"))
    assert _handles(page) == ["@trail.anna", "@trail.ben"]

    # open a creator, then come back to the filtered results
    page.click("#search-results a:text('@trail.anna')")
    page.wait_for_url(f"{base}/creators/{ids['Anna Berg']}/")
    assert page.inner_text("h1") == "Anna Berg"
    page.go_back()
    page.wait_for_url(re.compile(r".*/creators/search/\?.*platform=instagram.*"))
    page.wait_for_selector(f"input[name=ids][value='{ids['Ben Brook']}']")

    # compare the two
    page.check(f"input[name=ids][value='{ids['Anna Berg']}']")
    page.check(f"input[name=ids][value='{ids['Ben Brook']}']")
    page.click("#compare-selected")
    page.wait_for_url(re.compile(r".*/creators/compare/\?ids=.*"))
    header = page.locator("#compare thead a").all_text_contents()
    assert header == ["Anna Berg", "Ben Brook"]
    assert page.locator(".chart[data-chart=compare-chart]").count() == 1

    # back on the search page, shortlist both with the bulk form
    page.go_back()
    page.wait_for_url(re.compile(r".*/creators/search/\?.*platform=instagram.*"))
    page.wait_for_selector(f"input[name=ids][value='{ids['Ben Brook']}']")
    page.check(f"input[name=ids][value='{ids['Anna Berg']}']")
    page.check(f"input[name=ids][value='{ids['Ben Brook']}']")
    page.fill("#bulk-shortlist", "Trail runners")
    page.click("#add-to-shortlist")
    page.wait_for_url(re.compile(r".*/shortlists/\d+/$"))
    entries = page.inner_text("#entries")
    assert "Anna Berg" in entries and "Ben Brook" in entries
    assert "Dora Zell" not in entries

    # add the whole shortlist to the campaign in one action
    page.click("#to-campaign")
    page.wait_for_url(re.compile(r".*/shortlists/\d+/to-campaign/$"))
    page.select_option("#campaign", label="Winter Trails")
    page.click("#content #to-campaign-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/\d+/$"))
    board = page.inner_text("#board")
    assert "Anna Berg" in board and "Ben Brook" in board
    assert "Added 2 creator(s)" in page.inner_text(".messages")
    assert sorted(Deal.objects.values_list("creator__name", flat=True)) == [
        "Anna Berg",
        "Ben Brook",
    ]
