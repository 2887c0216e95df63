"""Codes made from campaign defaults with "push new codes to store X": queued after commit,
created in the store by the background task exactly once, failures kept and shown on the deal
with a retry button; against the local fake store server."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infludesk.core.models import AuditEntry
from infludesk.tracking.codes import code_push_attempt
from infludesk.tracking.defaults import campaign_tracking_save
from infludesk.tracking.models import CampaignTracking, CodePush, DiscountCode, StoreConnection
from tests.connectors.conftest import fake_store  # noqa: F401  (the local store server)
from tests.factories import CampaignFactory, CreatorFactory, DealFactory
from tests.tracking.test_webhooks_processing import database_tasks, run_queued_tasks  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks")]
LANDING = "https://shop.example.com/products/trail"
RULES = "/admin/api/2026-04/price_rules.json"
CODES = "/admin/api/2026-04/price_rules/507328175/discount_codes.json"
FORM = {
    "destination_url": "",
    "utm_medium": "influencer",
    "utm_campaign": "",
    "discount_kind": "percent",
    "discount_value": "15",
    "code_pattern": "readable",
    "code_prefix": "",
    "valid_from": "",
    "valid_until": "",
}


def _store(workspace, platform="shopify", url="http://127.0.0.1:9", **extra) -> StoreConnection:
    fields = {"api_token": "shpat_x" if platform == "shopify" else "ck:cs", **extra}
    return StoreConnection.objects.create(
        workspace=workspace,
        platform=platform,
        public_key=f"k-{platform}-{workspace.slug}-{StoreConnection.objects.count()}",
        secret="s" * 10,
        api_url=url,
        shop_domain="acme.myshopify.com",
        **fields,
    )


def _accepts(store_server) -> None:
    store_server.reply("POST", RULES, status=201, body={"price_rule": {"id": 507328175}})
    store_server.reply(
        "POST", CODES, status=201, body={"discount_code": {"id": 9, "code": "ANNA15"}}
    )


def _actions(workspace) -> list[str]:
    return list(
        AuditEntry.objects.filter(workspace=workspace, action__startswith="discount_code.push")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def _queued() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, name="Winter trails", slug="winter-trails")


def test_given_push_to_a_store_on_the_defaults_page_when_a_deal_is_added_then_its_code_is_pushed_once(  # noqa: E501
    workspace,
    campaign,
    manager_client,
    django_capture_on_commit_callbacks,
    fake_store,  # noqa: F811
):
    # given the defaults saved on the page with a store to push to
    store = _store(workspace, url=fake_store.url)
    response = manager_client.post(
        f"/tracking/campaigns/{campaign.pk}/defaults/", {**FORM, "push_store": store.pk}
    )
    assert response.status_code == 302
    assert CampaignTracking.objects.get().push_store_id == store.pk
    # when a deal is added (its code is made by the post_save receiver)
    with django_capture_on_commit_callbacks(execute=True):
        deal = DealFactory(workspace=workspace, campaign=campaign, creator__name="Anna Berg")
    # then the push is queued, not yet sent
    push = CodePush.objects.get()
    assert (push.code.code, push.code.deal_id, push.status) == ("ANNA15", deal.pk, "pending")
    assert fake_store.seen == []
    # and the worker creates it in the store
    _accepts(fake_store)
    assert run_queued_tasks() == ["pushed"]
    push.refresh_from_db()
    assert (push.status, push.remote_id, push.attempts, push.error) == (
        "pushed",
        "507328175",
        1,
        "",
    )
    assert [s.path for s in fake_store.seen] == [RULES, CODES]
    # a second run of the same task never pushes twice
    assert code_push_attempt(push_id=push.pk) == "pushed"
    assert len(fake_store.seen) == 2
    assert _actions(workspace) == ["discount_code.push_queued", "discount_code.push"]
    # the deal shows where the code is
    html = manager_client.get(f"/tracking/deals/{deal.pk}/").content.decode()
    assert "· in Shopify acme.myshopify.com (id 507328175)" in html
    # and a manual push to the same store is refused without calling it
    again = manager_client.post(f"/tracking/codes/{push.code_id}/push/", {"store": store.pk})
    assert again.status_code == 400
    assert again.context["push_error"] == (
        "Not pushed: ANNA15 is already in this store (id 507328175); it is never created twice."
    )
    assert len(fake_store.seen) == 2


def test_given_the_store_refuses_then_the_failure_shows_on_the_deal_and_a_retry_pushes_it(
    workspace,
    campaign,
    manager_client,
    django_capture_on_commit_callbacks,
    fake_store,  # noqa: F811
):
    # given
    store = _store(workspace, url=fake_store.url)
    campaign_tracking_save(
        campaign=campaign, by=None, discount_value=Decimal("15"), push_store=store
    )
    fake_store.reply("POST", RULES, status=422, body={"errors": {"title": ["is invalid"]}})
    with django_capture_on_commit_callbacks(execute=True):
        deal = DealFactory(workspace=workspace, campaign=campaign, creator__name="Anna Berg")
    # when the worker runs
    assert run_queued_tasks() == ["failed"]
    # then the failure is kept with the store's answer and shown with a retry button
    push = CodePush.objects.get()
    assert (push.status, push.attempts) == ("failed", 1)
    assert push.error.startswith(f"The store did not accept the code: POST {fake_store.url}{RULES}")
    assert "answered 422" in push.error
    html = manager_client.get(f"/tracking/deals/{deal.pk}/").content.decode()
    assert "push to Shopify acme.myshopify.com failed</strong> (attempt 1)" in html
    assert f'action="/tracking/pushes/{push.pk}/retry/"' in html
    # when the store is fixed and the retry button pressed
    fake_store.routes.clear()
    _accepts(fake_store)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/tracking/pushes/{push.pk}/retry/")
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert CodePush.objects.get().status == "pending"
    assert run_queued_tasks() == ["pushed"]
    push.refresh_from_db()
    assert (push.status, push.attempts, push.error) == ("pushed", 2, "")
    assert _actions(workspace) == [
        "discount_code.push_queued",
        "discount_code.push_failed",
        "discount_code.push_retry",
        "discount_code.push",
    ]
    # a retry of a pushed code changes nothing
    manager_client.post(f"/tracking/pushes/{push.pk}/retry/")
    assert run_queued_tasks() == []
    assert CodePush.objects.get().status == "pushed"


def test_given_no_push_store_then_codes_from_defaults_are_not_pushed(workspace, campaign):
    campaign_tracking_save(campaign=campaign, by=None, discount_value=Decimal("15"))
    DealFactory(workspace=workspace, campaign=campaign, creator__name="Anna Berg")
    assert DiscountCode.objects.count() == 1
    assert CodePush.objects.count() == 0


def test_given_a_deal_made_twice_from_defaults_then_one_push_per_code_and_store(
    workspace,
    campaign,
    django_capture_on_commit_callbacks,
):
    store = _store(workspace)
    campaign_tracking_save(
        campaign=campaign, by=None, discount_value=Decimal("15"), push_store=store
    )
    with django_capture_on_commit_callbacks(execute=True):
        DealFactory(workspace=workspace, campaign=campaign, creator__name="Anna Berg")
        # saving the defaults again fills nothing new, so queues nothing new
        campaign_tracking_save(
            campaign=campaign, by=None, discount_value=Decimal("15"), push_store=store
        )
    assert CodePush.objects.count() == 1
    assert _queued() == 1


@pytest.mark.parametrize("kind", ["csv", "no_token", "other_workspace"])
def test_given_a_store_that_cannot_take_codes_then_the_defaults_refuse_it(
    workspace, other_workspace, campaign, manager_client, kind
):
    store = {
        "csv": lambda: _store(workspace, "csv", api_token=""),
        "no_token": lambda: _store(workspace, api_token=""),
        "other_workspace": lambda: _store(other_workspace),
    }[kind]()
    response = manager_client.post(
        f"/tracking/campaigns/{campaign.pk}/defaults/", {**FORM, "push_store": store.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "push_store": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert CampaignTracking.objects.count() == 0


def test_given_the_service_with_a_csv_store_then_a_field_error(workspace, campaign):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        campaign_tracking_save(
            campaign=campaign,
            by=None,
            discount_value=Decimal("15"),
            push_store=_store(workspace, "csv", api_token=""),
        )
    assert caught.value.message_dict == {
        "push_store": ["codes can be created only in Shopify and WooCommerce stores"]
    }


def test_given_a_viewer_or_another_workspace_then_retry_is_refused(
    workspace, other_workspace, viewer_client, owner_client
):
    creator = CreatorFactory(workspace=other_workspace, name="Zoe")
    theirs = CodePush.objects.create(
        workspace=other_workspace,
        code=DiscountCode.objects.create(workspace=other_workspace, creator=creator, code="ZOE15"),
        store=_store(other_workspace),
        status="failed",
    )
    mine_code = DiscountCode.objects.create(
        workspace=workspace, creator=CreatorFactory(workspace=workspace), code="ANNA15"
    )
    mine = CodePush.objects.create(
        workspace=workspace, code=mine_code, store=_store(workspace), status="failed"
    )
    assert owner_client.post(f"/tracking/pushes/{theirs.pk}/retry/").status_code == 404
    assert viewer_client.post(f"/tracking/pushes/{mine.pk}/retry/").status_code == 403
    assert sorted(CodePush.objects.values_list("status", flat=True)) == ["failed", "failed"]
    assert _queued() == 0
