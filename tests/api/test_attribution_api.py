"""Attribution API: a campaign's credits per creator under each engine model (the numbers of the
campaign's attribution page), the unattributed share, the journeys export, bad parameters,
and isolation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from infludesk.attribution.engine import MODELS, parse_journeys
from infludesk.attribution.journeys import CODE_RULES
from infludesk.attribution.selectors import N_BOOT, OTHER, campaign_attribution
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)
CREDIT_KEYS = (
    "channel",
    "creator_id",
    "conversions",
    "revenue",
    "share",
    "share_low",
    "share_high",
)


@pytest.fixture
def campaign(workspace):
    """Anna (code ANNA15 + a link) and Ben (a link) in Spring; Cleo (code) in Winter.
    Visitor v1 clicks Ben then Anna and orders 100 with Anna's click id; an order uses anna15
    for 50; v2 clicks Ben and orders 80; v3 clicks Ben and never orders; an order of 30 has no
    touchpoint; Cleo's code order of 40."""
    spring = f.CampaignFactory(workspace=workspace, name="Spring")
    winter = f.CampaignFactory(workspace=workspace, name="Winter")
    people = {}
    for name, handle in (("Anna", "anna.runs"), ("Ben", "ben.trails"), ("Cleo", "cleo.fit")):
        people[name] = f.CreatorFactory(workspace=workspace, name=name)
        f.SocialAccountFactory(creator=people[name], handle=handle)
    deal_a = f.DealFactory(campaign=spring, creator=people["Anna"])
    deal_b = f.DealFactory(campaign=spring, creator=people["Ben"])
    deal_c = f.DealFactory(campaign=winter, creator=people["Cleo"])
    link_a = f.TrackedLinkFactory(creator=people["Anna"], deal=deal_a)
    link_b = f.TrackedLinkFactory(creator=people["Ben"], deal=deal_b)
    f.DiscountCodeFactory(creator=people["Anna"], deal=deal_a, code="ANNA15")
    f.DiscountCodeFactory(creator=people["Cleo"], deal=deal_c, code="CLEO10")
    f.ClickFactory(link=link_b, click_id="c1", visitor_hash="v1", clicked_at=DAY)
    f.ClickFactory(
        link=link_a, click_id="c2", visitor_hash="v1", clicked_at=DAY + dt.timedelta(hours=2)
    )
    f.ClickFactory(link=link_b, click_id="c3", visitor_hash="v2", clicked_at=DAY)
    f.ClickFactory(link=link_b, click_id="c4", visitor_hash="v3", clicked_at=DAY)
    later = DAY + dt.timedelta(days=1)
    for external_id, gross, extra in (
        ("1001", "100", {"click_id": "c2"}),
        ("1002", "50", {"discount_codes": [{"code": "anna15"}]}),
        ("1003", "80", {"click_id": "c3"}),
        ("1004", "30", {}),
        ("1005", "40", {"discount_codes": [{"code": "CLEO10"}]}),
    ):
        f.OrderFactory(
            workspace=workspace,
            external_id=external_id,
            gross=Decimal(gross),
            placed_at=later,
            **extra,
        )
    return spring


def _url(campaign) -> str:
    return f"/campaigns/{campaign.pk}/attribution"


def test_when_asking_for_last_touch_then_exact_credits_and_the_unattributed_share(
    owner_api, campaign
):
    response = owner_api.get(_url(campaign), model="last_touch")
    assert response.status_code == 200
    body = response.json()
    creators = [(c["channel"], c["conversions"], c["revenue"]) for c in body["creators"]]
    # ben > anna (100) and the code (50) to Anna; v2's order (80) to Ben
    assert creators == [("anna.runs", 2.0, 150.0), ("ben.trails", 1.0, 80.0)]
    assert {k: v for k, v in body.items() if k != "creators"} == {
        "campaign_id": campaign.pk,
        "model": "last_touch",
        "model_label": "Last touch",
        "window_days": 30,
        "code_rule": "code_wins",
        "currency": "USD",
        "journeys": 4,
        "converting_journeys": 3,
        "revenue": 230.0,
        "total_conversions": 3.0,
        "total_revenue": 230.0,
        "unattributed_orders": 1,
        "unattributed_share": 0.25,  # 1 / (3 + 1)
        "orders_without_rate": [],
        "bootstrap_replicates": N_BOOT,
    }
    anna = body["creators"][0]
    assert anna["share"] == pytest.approx(2 / 3)
    assert 0.0 <= anna["share_low"] <= anna["share"] <= anna["share_high"] <= 1.0


