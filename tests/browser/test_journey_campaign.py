"""Journey: create a campaign, add a creator, email them, ship product, review drafts (failing
then passing the disclosure check), go live and pay — in a real browser."""

from __future__ import annotations

import os
import re

import pytest

from infludesk.campaigns.models import Deal, Payment
from infludesk.core.models import Role
from infludesk.creators.models import Shortlist, ShortlistEntry
from tests import factories as f
from tests.browser.seeding import sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed() -> str:
    member = f.MemberFactory(
        workspace__name="Northwind", role=Role.OWNER, user__email="lead@northwind.test"
    )
    ws = member.workspace
    anna = f.CreatorFactory(
        workspace=ws, name="Anna Berg", first_name="Anna", email="anna@creators.test"
    )
    f.SocialAccountFactory(workspace=ws, creator=anna, handle="anna.runs", followers=42_000)
    shortlist = Shortlist.objects.create(workspace=ws, name="Trail runners")
    ShortlistEntry.objects.create(workspace=ws, shortlist=shortlist, creator=anna)
    return member.user.email


def _move(page, stage: str) -> None:
    page.select_option("#stage", stage)
    page.click("button[value=move]")
    page.wait_for_load_state()


def test_campaign_from_creation_to_payment(live_server, browser_page, smtp_server):
    email = _seed()
    page = browser_page
    base = live_server.url

    sign_in(page, base, email)

    # create the campaign through the form
    page.goto(f"{base}/campaigns/new/")
    page.fill("input[name=name]", "Winter Trails")
    page.fill("input[name=product]", "Trail shoes")
    page.select_option("select[name=objective]", "conversions")
    page.select_option("select[name=type]", "sponsored")
    page.select_option("select[name=status]", "active")
    page.fill("input[name=budget]", "5000")
    page.fill("input[name=currency]", "USD")
    page.click("#content form button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/\d+/$"))

    # add the shortlisted creator; open the deal from the board
    page.click("button[value=add_shortlist]")
    page.wait_for_load_state()
    page.click("#board .deal a")
    page.wait_for_url(re.compile(r".*/deals/\d+/$"))
    deal = Deal.objects.get()
    assert page.inner_text("#deal-stage") == "Prospect"

    # outreach email through the real SMTP server
    page.goto(f"{base}/outreach/deals/{deal.pk}/")
    page.fill("input[name=subject]", "{{campaign.product}} with {{creator.first_name}}?")
    page.fill("textarea[name=body]", "Hi {{creator.first_name}}, would you like to try them?")
    page.click("button[value=send]")
    page.wait_for_load_state()
    assert "Trail shoes with Anna?" in page.inner_text(".thread")
    assert [m["Subject"] for m in smtp_server.messages] == ["Trail shoes with Anna?"]

    page.goto(f"{base}/deals/{deal.pk}/")
    for stage in ("contacted", "negotiating", "contracted"):
        _move(page, stage)

    # ship the product, then mark it shipped
    page.fill("input[name=product]", "Trail shoes")
    page.select_option("select[name=status]", "shipped")
    page.fill("input[name=shipped_on]", "2026-11-20")
    page.click("button[value=shipment]")
    page.wait_for_load_state()
    _move(page, "shipped")
    _move(page, "in_review")
    assert page.inner_text("#deal-stage") == "Content in review"

    # a draft that fails the disclosure check, changes requested; then one that passes
    page.goto(f"{base}/content/deals/{deal.pk}/")
    page.fill("textarea[name=caption]", "Muddy 30k in my new shoes #sp")
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert "fails" in page.inner_text("#draft-1 .disclosure")
    page.fill("#draft-1 textarea[name=comment]", "Please put #ad up front")
    page.click("#draft-1 button[value=changes]")
    page.wait_for_load_state()
    page.fill("textarea[name=caption]", "#ad Muddy 30k in my new Northwind shoes")
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert "passes" in page.inner_text("#draft-2 .disclosure")
    page.click("#draft-2 button[value=approve]")
    page.wait_for_load_state()

    # approve, go live with the post, pay
    page.goto(f"{base}/deals/{deal.pk}/")
    _move(page, "approved")
    page.fill("input[name=url]", "https://www.instagram.com/p/WT2026abc/")
    page.fill("textarea[name=caption]", "#ad Muddy 30k in my new Northwind shoes")
    page.click("button[value=post]")
    page.wait_for_load_state()
    assert "Disclosure check passes" in page.inner_text("body")
    _move(page, "live")
    page.fill("input[name=amount]", "500")
    page.click("button[value=payment]")
    page.wait_for_load_state()
    page.click("button[value=paid]")
    page.wait_for_load_state()
    _move(page, "paid")

    assert page.inner_text("#deal-stage") == "Paid"
    deal.refresh_from_db()
    assert (deal.stage, list(Payment.objects.values_list("status", flat=True))) == (
        "paid",
        ["paid"],
    )
