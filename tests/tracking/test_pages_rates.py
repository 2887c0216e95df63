"""Exchange-rate pages: list with the workspace currency, add/edit/delete through core/rates.py
(audited), clear errors, orders without a rate, roles, isolation, pinned query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infludesk.core.models import AuditEntry, ExchangeRate
from tests import factories as f

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


def _rate(workspace, currency="EUR", rate="1.10", valid_from=dt.date(2026, 1, 1)) -> ExchangeRate:
    return ExchangeRate.objects.create(
        workspace=workspace, currency=currency, rate=Decimal(rate), valid_from=valid_from
    )


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_given_rates_when_the_page_opens_then_rows_and_workspace_currency_show(
    viewer_client, workspace
):
    # given
    _rate(workspace)
    _rate(workspace, "GBP", "1.27500000", dt.date(2026, 2, 1))
    # when
    response = viewer_client.get("/tracking/rates/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<strong id="workspace-currency">USD</strong>' in html
    assert [[c.text for c in r] for r in response.context["rows"]] == [
        ["EUR", "1.1", "2026-01-01"],
        ["GBP", "1.275", "2026-02-01"],
    ]
    assert "Add a rate" not in html  # a viewer reads only
    assert "/edit/" not in html


def test_given_rates_when_exported_then_the_csv_is_exact(owner_client, workspace):
    _rate(workspace)
    rows = _csv(owner_client.get("/tracking/rates/?format=csv")).splitlines()
    assert rows == ["currency,rate,valid_from", "EUR,1.10000000,2026-01-01"]


def test_given_a_manager_when_a_rate_is_added_then_it_is_stored_and_audited(
    manager_client, manager, workspace
):
    # when
    response = manager_client.post(
        "/tracking/rates/new/", {"currency": "eur", "rate": "1.085", "valid_from": "2026-01-01"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/tracking/rates/"
    row = ExchangeRate.objects.get()
    assert (row.workspace_id, row.currency, row.rate, row.valid_from) == (
        workspace.pk,
        "EUR",
        Decimal("1.08500000"),
        dt.date(2026, 1, 1),
    )
    entry = AuditEntry.objects.get(action="exchange_rate.create")
    assert (entry.actor_id, entry.target_id) == (manager.pk, str(row.pk))


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"currency": "EUR", "rate": "0", "valid_from": "2026-01-01"},
            {"rate": ["The rate must be more than 0."]},
        ),
        (
            {"currency": "EUR", "rate": "-1.5", "valid_from": "2026-01-01"},
            {"rate": ["The rate must be more than 0."]},
        ),
        (
            {"currency": "usd", "rate": "1", "valid_from": "2026-01-01"},
            {"currency": ["USD is the workspace currency; it needs no rate."]},
        ),
        (
            {"currency": "EUR", "rate": "abc", "valid_from": "2026-01-01"},
            {"rate": ["Enter a number."]},
        ),
        (
            {"currency": "EUR", "rate": "1.1", "valid_from": "2026-13-01"},
            {"valid_from": ["Enter a valid date."]},
        ),
        (
            {"currency": "", "rate": "1.1", "valid_from": "2026-01-01"},
            {"currency": ["This field is required."]},
        ),
    ],
)
def test_given_bad_input_when_a_rate_is_added_then_400_with_the_reason(owner_client, data, errors):
    response = owner_client.post("/tracking/rates/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert ExchangeRate.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="exchange_rate").count() == 0


def test_given_a_malformed_currency_code_then_400_names_the_field(owner_client):
    response = owner_client.post(
        "/tracking/rates/new/", {"currency": "E1R", "rate": "1.1", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "currency": ["Enter a three-letter currency code such as USD or EUR."]
    }
    assert ExchangeRate.objects.count() == 0


def test_given_a_rate_on_that_day_when_another_is_added_then_400_says_change_that_one(
    owner_client, workspace
):
    _rate(workspace)
    response = owner_client.post(
        "/tracking/rates/new/", {"currency": "EUR", "rate": "1.2", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "valid_from": ["There is already a EUR rate from 2026-01-01; change that one."]
    }
    assert list(ExchangeRate.objects.values_list("rate", flat=True)) == [Decimal("1.10000000")]


def test_given_a_rate_when_edited_then_it_changes_and_the_audit_has_before_and_after(
    owner_client, owner, workspace
):
    row = _rate(workspace)
    page = owner_client.get(f"/tracking/rates/{row.pk}/edit/")
    assert page.status_code == 200
    assert page.context["form"].initial["rate"] == Decimal("1.10000000")
    response = owner_client.post(
        f"/tracking/rates/{row.pk}/edit/",
        {"currency": "EUR", "rate": "1.2", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.rate == Decimal("1.20000000")
    entry = AuditEntry.objects.get(action="exchange_rate.update")
    assert entry.actor_id == owner.pk
    assert entry.changes == {"rate": ["1.10000000", "1.20000000"]}


def test_given_an_edit_onto_an_existing_day_then_400_and_nothing_changes(owner_client, workspace):
    _rate(workspace)
    row = _rate(workspace, valid_from=dt.date(2026, 2, 1))
    response = owner_client.post(
        f"/tracking/rates/{row.pk}/edit/",
        {"currency": "EUR", "rate": "1.3", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "valid_from": ["There is already a EUR rate from 2026-01-01; change that one."]
    }
    row.refresh_from_db()
    assert (row.rate, row.valid_from) == (Decimal("1.10000000"), dt.date(2026, 2, 1))


def test_given_a_rate_when_deleted_then_it_is_gone_and_audited(manager_client, workspace):
    row = _rate(workspace)
    response = manager_client.post(f"/tracking/rates/{row.pk}/delete/")
    assert response.status_code == 302
    assert ExchangeRate.objects.count() == 0
    entry = AuditEntry.objects.get(action="exchange_rate.delete")
    assert entry.changes["rate"] == ["1.10000000", None]


def test_given_a_viewer_then_every_rate_write_is_403_and_changes_nothing(viewer_client, workspace):
    row = _rate(workspace)
    good = {"currency": "GBP", "rate": "1.2", "valid_from": "2026-01-01"}
    assert viewer_client.get("/tracking/rates/new/").status_code == 403
    assert viewer_client.post("/tracking/rates/new/", good).status_code == 403
    assert viewer_client.get(f"/tracking/rates/{row.pk}/edit/").status_code == 403
    assert viewer_client.post(f"/tracking/rates/{row.pk}/edit/", good).status_code == 403
    assert viewer_client.post(f"/tracking/rates/{row.pk}/delete/").status_code == 403
    assert list(ExchangeRate.objects.values_list("currency", "rate")) == [
        ("EUR", Decimal("1.10000000"))
    ]


def test_given_another_workspaces_rate_then_it_is_404_and_never_listed(
    owner_client, workspace, other_workspace
):
    theirs = _rate(other_workspace, "JPY", "0.0067")
    assert owner_client.get(f"/tracking/rates/{theirs.pk}/edit/").status_code == 404
    good = {"currency": "JPY", "rate": "1", "valid_from": "2026-01-01"}
    assert owner_client.post(f"/tracking/rates/{theirs.pk}/edit/", good).status_code == 404
    assert owner_client.post(f"/tracking/rates/{theirs.pk}/delete/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.rate == Decimal("0.00670000")
    rows = _csv(owner_client.get("/tracking/rates/?format=csv")).splitlines()
    assert rows == ["currency,rate,valid_from"]


def test_given_orders_without_a_rate_then_the_rate_page_names_them_with_an_add_link(
    owner_client, workspace
):
    # given: EUR orders from 2026-03-10 and a rate only from 2026-04-01; GBP covered
    f.OrderFactory(workspace=workspace, currency="EUR", placed_at=T0)
    f.OrderFactory(workspace=workspace, currency="GBP", placed_at=T0)
    f.OrderFactory(workspace=workspace, currency="USD", placed_at=T0)
    _rate(workspace, "EUR", "1.1", dt.date(2026, 4, 1))
    _rate(workspace, "GBP", "1.3", dt.date(2026, 1, 1))
    # when
    response = owner_client.get("/tracking/rates/")
    # then
    assert response.context["missing"] == [{"currency": "EUR", "since": dt.date(2026, 3, 10)}]
    html = response.content.decode()
    assert "EUR: orders from 2026-03-10 have no rate into USD." in html
    assert '<a href="/tracking/rates/new/?currency=EUR">Add a EUR rate</a>' in html
    # the add form starts with that currency
    form = owner_client.get("/tracking/rates/new/?currency=EUR").context["form"]
    assert form["currency"].value() == "EUR"


def test_given_an_order_without_a_rate_then_the_orders_page_says_so_and_links_to_rates(
    viewer_client, workspace
):
    # given
    f.OrderFactory(workspace=workspace, external_id="e1", currency="EUR", placed_at=T0)
    f.OrderFactory(workspace=workspace, external_id="g1", currency="GBP", placed_at=T0)
    _rate(workspace, "GBP", "1.25", dt.date(2026, 1, 1))
    # when
    response = viewer_client.get("/tracking/orders/?sort=id")
    # then: GBP 120.00 x 1.25 = 150.00 USD; EUR has no rate
    html = response.content.decode()
    assert '<th class="num">' in html and "Net in USD" in html
    assert '<td class="num">150.00</td>' in html
    assert '<td class="num"><a href="/tracking/rates/?currency=EUR">no rate</a></td>' in html
    assert (
        "EUR orders from 2026-03-10 have no exchange rate into USD, so their net in USD is not "
        'known. <a href="/tracking/rates/">Maintain the exchange rates</a>.'
    ) in html


def test_given_the_orders_and_tracking_pages_then_they_link_to_the_rates(owner_client):
    assert 'href="/tracking/rates/"' in owner_client.get("/tracking/orders/").content.decode()
    assert 'href="/tracking/rates/"' in owner_client.get("/tracking/").content.decode()
    settings_page = owner_client.get("/account/settings/").content.decode()
    assert 'href="/tracking/rates/"' in settings_page


def test_given_more_rates_then_the_rate_page_query_count_is_pinned(owner_client, workspace):
    _rate(workspace)
    f.OrderFactory(workspace=workspace, currency="EUR", placed_at=T0)
    with CaptureQueriesContext(connection) as small:
        owner_client.get("/tracking/rates/")
    for n in range(10):
        _rate(workspace, "GBP", "1.2", dt.date(2025, 1, 1) + dt.timedelta(days=n))
        f.OrderFactory(workspace=workspace, currency="JPY", placed_at=T0)
    with CaptureQueriesContext(connection) as big:
        owner_client.get("/tracking/rates/")
    assert len(small) == len(big)