def test_given_each_engine_model_then_the_numbers_of_the_campaign_page(
    owner_api, owner_client, campaign
):
    page = owner_client.get(f"/attribution/campaigns/{campaign.pk}/").context["report"]
    assert sorted(page.models) == sorted(MODELS)
    for model in MODELS:
        body = owner_api.get(_url(campaign), model=model).json()
        column = page.models.index(model)
        assert [tuple(c[k] for k in CREDIT_KEYS) for c in body["creators"]] == [
            (r.channel, r.creator_id, x.conversions, x.revenue, x.share, x.low, x.high)
            for r in page.rows
            for x in [r.cells[column]]
        ], model
        assert body["unattributed_share"] == page.unattributed_share
        assert body["total_conversions"] == pytest.approx(3.0)


def test_given_the_touchpoint_rule_and_a_short_window_then_the_selector_numbers(
    owner_api, workspace, campaign
):
    body = owner_api.get(
        _url(campaign), model="linear", code_rule="touchpoint", window_days=0
    ).json()
    report = campaign_attribution(
        workspace=workspace,
        campaign=campaign,
        window_days=0,
        code_rule="touchpoint",
        models=("linear",),
    )
    assert [(c["channel"], c["conversions"]) for c in body["creators"]] == [
        (r.channel, r.cells[0].conversions) for r in report.rows
    ]
    assert (body["window_days"], body["code_rule"]) == (0, "touchpoint")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "model"),
        ({"model": "u_shaped"}, "model"),
        ({"model": "markov", "window_days": 366}, "window_days"),
        ({"model": "markov", "window_days": -1}, "window_days"),
        ({"model": "markov", "code_rule": "code_first"}, "code_rule"),
    ],
)
def test_given_bad_parameters_then_422_naming_the_field(owner_api, campaign, params, field):
    response = owner_api.get(_url(campaign), **params)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_given_a_campaign_without_journeys_then_no_creators_and_zero_share(owner_api, workspace):
    empty = f.CampaignFactory(workspace=workspace)
    body = owner_api.get(_url(empty), model="markov").json()
    assert (body["creators"], body["total_conversions"], body["unattributed_share"]) == (
        [],
        0,
        0.0,
    )


def test_when_exporting_the_workspaces_journeys_then_the_grouped_csv(owner_api, campaign):
    response = owner_api.get("/attribution/journeys")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Unattributed-Orders"] == "1"
    assert response.content.decode() == (
        "path,conversions,null,value\n"
        "anna.runs,1,0,50.00\n"
        "ben.trails,1,1,80.00\n"
        "ben.trails > anna.runs,1,0,100.00\n"
        "cleo.fit,1,0,40.00\n"
    )
    assert parse_journeys(response.content.decode()).channels == (
        "anna.runs",
        "ben.trails",
        "cleo.fit",
    )


def test_when_exporting_one_campaigns_journeys_then_others_are_left_out(owner_api, campaign):
    response = owner_api.get("/attribution/journeys", campaign_id=campaign.pk)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="journeys-campaign-{campaign.pk}.csv"'
    )
    assert response.content.decode() == (
        "path,conversions,null,value\n"
        "anna.runs,1,0,50.00\n"
        "ben.trails,1,1,80.00\n"
        "ben.trails > anna.runs,1,0,100.00\n"
    )
    assert OTHER not in response.content.decode()


def test_given_an_unknown_code_rule_when_exporting_then_422(owner_api):
    response = owner_api.get("/attribution/journeys", code_rule="nope")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["code_rule"]


def test_the_code_rules_offered_are_the_engines(client):
    schema = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/attribution/journeys"]
    rule = next(p for p in schema["get"]["parameters"] if p["name"] == "code_rule")
    assert tuple(rule["schema"]["enum"]) == CODE_RULES


def test_given_another_workspaces_campaign_then_404(other_api, campaign):
    response = other_api.get(_url(campaign), model="markov")
    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")
    export = other_api.get("/attribution/journeys", campaign_id=campaign.pk)
    assert export.status_code == 404


def test_given_another_workspace_when_exporting_its_own_journeys_then_none_of_a_s(
    other_api, campaign
):
    response = other_api.get("/attribution/journeys")
    assert response.content.decode() == "path,conversions,null,value\n"


def test_given_a_viewer_then_attribution_can_be_read(viewer_api, campaign):
    assert viewer_api.get(_url(campaign), model="shapley").status_code == 200
    assert viewer_api.get("/attribution/journeys").status_code == 200


def test_given_no_credentials_then_401(anonymous_api, campaign):
    assert anonymous_api.get(_url(campaign), model="markov").status_code == 401
