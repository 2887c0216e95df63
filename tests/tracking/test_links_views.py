"""Tracked link pages: detail, QR codes and status change, per workspace and role."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infludesk.core.models import AuditEntry
from infludesk.tracking.links import redirect_target
from infludesk.tracking.models import LinkStatus, TrackedLink
from tests.factories import (
    ClickFactory,
    CreatorFactory,
    DealFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
)


@pytest.fixture(autouse=True)
def _click_dir(settings, tmp_path):
    settings.CLICK_LOG_DIR = str(tmp_path)


@pytest.fixture
def link(workspace):
    return TrackedLinkFactory(creator__workspace=workspace, slug="Ab12Cd34")


@pytest.fixture
def foreign_link(other_workspace):
    return TrackedLinkFactory(creator__workspace=other_workspace, slug="Zz99Yy88")


def test_given_a_member_when_opening_the_link_page_then_short_url_is_shown(viewer_client, link):
    response = viewer_client.get(f"/tracking/links/{link.pk}/")
    assert response.status_code == 200
    assert '<code id="short-url">http://127.0.0.1:8000/l/Ab12Cd34</code>' in response.text


def test_given_another_workspaces_link_when_opening_its_page_then_404(owner_client, foreign_link):
    assert owner_client.get(f"/tracking/links/{foreign_link.pk}/").status_code == 404


@pytest.mark.parametrize(("fmt", "content_type"), [("svg", "image/svg+xml"), ("png", "image/png")])
def test_given_a_member_when_downloading_qr_then_image_of_that_type(
    viewer_client, link, fmt, content_type
):
    response = viewer_client.get(f"/tracking/links/{link.pk}/qr.{fmt}")
    assert (response.status_code, response["Content-Type"]) == (200, content_type)


def test_given_another_workspaces_link_when_downloading_qr_then_404(owner_client, foreign_link):
    assert owner_client.get(f"/tracking/links/{foreign_link.pk}/qr.svg").status_code == 404


def test_given_an_unknown_qr_format_then_404(owner_client, link):
    assert owner_client.get(f"/tracking/links/{link.pk}/qr.gif").status_code == 404


def test_given_anonymous_when_downloading_qr_then_sent_to_login(client, link):
    response = client.get(f"/tracking/links/{link.pk}/qr.svg")
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/account/login/")


def test_given_a_manager_when_pausing_with_fallback_then_link_is_paused(manager_client, link):
    response = manager_client.post(
        f"/tracking/links/{link.pk}/status/",
        {"status": "paused", "fallback_url": "https://shop.example.com/"},
    )
    link.refresh_from_db()
    assert (response.status_code, link.status) == (302, LinkStatus.PAUSED)


def test_given_a_viewer_when_changing_status_then_403_and_unchanged(viewer_client, link):
    response = viewer_client.post(f"/tracking/links/{link.pk}/status/", {"status": "disabled"})
    link.refresh_from_db()
    assert (response.status_code, link.status) == (403, LinkStatus.ACTIVE)


def test_given_pause_without_fallback_then_400_with_reason(manager_client, link):
    response = manager_client.post(f"/tracking/links/{link.pk}/status/", {"status": "paused"})
    assert (response.status_code, response.text) == (
        400,
        "fallback_url: A paused link needs a fallback URL.",
    )


def test_given_an_unknown_status_then_400_with_reason(manager_client, link):
    response = manager_client.post(f"/tracking/links/{link.pk}/status/", {"status": "gone"})
    assert (response.status_code, response.text) == (400, "status: Unknown status 'gone'.")


def test_given_another_workspaces_link_when_changing_status_then_404_and_unchanged(
    owner_client, foreign_link
):
    response = owner_client.post(
        f"/tracking/links/{foreign_link.pk}/status/", {"status": "disabled"}
    )
    foreign_link.refresh_from_db()
    assert (response.status_code, foreign_link.status) == (404, LinkStatus.ACTIVE)


# --- editing destination and UTM; a link for a creator outside any deal -----------------------

EDIT = {
    "destination_url": "https://shop.example.com/sale",
    "utm_source": "instagram",
    "utm_medium": "creator",
    "utm_campaign": "",
    "utm_content": "anna",
}


def test_given_a_manager_when_utm_is_edited_then_the_target_follows_and_it_is_audited(
    manager_client, manager, link
):

    response = manager_client.post(f"/tracking/links/{link.pk}/edit/", EDIT)

    link.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, f"/tracking/links/{link.pk}/")
    assert redirect_target(link, "CID") == (
        "https://shop.example.com/sale?utm_source=instagram&utm_medium=creator"
        "&utm_content=anna&ifd_click=CID"
    )
    entry = AuditEntry.objects.get(action="tracked_link.update")
    assert (entry.actor_id, entry.changes["utm_medium"]) == (manager.pk, ["influencer", "creator"])


def test_given_a_bad_destination_when_edited_then_400_with_the_reason_and_unchanged(
    manager_client, link
):
    response = manager_client.post(
        f"/tracking/links/{link.pk}/edit/", {**EDIT, "destination_url": "shop"}
    )
    link.refresh_from_db()
    assert (response.status_code, response.text) == (
        400,
        "destination_url: Enter a full http:// or https:// address.",
    )
    assert link.destination_url == "https://shop.example.com/products/trail-shoes"


def test_given_a_viewer_or_another_workspace_when_editing_then_refused_and_unchanged(
    viewer_client, owner_client, link, foreign_link
):
    assert viewer_client.post(f"/tracking/links/{link.pk}/edit/", EDIT).status_code == 403
    assert owner_client.post(f"/tracking/links/{foreign_link.pk}/edit/", EDIT).status_code == 404
    link.refresh_from_db()
    foreign_link.refresh_from_db()
    assert {link.utm_medium, foreign_link.utm_medium} == {"influencer"}


def test_given_a_creator_when_a_link_is_made_outside_a_deal_then_utm_defaults_apply(
    workspace, manager_client
):

    account = SocialAccountFactory(
        creator__workspace=workspace, platform="youtube", handle="annaruns"
    )
    response = manager_client.post(
        "/tracking/links/new/",
        {
            "creator": account.creator_id,
            "destination_url": "https://shop.example.com/",
            "utm_campaign": "evergreen",
        },
    )
    created = TrackedLink.objects.get(creator=account.creator)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/tracking/links/{created.pk}/",
    )
    assert (
        created.deal_id,
        created.utm_source,
        created.utm_medium,
        created.utm_campaign,
        created.utm_content,
    ) == (None, "youtube", "influencer", "evergreen", "annaruns")


def test_given_bad_input_or_a_foreign_creator_when_making_a_link_then_400_and_nothing(
    workspace, other_workspace, manager_client
):

    mine = CreatorFactory(workspace=workspace)
    foreign = CreatorFactory(workspace=other_workspace)
    bad_url = manager_client.post(
        "/tracking/links/new/", {"creator": mine.pk, "destination_url": "nope"}
    )
    other = manager_client.post(
        "/tracking/links/new/", {"creator": foreign.pk, "destination_url": "https://a.test/"}
    )
    assert (bad_url.status_code, other.status_code) == (400, 400)
    assert "destination_url: Enter a full http:// or https:// address." in bad_url.text
    assert "creator: Pick a creator of this workspace." in other.text
    assert TrackedLink.objects.count() == 0


def test_given_a_viewer_then_the_new_link_page_is_forbidden(viewer_client):
    assert viewer_client.get("/tracking/links/new/").status_code == 403


# --- the list of tracked links ----------------------------------------------------------------


def test_given_links_then_the_list_shows_this_workspaces_with_human_clicks_and_csv(
    workspace, viewer_client, link, foreign_link
):
    ClickFactory(link=link)
    ClickFactory(link=link, is_bot=True)
    paused = TrackedLinkFactory(
        creator__workspace=workspace, slug="Pp00Qq11", status=LinkStatus.PAUSED
    )

    page = viewer_client.get("/tracking/links/")
    csv_response = viewer_client.get("/tracking/links/?format=csv&sort=slug")
    csv_rows = b"".join(csv_response.streaming_content).decode()
    only_paused = viewer_client.get("/tracking/links/?status=paused")

    assert page.status_code == 200
    assert "/l/Ab12Cd34" in page.text and "/l/Zz99Yy88" not in page.text
    assert [line.split(",")[0] for line in csv_rows.splitlines()] == [
        "slug",
        "/l/Ab12Cd34",
        "/l/Pp00Qq11",
    ]
    assert csv_rows.splitlines()[1].split(",")[5] == "1"  # the bot click is not counted
    assert "/l/Pp00Qq11" in only_paused.text and "/l/Ab12Cd34" not in only_paused.text
    assert paused.pk != link.pk


def test_given_more_links_then_the_list_query_count_is_pinned(workspace, owner_client):
    TrackedLinkFactory(creator__workspace=workspace)
    with CaptureQueriesContext(connection) as small:
        owner_client.get("/tracking/links/")
    for _ in range(8):
        deal = DealFactory(workspace=workspace)
        TrackedLinkFactory(workspace=workspace, creator=deal.creator, deal=deal)
    with CaptureQueriesContext(connection) as big:
        owner_client.get("/tracking/links/")
    assert len(small) == len(big)
