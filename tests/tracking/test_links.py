"""Tracked link service: slugs, UTM defaults and overrides, the exact redirect target, edits."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from infludesk.core.models import AuditEntry
from infludesk.creators.models import Platform
from infludesk.tracking import links
from infludesk.tracking.links import (
    new_click_id,
    new_slug,
    redirect_target,
    redirect_target_parts,
    tracked_link_create,
    tracked_link_qr,
    tracked_link_set_status,
    tracked_link_update,
)
from infludesk.tracking.models import LinkStatus
from tests.factories import CampaignFactory, CreatorFactory, DealFactory, SocialAccountFactory

DEST = "https://shop.example.com/products/trail-shoes"


@pytest.fixture(autouse=True)
def _click_dir(settings, tmp_path):
    settings.CLICK_LOG_DIR = str(tmp_path)


@pytest.fixture
def anna(workspace):
    creator = CreatorFactory(workspace=workspace, name="Anna Berg")
    SocialAccountFactory(workspace=workspace, creator=creator, handle="anna.runs")
    SocialAccountFactory(
        workspace=workspace, creator=creator, handle="annaberg", platform=Platform.TIKTOK
    )
    return creator


def test_given_many_new_slugs_then_each_is_8_url_safe_alphanumerics_and_distinct():
    slugs = [new_slug() for _ in range(2000)]
    assert all(re.fullmatch(r"[A-Za-z0-9]{8}", s) for s in slugs)
    assert len(set(slugs)) == 2000


def test_given_click_ids_then_each_is_16_url_safe_characters_and_distinct():
    ids = [new_click_id() for _ in range(2000)]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", i) for i in ids)
    assert len(set(ids)) == 2000


def test_given_a_taken_slug_when_creating_then_another_slug_is_drawn(
    workspace, anna, owner, monkeypatch
):
    first = tracked_link_create(workspace=workspace, creator=anna, destination_url=DEST, by=owner)
    drawn = iter([first.slug, "Zz9Zz9Zz"])
    monkeypatch.setattr(links, "new_slug", lambda: next(drawn))
    second = tracked_link_create(workspace=workspace, creator=anna, destination_url=DEST, by=owner)
    assert second.slug == "Zz9Zz9Zz"


def test_given_a_deal_when_creating_then_utm_comes_from_deal_account_and_campaign(
    workspace, anna, owner
):
    tiktok = anna.accounts.get(platform=Platform.TIKTOK)
    campaign = CampaignFactory(workspace=workspace, slug="spring-trail")
    deal = DealFactory(workspace=workspace, campaign=campaign, creator=anna, account=tiktok)
    link = tracked_link_create(
        workspace=workspace, creator=anna, deal=deal, destination_url=DEST, by=owner
    )
    assert redirect_target(link, "CLICK123") == (
        "https://shop.example.com/products/trail-shoes?utm_source=tiktok&utm_medium=influencer"
        "&utm_campaign=spring-trail&utm_content=annaberg&ifd_click=CLICK123"
    )


def test_given_no_deal_when_creating_then_creators_first_account_fills_utm(workspace, anna, owner):
    link = tracked_link_create(workspace=workspace, creator=anna, destination_url=DEST, by=owner)
    assert (link.utm_source, link.utm_medium, link.utm_campaign, link.utm_content) == (
        "instagram",
        "influencer",
        "",
        "anna.runs",
    )


def test_given_overrides_when_creating_then_they_win_and_empty_leaves_a_parameter_out(
    workspace, anna, owner
):
    link = tracked_link_create(
        workspace=workspace,
        creator=anna,
        destination_url=DEST,
        by=owner,
        utm_source="ig story",
        utm_content="",
    )
    assert redirect_target(link, "c1") == (
        f"{DEST}?utm_source=ig%20story&utm_medium=influencer&ifd_click=c1"
    )


def test_given_a_destination_with_query_and_fragment_then_both_are_kept_and_ours_replaced():
    prefix, suffix = redirect_target_parts(
        destination_url="https://shop.test/p?size=42&utm_source=old&ifd_click=stale#reviews",
        utm={"utm_source": "instagram", "utm_medium": "influencer", "utm_campaign": ""},
    )
    assert prefix + "X" + suffix == (
        "https://shop.test/p?size=42&utm_source=instagram&utm_medium=influencer&ifd_click=X#reviews"
    )


def test_given_a_unicode_destination_then_the_target_is_ascii():
    prefix, _ = redirect_target_parts(destination_url="https://shop.test/größe", utm={})
    assert prefix == "https://shop.test/gr%C3%B6%C3%9Fe?ifd_click="


def test_given_another_workspaces_creator_when_creating_then_it_is_refused(
    workspace, other_workspace, owner
):
    stranger = CreatorFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as err:
        tracked_link_create(workspace=workspace, creator=stranger, destination_url=DEST, by=owner)
    assert err.value.message_dict == {"creator": ["This creator belongs to another workspace."]}


def test_given_a_non_http_destination_when_creating_then_it_is_refused(workspace, anna, owner):
    with pytest.raises(ValidationError) as err:
        tracked_link_create(
            workspace=workspace, creator=anna, destination_url="javascript:alert(1)", by=owner
        )
    assert err.value.message_dict == {
        "destination_url": ["Enter a full http:// or https:// address."]
    }


def test_given_a_link_when_created_then_an_audit_entry_names_it(workspace, anna, owner):
    link = tracked_link_create(workspace=workspace, creator=anna, destination_url=DEST, by=owner)
    entry = AuditEntry.objects.get(workspace=workspace)
    assert (entry.action, entry.target_id, entry.actor_id) == (
        "tracked_link.create",
        str(link.pk),
        owner.pk,
    )


def test_given_a_link_when_utm_edited_then_target_changes_and_audit_has_before_after(
    workspace, anna, owner
):
    link = tracked_link_create(workspace=workspace, creator=anna, destination_url=DEST, by=owner)
    tracked_link_update(link=link, by=owner, utm_campaign="black-friday")
    assert redirect_target(link, "c") == (
        f"{DEST}?utm_source=instagram&utm_medium=influencer&utm_campaign=black-friday"
        "&utm_content=anna.runs&ifd_click=c"
    )
    entry = AuditEntry.objects.get(action="tracked_link.update")
    assert entry.changes == {"utm_campaign": ["", "black-friday"]}


def test_given_no_fallback_when_pausing_then_it_is_refused(workspace, anna, owner):
    link = tracked_link_create(workspace=workspace, creator=anna, destination_url=DEST, by=owner)
    with pytest.raises(ValidationError) as err:
        tracked_link_set_status(link=link, status=LinkStatus.PAUSED, by=owner)
    assert err.value.message_dict == {"fallback_url": ["A paused link needs a fallback URL."]}


def test_given_a_fallback_when_pausing_then_status_and_fallback_are_saved(workspace, anna, owner):
    link = tracked_link_create(workspace=workspace, creator=anna, destination_url=DEST, by=owner)
    tracked_link_set_status(
        link=link, status=LinkStatus.PAUSED, by=owner, fallback_url="https://shop.example.com/"
    )
    link.refresh_from_db()
    assert (link.status, link.fallback_url) == ("paused", "https://shop.example.com/")


def test_given_a_link_when_qr_rendered_then_svg_and_png_are_returned(workspace, anna, owner):
    link = tracked_link_create(workspace=workspace, creator=anna, destination_url=DEST, by=owner)
    svg = tracked_link_qr(link, fmt="svg")
    png = tracked_link_qr(link, fmt="png")
    assert (svg[:5], png[:8]) == (b"<?xml", b"\x89PNG\r\n\x1a\n")
