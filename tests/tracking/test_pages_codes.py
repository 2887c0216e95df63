"""Discount code pages: list, create one, create a batch, batch CSV; roles, errors, isolation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infludesk.tracking.models import DiscountCode
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(workspace):
    return f.CreatorFactory(workspace=workspace, name="Anna Berg", first_name="Anna")


def _csv(response) -> list[str]:
    return b"".join(response.streaming_content).decode().splitlines()


def test_given_codes_when_exported_then_csv_rows_are_exact(owner_client, anna):
    deal = f.DealFactory(campaign__workspace=anna.workspace, campaign__name="Spring", creator=anna)
    f.DiscountCodeFactory(creator=anna, deal=deal, code="ANNA15", value=Decimal("15"))
    f.DiscountCodeFactory(creator=anna, code="ANNA5OFF", kind="fixed", value=Decimal("5"))
    assert _csv(owner_client.get("/tracking/codes/?format=csv")) == [
        "code,creator,deal,kind,value,valid_from,valid_until,single_use,batch",
        "ANNA15,Anna Berg,Spring,percent,15.00,,,no,",
        "ANNA5OFF,Anna Berg,,fixed,5.00,,,no,",
    ]


def test_given_codes_when_the_page_opens_then_percent_values_show_a_sign(owner_client, anna):
    f.DiscountCodeFactory(creator=anna, code="ANNA15", value=Decimal("15"))
    html = owner_client.get("/tracking/codes/").content.decode()
    assert '<td class="num">15.00%</td>' in html


def test_given_a_blank_code_when_created_then_the_readable_pattern_is_used(manager_client, anna):
    response = manager_client.post(
        "/tracking/codes/new/", {"creator": anna.pk, "kind": "percent", "value": "15"}
    )
    assert response.status_code == 302
    assert list(DiscountCode.objects.values_list("code", "value")) == [("ANNA15", Decimal("15"))]


def test_given_a_duplicate_code_then_400_with_a_field_error(owner_client, anna):
    f.DiscountCodeFactory(creator=anna, code="ANNA15")
    response = owner_client.post(
        "/tracking/codes/new/",
        {"creator": anna.pk, "kind": "percent", "value": "15", "code": "anna15"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "code": [
            "the code ANNA15 already exists in this workspace (codes are compared without "
            "regard to case); choose another code"
        ]
    }
    assert DiscountCode.objects.count() == 1


def test_given_a_percent_above_100_then_400_with_a_field_error(owner_client, anna):
    response = owner_client.post(
        "/tracking/codes/new/", {"creator": anna.pk, "kind": "percent", "value": "150"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"value": ["A percent discount cannot exceed 100."]}


def test_given_another_workspaces_creator_then_the_code_is_refused(owner_client, other_workspace):
    stranger = f.CreatorFactory(workspace=other_workspace)
    response = owner_client.post(
        "/tracking/codes/new/", {"creator": stranger.pk, "kind": "percent", "value": "10"}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["creator"]
    assert DiscountCode.objects.count() == 0


def test_given_a_viewer_then_creating_codes_is_forbidden(viewer_client, anna):
    data = {"creator": anna.pk, "kind": "percent", "value": "10", "count": "5", "batch": "b"}
    assert viewer_client.get("/tracking/codes/new/").status_code == 403
    assert viewer_client.post("/tracking/codes/new/", data).status_code == 403
    assert viewer_client.post("/tracking/codes/batch/", data).status_code == 403
    assert DiscountCode.objects.count() == 0


def _batch(client, creator, **extra):
    data = {
        "creator": creator.pk,
        "kind": "percent",
        "value": "20",
        "batch": "giveaway",
        "count": "5",
        "length": "8",
        **extra,
    }
    return client.post("/tracking/codes/batch/", data)


def test_given_a_batch_of_5_then_5_single_use_codes_exist(owner_client, anna):
    response = _batch(owner_client, anna, code_prefix="GIFT")
    assert response.status_code == 302
    codes = list(DiscountCode.objects.values_list("code", "single_use", "batch"))
    assert len(codes) == 5
    assert all(c.startswith("GIFT") and len(c) == 12 and s and b == "giveaway" for c, s, b in codes)


@pytest.mark.parametrize("count", ["0", "10001"])
def test_given_a_batch_size_out_of_range_then_400_with_a_field_error(owner_client, anna, count):
    response = _batch(owner_client, anna, count=count)
    assert response.status_code == 400
    message = (
        "Ensure this value is greater than or equal to 1."
        if count == "0"
        else "Ensure this value is less than or equal to 10000."
    )
    assert response.context["form"].errors == {"count": [message]}
    assert DiscountCode.objects.count() == 0


def test_given_an_existing_batch_name_then_400_with_a_field_error(owner_client, anna):
    f.DiscountCodeFactory(creator=anna, batch="giveaway", single_use=True)
    response = _batch(owner_client, anna)
    assert response.status_code == 400
    assert response.context["form"].errors == {"batch": ["a batch named 'giveaway' already exists"]}


def test_given_a_batch_when_its_csv_is_downloaded_then_it_lists_the_batch_only(owner_client, anna):
    f.DiscountCodeFactory(creator=anna, code="ZZZ222", batch="giveaway", single_use=True)
    f.DiscountCodeFactory(creator=anna, code="ANNA15")
    response = owner_client.get("/tracking/codes/batch.csv?batch=giveaway")
    assert response["Content-Disposition"] == 'attachment; filename="codes-giveaway.csv"'
    assert response.content.decode().splitlines() == [
        "code,kind,value,valid_from,valid_until,single_use,usage_limit,creator,deal_id,batch",
        "ZZZ222,percent,15.00,,,true,1,Anna Berg,,giveaway",
    ]


def test_given_another_workspaces_batch_then_its_csv_is_404(owner_client, other_workspace):
    stranger = f.CreatorFactory(workspace=other_workspace)
    f.DiscountCodeFactory(creator=stranger, batch="theirs", single_use=True)
    assert owner_client.get("/tracking/codes/batch.csv?batch=theirs").status_code == 404


def test_given_another_workspaces_codes_then_they_are_never_listed(
    owner_client, anna, other_workspace
):
    f.DiscountCodeFactory(creator=anna, code="MINE10")
    f.DiscountCodeFactory(creator=f.CreatorFactory(workspace=other_workspace), code="THEIRS10")
    rows = _csv(owner_client.get("/tracking/codes/?format=csv"))
    assert [r.split(",")[0] for r in rows[1:]] == ["MINE10"]


def test_given_more_codes_then_the_code_page_query_count_is_pinned(owner_client, anna):
    deal = f.DealFactory(campaign__workspace=anna.workspace, creator=anna)
    f.DiscountCodeFactory(creator=anna, deal=deal, batch="b1")
    with CaptureQueriesContext(connection) as small:
        owner_client.get("/tracking/codes/")
    for n in range(10):
        other = f.CreatorFactory(workspace=anna.workspace)
        f.DiscountCodeFactory(creator=other, deal=f.DealFactory(creator=other), batch=f"b{n}")
    with CaptureQueriesContext(connection) as big:
        owner_client.get("/tracking/codes/")
    assert len(small) == len(big) == 8
