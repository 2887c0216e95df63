"""A campaign's deals as a table (/campaigns/<id>/deals/): rows, filters, sorting, CSV."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from infludesk.campaigns.models import Deal, Deliverable, Stage
from tests.factories import CampaignFactory, CreatorFactory, DealFactory, WaveFactory

pytestmark = pytest.mark.django_db

CHANGED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def creators(html: str) -> list[str]:
    return re.findall(r'<td><a href="/deals/\d+/">([^<]+)</a></td>', html)


def _deliverable(deal: Deal, *, count: int, due_on: dt.date | None, status: str = "planned"):
    return Deliverable.objects.create(
        workspace=deal.workspace,
        deal=deal,
        platform="instagram",
        format="reel",
        count=count,
        due_on=due_on,
        status=status,
    )


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, name="Spring Trail", slug="spring-trail")


@pytest.fixture
def deals(workspace, campaign):
    """Ana (negotiating, wave 1), Ben (prospect, wave 2), Cleo (live, no wave)."""
    wave1 = WaveFactory(campaign=campaign, number=1, name="Launch")
    wave2 = WaveFactory(campaign=campaign, number=2, name="")
    ana = DealFactory(
        campaign=campaign,
        wave=wave1,
        creator=CreatorFactory(workspace=workspace, name="Ana Alpine"),
        stage=Stage.NEGOTIATING,
        fee_cash=Decimal("1200.00"),
        product_value=Decimal("80.00"),
        commission_pct=Decimal("10.00"),
    )
    ben = DealFactory(
        campaign=campaign,
        wave=wave2,
        creator=CreatorFactory(workspace=workspace, name="Ben Boulder"),
        stage=Stage.PROSPECT,
        fee_cash=Decimal("300.00"),
    )
    cleo = DealFactory(
        campaign=campaign,
        creator=CreatorFactory(workspace=workspace, name="Cleo Crag"),
        stage=Stage.LIVE,
        fee_cash=Decimal("2500.00"),
        product_value=Decimal("0.00"),
    )
    # Ana: 3 pieces, next due 12-01 (the live one on 11-10 is done)
    _deliverable(ana, count=2, due_on=dt.date(2026, 12, 1))
    _deliverable(ana, count=1, due_on=dt.date(2026, 11, 10), status="live")
    # Cleo: 1 piece without a date; Ben: none
    _deliverable(cleo, count=1, due_on=None)
    Deal.objects.filter(pk__in=[ana.pk, ben.pk, cleo.pk]).update(updated_at=CHANGED)
    return ana, ben, cleo


def url(campaign, query: str = "") -> str:
    return f"/campaigns/{campaign.pk}/deals/{'?' + query if query else ''}"


def test_given_deals_when_opening_the_table_then_rows_in_pipeline_order_with_their_terms(
    owner_client, campaign, deals
):
    # given three deals (and one in another campaign of the workspace)
    DealFactory(campaign=CampaignFactory(workspace=campaign.workspace), stage=Stage.PROSPECT)

    # when
    response = owner_client.get(url(campaign))

    # then prospect, negotiating, live; each row shows the agreed terms
    html = response.content.decode()
    assert response.status_code == 200
    assert creators(html) == ["Ben Boulder", "Ana Alpine", "Cleo Crag"]
    ana = deals[0]
    row = re.search(rf'<a href="/deals/{ana.pk}/">Ana Alpine</a></td>(.*?)</tr>', html, re.S)
    assert row is not None
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
    assert cells == [
        "Negotiating", "Launch", "1,200.00", "80.00", "10.00%", "USD", "3", "2026-12-01",
        "2026-11-20 09:30",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=creator", ["Ana Alpine", "Ben Boulder", "Cleo Crag"]),
        ("sort=-creator", ["Cleo Crag", "Ben Boulder", "Ana Alpine"]),
        ("sort=-stage", ["Cleo Crag", "Ana Alpine", "Ben Boulder"]),
        ("sort=fee_cash", ["Ben Boulder", "Ana Alpine", "Cleo Crag"]),
        ("sort=-fee_cash", ["Cleo Crag", "Ana Alpine", "Ben Boulder"]),
        # deals without a next due date come last either way
        ("sort=next_due", ["Ana Alpine", "Ben Boulder", "Cleo Crag"]),
        ("sort=nonsense", ["Ben Boulder", "Ana Alpine", "Cleo Crag"]),
    ],
)
def test_sorting(owner_client, campaign, deals, query, expected):
    assert creators(owner_client.get(url(campaign, query)).content.decode()) == expected


def test_stage_sort_follows_the_pipeline_not_the_alphabet(owner_client, workspace, campaign):
    # given stages whose names sort differently from the pipeline
    for name, stage in [
        ("Paid Pia", Stage.PAID),
        ("Contacted Cal", Stage.CONTACTED),
        ("Declined Dee", Stage.DECLINED),
        ("Approved Abe", Stage.APPROVED),
    ]:
        DealFactory(
            campaign=campaign, creator=CreatorFactory(workspace=workspace, name=name), stage=stage
        )

    html = owner_client.get(url(campaign, "sort=stage")).content.decode()

    assert creators(html) == ["Contacted Cal", "Approved Abe", "Paid Pia", "Declined Dee"]


def test_filters_narrow_the_rows(owner_client, campaign, deals):
    ana, ben, _ = deals

    def rows(query: str) -> list[str]:
        return creators(owner_client.get(url(campaign, query)).content.decode())

    assert rows("stage=live") == ["Cleo Crag"]
    assert rows(f"wave={ana.wave_id}") == ["Ana Alpine"]
    assert rows("wave=none") == ["Cleo Crag"]
    assert rows("q=bould") == ["Ben Boulder"]
    assert rows(f"q=b&wave={ben.wave_id}&stage=prospect") == ["Ben Boulder"]
    assert rows("stage=negotiating&q=cleo") == []


def test_bad_filter_values_show_an_error_and_are_ignored(
    owner_client, campaign, deals, other_workspace
):
    # given a wave of another workspace's campaign
    theirs = WaveFactory(campaign=CampaignFactory(workspace=other_workspace), number=1)

    response = owner_client.get(url(campaign, f"wave={theirs.pk}&stage=flying"))

    html = response.content.decode()
    assert response.status_code == 200
    assert creators(html) == ["Ben Boulder", "Ana Alpine", "Cleo Crag"]
    assert html.count("Select a valid choice.") == 2


def test_the_wave_filter_offers_this_campaigns_waves(owner_client, campaign, deals):
    html = owner_client.get(url(campaign)).content.decode()
    ana, ben, _ = deals
    options = re.findall(
        r'<option value="([^"]*)"[^>]*>([^<]*)</option>',
        html.split('name="wave"')[1].split("</select>")[0],
    )
    assert options == [
        ("", "Any"),
        (str(ana.wave_id), "Launch"),
        (str(ben.wave_id), "Wave 2"),
        ("none", "No wave"),
    ]


def test_htmx_request_gets_only_the_table(owner_client, campaign, deals):
    response = owner_client.get(url(campaign, "sort=creator"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert creators(html) == ["Ana Alpine", "Ben Boulder", "Cleo Crag"]
    assert "<form" not in html
    assert response["Vary"] == "HX-Request, Cookie"


def test_csv_export_is_exact(owner_client, campaign, deals):
    response = owner_client.get(url(campaign, "sort=creator&format=csv"))

    body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="spring-trail-deals.csv"'
    changed = "2026-11-20T09:30:00+00:00"
    assert body.splitlines() == [
        "creator,stage,wave,fee_cash,product_value,commission_pct,currency,deliverables,next_due,last_change",
        f"Ana Alpine,negotiating,Launch,1200.00,80.00,10.00,USD,3,2026-12-01,{changed}",
        f"Ben Boulder,prospect,Wave 2,300.00,0.00,0.00,USD,0,,{changed}",
        f"Cleo Crag,live,,2500.00,0.00,0.00,USD,1,,{changed}",
    ]


def test_csv_follows_the_filters(owner_client, campaign, deals):
    response = owner_client.get(url(campaign, "stage=prospect&format=csv"))

    body = b"".join(response.streaming_content).decode()
    assert [line.split(",")[0] for line in body.splitlines()] == ["creator", "Ben Boulder"]


def test_other_workspace_gets_404(client, other_owner, campaign, deals):
    client.force_login(other_owner.user)

    assert client.get(url(campaign)).status_code == 404
    assert client.get(url(campaign, "format=csv")).status_code == 404


def test_viewer_can_read_the_table(viewer_client, campaign, deals):
    response = viewer_client.get(url(campaign))

    assert response.status_code == 200
    assert creators(response.content.decode()) == ["Ben Boulder", "Ana Alpine", "Cleo Crag"]


def test_campaign_page_links_board_and_table(owner_client, campaign):
    html = owner_client.get(f"/campaigns/{campaign.pk}/").content.decode()

    assert (
        f'<strong aria-current="page">Board</strong> | '
        f'<a href="/campaigns/{campaign.pk}/deals/">Table</a>'
    ) in html


def _deals_with_deliverables(workspace, campaign, n: int) -> None:
    waves = [WaveFactory(campaign=campaign, number=i) for i in (1, 2)]
    for i in range(n):
        deal = DealFactory(
            campaign=campaign,
            wave=waves[i % 2],
            creator=CreatorFactory(workspace=workspace, name=f"Creator {i:02d}"),
        )
        _deliverable(deal, count=2, due_on=dt.date(2026, 12, 1 + i % 28))


@pytest.mark.parametrize("n", [3, 30])
def test_page_query_count_does_not_grow_with_deals(
    owner_client, workspace, campaign, django_assert_num_queries, n
):
    _deals_with_deliverables(workspace, campaign, n)
    owner_client.get(url(campaign))  # warm the session

    # session, user, member, campaign, its waves, the count, the page's rows, the workspace menu
    with django_assert_num_queries(8):
        response = owner_client.get(url(campaign, "sort=-fee_cash"))

    assert len(creators(response.content.decode())) == min(n, 25)


@pytest.mark.parametrize("n", [3, 30])
def test_csv_query_count_does_not_grow_with_deals(
    owner_client, workspace, campaign, django_assert_num_queries, n
):
    _deals_with_deliverables(workspace, campaign, n)
    owner_client.get(url(campaign))

    # session, user, member, campaign, its waves, the rows
    with django_assert_num_queries(6):
        response = owner_client.get(url(campaign, "format=csv"))
        body = b"".join(response.streaming_content).decode()

    assert len(body.splitlines()) == n + 1
