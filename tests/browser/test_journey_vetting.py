"""Journey: sign in, filter the creators list, open a creator, compare two, put them on a
shortlist, add the shortlist to a campaign and see the deals on the campaign's board."""

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
            ("Anna Berg", "anna.runs", "instagram", 50_000),
            ("Ben Brook", "ben.trails", "instagram", 8_000),
            ("Cleo Dunn", "cleo.dances", "tiktok", 300_000),
        ]
    )


def test_vet_compare_shortlist_and_add_to_campaign(live_server, browser_page):
    email, ids = _seed()
    page = browser_page
    base = live_server.url

    sign_in(page, base, email)

    # the creators list, filtered to Instagram (the table reloads in place)
    page.goto(f"{base}/creators/")
    assert "Cleo Dunn" in page.inner_text("#list-table")
    page.select_option("select[name=platform]", "instagram")
    page.wait_for_function("!document.querySelector('#list-table').innerText.includes('Cleo')")
    assert "platform=instagram" in page.url

    # open a creator, then come back to the filtered list
    page.click("#list-table a:text('Anna Berg')")
    page.wait_for_url(f"{base}/creators/{ids['Anna Berg']}/")
    assert page.inner_text("h1") == "Anna Berg"
    page.go_back()
    page.wait_for_selector(f"input[name=ids][value='{ids['Ben Brook']}']")

    # compare the two Instagram creators
    page.check(f"input[name=ids][value='{ids['Anna Berg']}']")
    page.check(f"input[name=ids][value='{ids['Ben Brook']}']")
    page.click("#compare-selected")
    page.wait_for_url(re.compile(r".*/creators/compare/\?ids=.*"))
    # text_content: the table heading is upper-cased by CSS
    header = page.locator("#compare thead a").all_text_contents()
    assert header == ["Anna Berg", "Ben Brook"]
    assert page.locator(".chart[data-chart=compare-chart]").count() == 1

    # put both on a new shortlist from the compare page
    page.fill("#compare-shortlist-name", "Trail runners")
    page.click("#content #compare-shortlist button[type=submit]")
    page.wait_for_url(re.compile(r".*/shortlists/\d+/$"))
    entries = page.inner_text("#entries")
    assert "Anna Berg" in entries and "Ben Brook" in entries
    assert "100.00 \u2013 500.00 USD" in entries  # Anna is micro: a feed post costs 100-500

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
