"""Journey in chromium: an owner invites a teammate by email, the teammate joins from the
link, and the owner makes an API token that is shown once."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from infludesk.core.models import Member, Role
from tests import factories as f
from tests.browser.conftest import ARGS, CHROMIUM  # one browser setup for the whole suite

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (CI=true requires the browser)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
            # the test's queries while Playwright's loop ran hold a connection of their own
            # context; close it, or PostgreSQL cannot drop the test database at the end
            from django.db import connections

            connections.close_all()


def _page(browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    return page


def test_invite_a_teammate_who_joins_then_make_an_api_token(live_server, browser, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    owner = f.MemberFactory(
        workspace__name="Team Outdoor", role=Role.OWNER, user__email="lead@acme.test"
    )
    base = live_server.url

    # the owner signs in and invites a teammate as manager
    page = _page(browser)
    page.goto(f"{base}/account/login/")
    page.fill("input[name=username]", "lead@acme.test")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/account/settings/")
    page.fill("#invitations input[name=email]", "mate@acme.test")
    page.select_option("#invitations select[name=role]", "manager")
    page.click("#invitations button:has-text('Send invitation')")
    assert "Invitation sent to mate@acme.test." in page.locator(".messages").inner_text()

    # the teammate opens the emailed link in another browser and creates an account
    link = re.search(r"https?://\S+/account/invitations/accept/\S+/", mail.outbox[0].body)
    assert link is not None
    mate = _page(browser)
    mate.goto(base + urlsplit(link.group(0)).path)
    mate.fill("input[name=full_name]", "Mia Mate")
    mate.fill("input[name=password1]", "long-enough-pass-7")
    mate.fill("input[name=password2]", "long-enough-pass-7")
    mate.click("button:has-text('Create account and join')")
    mate.wait_for_url(f"{base}/")
    assert "Welcome to Team Outdoor." in mate.locator(".messages").inner_text()
    assert Member.objects.get(user__email="mate@acme.test").role == "manager"

    # the owner sees the new member and creates an API token, shown once
    page.goto(f"{base}/account/settings/")
    assert "mate@acme.test" in page.locator("#members").inner_text()
    page.fill("#tokens input[name=name]", "Shop sync")
    page.click("#tokens button:has-text('Create token')")
    token = page.locator("#new-token").inner_text()
    assert re.fullmatch(r"ifd_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", token)
    page.goto(f"{base}/account/settings/")
    assert page.locator("#new-token").count() == 0
    assert token not in page.content()
    assert owner.api_tokens.get().name == "Shop sync"
