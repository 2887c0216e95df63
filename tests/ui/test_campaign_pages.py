"""The campaign list, a campaign's page with its deals by stage, and the create/edit form."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from infludesk.campaigns.models import Campaign, CampaignStatus, CampaignType, Objective, Stage
from infludesk.core.models import AuditEntry
from tests.factories import CampaignFactory, DealFactory, GoalFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/campaigns/\d+/">([^<]+)</a></td>', html)


@pytest.fixture
def three(workspace):
    spring = CampaignFactory(
        workspace=workspace,
        name="Spring Trail",
        product="Trail shoes",
        status=CampaignStatus.ACTIVE,
        objective=Objective.CONVERSIONS,
        type=CampaignType.AFFILIATE,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 4, 30),
        budget=Decimal("12000.00"),
    )
    summer = CampaignFactory(
        workspace=workspace,
        name="Summer Seeding",
        product="Water bottle",
        status=CampaignStatus.DRAFT,
        objective=Objective.AWARENESS,
        type=CampaignType.SEEDING,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 8, 31),
        budget=Decimal("3500.50"),
    )
    autumn = CampaignFactory(
        workspace=workspace,
        name="Autumn Ambassadors",
        product="Rain jacket",
        status=CampaignStatus.COMPLETED,
        objective=Objective.ENGAGEMENT,
        type=CampaignType.AMBASSADOR,
        starts_on=dt.date(2026, 9, 1),
        ends_on=None,
        budget=Decimal("40000.00"),
    )
    return spring, summer, autumn  # fmt: skip


def test_list_shows_only_this_workspaces_campaigns_newest_start_first(
    owner_client, three, other_workspace
):
    CampaignFactory(workspace=other_workspace, name="Rival Launch")
    html = owner_client.get("/campaigns/").content.decode()
    assert names(html) == ["Autumn Ambassadors", "Summer Seeding", "Spring Trail"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=active", ["Spring Trail"]),
        ("objective=awareness", ["Summer Seeding"]),
        ("type=ambassador", ["Autumn Ambassadors"]),
        ("q=bottle", ["Summer Seeding"]),
        ("q=trail", ["Spring Trail"]),
    ],
)
def test_filters_narrow_the_list(owner_client, three, query, expected):
    assert names(owner_client.get(f"/campaigns/?{query}").content.decode()) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("budget", ["Summer Seeding", "Spring Trail", "Autumn Ambassadors"]),
        ("-budget", ["Autumn Ambassadors", "Spring Trail", "Summer Seeding"]),
        ("name", ["Autumn Ambassadors", "Spring Trail", "Summer Seeding"]),
        ("starts_on", ["Spring Trail", "Summer Seeding", "Autumn Ambassadors"]),
    ],
)
def test_sorting(owner_client, three, sort, expected):
    assert names(owner_client.get(f"/campaigns/?sort={sort}").content.decode()) == expected


def test_unknown_filter_choice_shows_an_error(owner_client, three):
    response = owner_client.get("/campaigns/?status=bogus")
    assert response.status_code == 200
    assert "Select a valid choice. bogus is not one of the available choices." in (
        response.content.decode()
    )
    assert len(names(response.content.decode())) == 3


def test_htmx_request_gets_only_the_table_partial(owner_client, three):
    response = owner_client.get("/campaigns/?status=draft", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert names(html) == ["Summer Seeding"]


def test_csv_export_is_exact(owner_client, three):
    spring, _, _ = three
    DealFactory(campaign=spring)
    DealFactory(campaign=spring)
    response = owner_client.get("/campaigns/?sort=budget&format=csv")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="campaigns.csv"'
    assert body == (
        "name,status,objective,type,starts_on,ends_on,budget,currency,deals\r\n"
        "Summer Seeding,draft,awareness,seeding,2026-06-01,2026-08-31,3500.50,USD,0\r\n"
        "Spring Trail,active,conversions,affiliate,2026-03-01,2026-04-30,12000.00,USD,2\r\n"
        "Autumn Ambassadors,completed,engagement,ambassador,2026-09-01,,40000.00,USD,0\r\n"
    )


def test_list_and_csv_query_counts_do_not_grow_with_rows(
    owner_client, workspace, django_assert_max_num_queries
):
    for i in range(32):
        DealFactory(campaign=CampaignFactory(workspace=workspace, name=f"Campaign {i:02d}"))
    # session, user, member, memberships, count, page
    with django_assert_max_num_queries(6):
        html = owner_client.get("/campaigns/?sort=name").content.decode()
    assert len(names(html)) == 25
    with django_assert_max_num_queries(4):
        response = owner_client.get("/campaigns/?format=csv")
        body = b"".join(response.streaming_content).decode()
    assert body.count("\r\n") == 33


def test_detail_shows_facts_goals_and_deals_by_stage(owner_client, three):
    spring, _, _ = three
    GoalFactory(campaign=spring, metric="conversions", target=Decimal("250"))
    a = DealFactory(campaign=spring, stage=Stage.CONTRACTED, creator__name="Zoe")
    a.account = SocialAccountFactory(creator=a.creator, handle="zoe.runs")
    a.save()
    DealFactory(campaign=spring, stage=Stage.CONTRACTED, creator__name="Yann")
    DealFactory(campaign=spring, stage=Stage.DECLINED, creator__name="Xia")
    html = owner_client.get(f"/campaigns/{spring.pk}/").content.decode()
    assert "<h1>Spring Trail</h1>" in html
    assert "<dt>Budget</dt><dd>12,000.00 USD</dd>" in html
    assert "<dt>Dates</dt><dd>2026-03-01 \u2013 2026-04-30</dd>" in html
    assert '<td>conversions</td><td class="num">250</td>' in html
    stages = re.findall(r'data-stage="(\w+)"', html)
    assert stages == [
        "prospect", "contacted", "negotiating", "contracted", "shipped", "in_review",
        "approved", "live", "paid", "declined", "cancelled",
    ]  # fmt: skip
    contracted = html.split('data-stage="contracted"')[1].split("</section>")[0]
    assert re.findall(r'/">(\w+)</a>', contracted) == ["Yann", "Zoe"]
    assert "@zoe.runs" in contracted
    declined = html.split('data-stage="declined"')[1].split("</section>")[0]
    assert re.findall(r'/">(\w+)</a>', declined) == ["Xia"]


def test_another_workspaces_campaign_is_not_found(owner_client, other_workspace):
    theirs = CampaignFactory(workspace=other_workspace)
    assert owner_client.get(f"/campaigns/{theirs.pk}/").status_code == 404
    assert owner_client.get(f"/campaigns/{theirs.pk}/edit/").status_code == 404
    assert owner_client.post(f"/campaigns/{theirs.pk}/edit/", {"name": "x"}).status_code == 404


VALID = {
    "name": "Winter Launch",
    "product": "Down jacket",
    "objective": "conversions",
    "type": "sponsored",
    "status": "draft",
    "starts_on": "2026-12-01",
    "ends_on": "2027-01-31",
    "budget": "8000.00",
    "currency": "eur",
    "audience_notes": "",
}


def test_manager_creates_a_campaign_through_the_service(manager, manager_client, workspace):
    response = manager_client.post("/campaigns/new/", VALID)
    campaign = Campaign.objects.get(workspace=workspace, name="Winter Launch")
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    assert (campaign.slug, campaign.currency, campaign.budget) == (
        "winter-launch", "EUR", Decimal("8000.00"),
    )  # fmt: skip
    entry = AuditEntry.objects.get(workspace=workspace, action="campaign.create")
    assert entry.actor == manager


def test_form_starts_with_the_workspace_currency(owner_client):
    html = owner_client.get("/campaigns/new/").content.decode()
    assert 'name="currency" value="USD"' in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_on": "2026-11-01"}, "ends_on", "The end date must be on or after the start date."),
        ({"budget": "-5"}, "budget", "The budget cannot be negative."),
        ({"name": ""}, "name", "This field is required."),
        ({"starts_on": "31/12/2026"}, "starts_on", "Enter a valid date."),
        ({"currency": "E1R"}, "currency", "Use a three-letter currency code such as USD or EUR."),
    ],
)
def test_invalid_input_shows_the_field_error(owner_client, workspace, change, field, message):
    response = owner_client.post("/campaigns/new/", {**VALID, **change})
    html = response.content.decode()
    assert response.status_code == 400
    block = html.split(f'id="field-{field}"')[1].split("</div>")[0]
    assert f"<li>{message}</li>" in block
    assert not Campaign.objects.filter(workspace=workspace).exists()


def test_viewer_cannot_open_or_post_the_form(viewer_client, workspace):
    assert viewer_client.get("/campaigns/new/").status_code == 403
    response = viewer_client.post("/campaigns/new/", VALID)
    assert response.status_code == 403
    assert "Your role in this workspace is read-only." in response.content.decode()
    assert not Campaign.objects.filter(workspace=workspace).exists()


def test_viewer_does_not_see_the_new_and_edit_buttons(viewer_client, three):
    assert "New campaign</a>" not in viewer_client.get("/campaigns/").content.decode()
    detail = viewer_client.get(f"/campaigns/{three[0].pk}/").content.decode()
    assert "/edit/" not in detail


def test_viewer_cannot_edit(viewer_client, three):
    response = viewer_client.post(f"/campaigns/{three[0].pk}/edit/", VALID)
    assert response.status_code == 403
    three[0].refresh_from_db()
    assert three[0].name == "Spring Trail"


def test_edit_saves_changes_and_records_them(owner, owner_client, three, workspace):
    spring = three[0]
    response = owner_client.post(
        f"/campaigns/{spring.pk}/edit/",
        {**VALID, "name": "Spring Trail", "budget": "15000", "currency": "USD"},
    )
    spring.refresh_from_db()
    assert response.status_code == 302
    assert spring.budget == Decimal("15000.00")
    assert spring.status == CampaignStatus.DRAFT
    entry = AuditEntry.objects.get(workspace=workspace, action="campaign.update")
    assert entry.changes["budget"] == ["12000.00", "15000.00"]


def test_edit_form_is_prefilled(owner_client, three):
    html = owner_client.get(f"/campaigns/{three[0].pk}/edit/").content.decode()
    assert 'name="name" value="Spring Trail"' in html
    assert 'name="starts_on" value="2026-03-01"' in html


def test_service_errors_land_on_their_fields_or_the_form():
    from django.core.exceptions import ValidationError

    from infludesk.campaigns.forms import CampaignForm

    form = CampaignForm({**VALID})
    assert form.is_valid()
    form.add_service_errors(
        ValidationError({"budget": "Too much.", "slug": "This slug is already in use."})
    )
    assert form.errors["budget"] == ["Too much."]
    assert form.non_field_errors() == ["This slug is already in use."]
