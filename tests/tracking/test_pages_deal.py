"""A deal's tracked link and discount code, created from the deal page."""

from __future__ import annotations

from infludesk.tracking.models import DiscountCode, TrackedLink
from tests.factories import CreatorFactory, DealFactory


def _deal(workspace):
    creator = CreatorFactory(workspace=workspace, name="Anna Berg", first_name="Anna")
    return DealFactory(workspace=workspace, creator=creator, campaign__slug="winter-trails")


def test_given_a_destination_when_a_link_is_created_then_it_belongs_to_the_deal(
    workspace, manager_client
):
    deal = _deal(workspace)
    response = manager_client.post(
        f"/tracking/deals/{deal.pk}/link/",
        {"destination_url": "https://shop.example.com/products/trail"},
        follow=True,
    )
    link = TrackedLink.objects.get()
    assert (link.deal_id, link.creator_id, link.utm_campaign) == (
        deal.pk,
        deal.creator_id,
        "winter-trails",
    )
    assert f"/l/{link.slug} created." in [str(m) for m in response.context["messages"]][-1]
    partial = manager_client.get(f"/tracking/deals/{deal.pk}/")
    assert f"/l/{link.slug}".encode() in partial.content


def test_given_no_code_when_created_then_the_readable_pattern_is_used(workspace, manager_client):
    deal = _deal(workspace)
    manager_client.post(f"/tracking/deals/{deal.pk}/code/", {"value": "15", "kind": "percent"})
    assert list(DiscountCode.objects.values_list("code", "deal_id")) == [("ANNA15", deal.pk)]


def test_given_bad_input_then_an_error_message_and_nothing_saved(workspace, manager_client):
    deal = _deal(workspace)
    response = manager_client.post(
        f"/tracking/deals/{deal.pk}/link/", {"destination_url": "not a url"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]][-1].startswith("Link: ")
    manager_client.post(f"/tracking/deals/{deal.pk}/code/", {"value": "lots"})
    assert (TrackedLink.objects.count(), DiscountCode.objects.count()) == (0, 0)


def test_given_a_viewer_or_another_workspace_then_refused(
    workspace, other_workspace, viewer_client, owner_client
):
    deal = _deal(workspace)
    assert (
        viewer_client.post(f"/tracking/deals/{deal.pk}/code/", {"value": "10"}).status_code == 403
    )
    foreign = DealFactory(workspace=other_workspace)
    assert owner_client.get(f"/tracking/deals/{foreign.pk}/").status_code == 404
    assert (
        owner_client.post(f"/tracking/deals/{foreign.pk}/code/", {"value": "10"}).status_code == 404
    )
    assert DiscountCode.objects.count() == 0
