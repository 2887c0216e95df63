"""Tracked link pages: detail, QR codes and status change, per workspace and role."""

from __future__ import annotations

import pytest

from infludesk.tracking.models import LinkStatus
from tests.factories import TrackedLinkFactory


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
