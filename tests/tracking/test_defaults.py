"""Campaign tracking defaults: every deal gets its tracked link and discount code, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from infludesk.campaigns.models import Deal, Stage
from infludesk.campaigns.services import deal_create
from infludesk.campaigns.waves import deals_add, wave_create, wave_next
from infludesk.core.models import AuditEntry
from infludesk.tracking.codes import READABLE_ALPHABET
from infludesk.tracking.defaults import (
    campaign_tracking_fill,
    campaign_tracking_save,
    deal_tracking_apply,
    readable_code_with_suffix,
)
from infludesk.tracking.links import redirect_target
from infludesk.tracking.models import CampaignTracking, DiscountCode, TrackedLink
from tests.factories import (
    CampaignFactory,
    CreatorFactory,
    DealFactory,
    DiscountCodeFactory,
    SocialAccountFactory,
    TrackedLinkFactory,
)

LANDING = "https://shop.example.com/products/trail"


@pytest.fixture
def campaign(workspace):
    return CampaignFactory(workspace=workspace, name="Winter trails", slug="winter-trails")


def _anna(workspace, name="Anna Berg", handle=""):
    creator = CreatorFactory(workspace=workspace, name=name, first_name=name.split()[0])
    handle = handle or name.lower().replace(" ", ".")
    SocialAccountFactory(workspace=workspace, creator=creator, platform="tiktok", handle=handle)
    return creator


def _defaults(campaign, by=None, **fields):
    terms = {"destination_url": LANDING, "discount_value": Decimal("15")}
    terms.update(fields)
    return campaign_tracking_save(campaign=campaign, by=by, **terms)


def _deal_tracking(deal):
    return (
        list(TrackedLink.objects.filter(deal=deal).values_list("destination_url", flat=True)),
        list(DiscountCode.objects.filter(deal=deal).values_list("code", "kind", "value")),
    )


# --- a new deal gets its link and code ---------------------------------------------------------


def test_given_defaults_when_a_deal_is_created_then_it_gets_a_link_with_utm_and_a_code(
    workspace, campaign, owner
):
    # given
    _defaults(campaign, by=owner)
    creator = _anna(workspace)
    # when
    deal = deal_create(
        workspace=workspace,
        campaign=campaign,
        creator=creator,
        by=owner,
        account=creator.accounts.get(),
    )
    # then
    link = TrackedLink.objects.get(deal=deal)
    assert (
        link.utm_source,
        link.utm_medium,
        link.utm_campaign,
        link.utm_content,
        link.creator_id,
    ) == ("tiktok", "influencer", "winter-trails", "anna.berg", creator.pk)
    assert redirect_target(link, "CLICK123") == (
        "https://shop.example.com/products/trail?utm_source=tiktok&utm_medium=influencer"
        "&utm_campaign=winter-trails&utm_content=anna.berg&ifd_click=CLICK123"
    )
    code = DiscountCode.objects.get(deal=deal)
    assert (code.code, code.kind, code.value, code.creator_id, code.single_use) == (
        "ANNA15",
        "percent",
        Decimal("15.00"),
        creator.pk,
        False,
    )


def test_given_no_defaults_when_a_deal_is_created_then_nothing_is_made(workspace, campaign, owner):
    deal = deal_create(workspace=workspace, campaign=campaign, creator=_anna(workspace), by=owner)
    assert _deal_tracking(deal) == ([], [])


def test_given_only_a_landing_url_then_only_links_and_only_a_value_then_only_codes(
    workspace, owner
):
    links_only = CampaignFactory(workspace=workspace)
    codes_only = CampaignFactory(workspace=workspace)
    _defaults(links_only, discount_value=None)
    _defaults(codes_only, destination_url="", discount_value=Decimal("10"))

    a = deal_create(workspace=workspace, campaign=links_only, creator=_anna(workspace), by=owner)
    b = deal_create(
        workspace=workspace, campaign=codes_only, creator=_anna(workspace, "Ben Ode"), by=owner
    )

    assert _deal_tracking(a) == ([LANDING], [])
    assert _deal_tracking(b) == ([], [("BEN10", "percent", Decimal("10.00"))])


def test_given_a_deal_creation_rolled_back_then_its_link_and_code_are_gone_too(
    workspace, campaign, owner
):
    # given defaults; when the transaction that creates the deal fails after the deal
    _defaults(campaign)
    with pytest.raises(RuntimeError), transaction.atomic():
        deal_create(workspace=workspace, campaign=campaign, creator=_anna(workspace), by=owner)
        assert TrackedLink.objects.count() == 1  # made inside the same transaction
        raise RuntimeError("later step failed")
    # then
    assert (Deal.objects.count(), TrackedLink.objects.count(), DiscountCode.objects.count()) == (
        0,
        0,
        0,
    )


def test_given_fixed_terms_validity_and_custom_utm_then_the_code_and_link_follow_them(
    workspace, campaign, owner
):
    _defaults(
        campaign,
        discount_kind="fixed",
        discount_value=Decimal("20"),
        utm_medium="creator",
        utm_campaign="xmas",
        valid_from=dt.date(2026, 12, 1),
        valid_until=dt.date(2026, 12, 24),
    )
    deal = deal_create(workspace=workspace, campaign=campaign, creator=_anna(workspace), by=owner)
    link = TrackedLink.objects.get(deal=deal)
    code = DiscountCode.objects.get(deal=deal)
    assert (link.utm_medium, link.utm_campaign) == ("creator", "xmas")
    assert (code.code, code.kind, code.value, code.valid_from, code.valid_until) == (
        "ANNA20",
        "fixed",
        Decimal("20.00"),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 24),
    )


def test_given_the_generated_pattern_then_codes_are_prefix_plus_8_readable_letters(
    workspace, campaign
):
    _defaults(campaign, code_pattern="generated", code_prefix="wt")
    deal = DealFactory(workspace=workspace, campaign=campaign)
    code = DiscountCode.objects.get(deal=deal).code
    assert (code[:2], len(code), set(code[2:]) <= set(READABLE_ALPHABET)) == ("WT", 10, True)


def test_given_a_name_without_latin_letters_then_a_generated_code_is_used(workspace, campaign):
    _defaults(campaign)
    deal = DealFactory(
        workspace=workspace,
        campaign=campaign,
        creator=CreatorFactory(workspace=workspace, name="李 娜", first_name="李"),
    )
    code = DiscountCode.objects.get(deal=deal).code
    assert (len(code), set(code) <= set(READABLE_ALPHABET)) == (8, True)


# --- every creation path -----------------------------------------------------------------------


def test_given_defaults_when_creators_are_added_in_bulk_then_each_deal_gets_one_of_each(
    workspace, campaign, owner
):
    _defaults(campaign)
    anna, ben = _anna(workspace), _anna(workspace, "Ben Ode", "ben.rides")

    result = deals_add(campaign=campaign, creator_ids=[anna.pk, ben.pk], by=owner)

    assert [_deal_tracking(d)[1] for d in result.added] == [
        [("ANNA15", "percent", Decimal("15.00"))],
        [("BEN15", "percent", Decimal("15.00"))],
    ]
    assert [len(_deal_tracking(d)[0]) for d in result.added] == [1, 1]


def test_given_defaults_when_the_next_wave_starts_then_the_new_deals_get_their_own_code(
    workspace, campaign, owner
):
    # given a first wave with Anna (ANNA15)
    _defaults(campaign)
    wave = wave_create(campaign=campaign, by=owner)
    deals_add(campaign=campaign, creator_ids=[_anna(workspace).pk], wave=wave, by=owner)
    # when
    new = wave_next(wave=wave, keep_creator_ids=[Deal.objects.get().creator_id], by=owner)
    # then the new wave's deal gets the next free code, the first keeps its own
    codes = dict(DiscountCode.objects.values_list("deal__wave__number", "code"))
    assert codes == {wave.number: "ANNA15", new.number: "ANNA15-2"}
    assert TrackedLink.objects.filter(deal__wave=new).count() == 1


# --- idempotency -------------------------------------------------------------------------------


def test_given_a_deal_with_its_link_and_code_when_applied_again_then_nothing_new(
    workspace, campaign, owner
):
    _defaults(campaign)
    deal = DealFactory(workspace=workspace, campaign=campaign, creator=_anna(workspace))

    again = deal_tracking_apply(deal=deal, by=owner, lock=True)
    filled = campaign_tracking_fill(campaign=campaign, by=owner)
    _defaults(campaign, discount_value=Decimal("20"))  # changed terms: existing codes stay

    assert (again.links, again.codes, filled.links, filled.codes) == ([], [], [], [])
    assert _deal_tracking(deal) == ([LANDING], [("ANNA15", "percent", Decimal("15.00"))])


def test_given_a_hand_made_link_when_defaults_are_set_then_only_the_code_is_added(
    workspace, campaign, owner
):
    deal = DealFactory(workspace=workspace, campaign=campaign, creator=_anna(workspace))
    TrackedLinkFactory(
        workspace=workspace, creator=deal.creator, deal=deal, destination_url="https://own.test/"
    )

    _defaults_row, result = _defaults(campaign, by=owner)

    assert (result.links, result.codes) == ([], ["ANNA15"])
    assert _deal_tracking(deal) == (
        ["https://own.test/"],
        [("ANNA15", "percent", Decimal("15.00"))],
    )


def test_given_a_batch_code_on_the_deal_then_it_still_gets_its_own_code(workspace, campaign, owner):
    deal = DealFactory(workspace=workspace, campaign=campaign, creator=_anna(workspace))
    DiscountCodeFactory(
        workspace=workspace, creator=deal.creator, deal=deal, code="GIVE1", batch="giveaway"
    )
    _defaults(campaign, by=owner)
    assert sorted(DiscountCode.objects.filter(deal=deal).values_list("code", flat=True)) == [
        "ANNA15",
        "GIVE1",
    ]


# --- defaults set later: the deals that have none get theirs -----------------------------------


def test_given_existing_deals_when_defaults_are_saved_then_missing_ones_are_filled_and_audited(
    workspace, campaign, owner
):
    # given three deals, one declined
    a = DealFactory(workspace=workspace, campaign=campaign, creator=_anna(workspace))
    b = DealFactory(
        workspace=workspace, campaign=campaign, creator=_anna(workspace, "Ben Ode", "ben")
    )
    declined = DealFactory(workspace=workspace, campaign=campaign, stage=Stage.DECLINED)
    # when
    defaults, result = _defaults(campaign, by=owner)
    # then
    assert (len(result.links), result.codes, result.problems) == (2, ["ANNA15", "BEN15"], [])
    assert _deal_tracking(declined) == ([], [])
    assert defaults.campaign_id == campaign.pk
    entries = AuditEntry.objects.filter(workspace=workspace)
    assert list(
        entries.filter(action="campaign_tracking.create").values_list("actor", flat=True)
    ) == [owner.pk]
    assert sorted(
        entries.filter(action="deal.tracking_from_defaults").values_list("target_id", flat=True)
    ) == sorted([str(a.pk), str(b.pk)])
    assert entries.filter(action="discount_code.create", actor=owner).count() == 2
    assert entries.filter(action="tracked_link.create", actor=owner).count() == 2


def test_given_defaults_saved_twice_then_one_row_and_an_update_audit(campaign, owner):
    _defaults(campaign, by=owner)
    _defaults(campaign, by=owner, discount_value=Decimal("25"))
    assert CampaignTracking.objects.get().discount_value == Decimal("25.00")
    update = AuditEntry.objects.get(action="campaign_tracking.update")
    assert update.changes == {"discount_value": ["15.00", "25.00"]}


def test_given_the_automatic_path_then_the_entries_have_no_actor_and_the_deal_names_one(
    workspace, campaign, owner
):
    _defaults(campaign)
    deal = deal_create(workspace=workspace, campaign=campaign, creator=_anna(workspace), by=owner)
    rows = AuditEntry.objects.filter(
        target_type="campaigns.deal", target_id=str(deal.pk)
    ).values_list("action", "actor")
    assert sorted(rows) == [("deal.create", owner.pk), ("deal.tracking_from_defaults", None)]


# --- collisions --------------------------------------------------------------------------------


def test_given_anna15_taken_in_the_workspace_then_the_next_anna_gets_anna15_2_then_3(
    workspace, campaign, other_workspace
):
    # given another campaign's Anna holds "anna15" (lower case) and another workspace ANNA15-2
    DiscountCodeFactory(workspace=workspace, code="anna15")
    DiscountCodeFactory(workspace=other_workspace, code="ANNA15-2")
    _defaults(campaign)
    # when two more Annas join
    first = DealFactory(workspace=workspace, campaign=campaign, creator=_anna(workspace))
    second = DealFactory(
        workspace=workspace, campaign=campaign, creator=_anna(workspace, "Anna Lind", "lind")
    )
    # then
    assert [DiscountCode.objects.get(deal=d).code for d in (first, second)] == [
        "ANNA15-2",
        "ANNA15-3",
    ]


def test_suffix_is_the_first_free_number():
    taken = {"ANNA15", "ANNA15-2", "ANNA15-4"}
    assert readable_code_with_suffix(base="ANNA15", taken=taken) == "ANNA15-3"
    assert readable_code_with_suffix(base="BEN10", taken=taken) == "BEN10"


def test_given_defaults_in_one_workspace_then_another_workspaces_deals_are_untouched(
    workspace, other_workspace, campaign
):
    _defaults(campaign)
    foreign = DealFactory(workspace=other_workspace)
    campaign_tracking_fill(campaign=campaign, by=None)
    assert _deal_tracking(foreign) == ([], [])
    assert DiscountCode.objects.filter(workspace=other_workspace).count() == 0


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"destination_url": "", "discount_value": None},
            {
                "destination_url": [
                    "Set a landing URL (for the links), a discount value (for the codes), or both."
                ]
            },
        ),
        (
            {"destination_url": "shop"},
            {"destination_url": ["Enter a full http:// or https:// address."]},
        ),
        (
            {"discount_value": Decimal("150")},
            {"discount_value": ["A percent discount cannot exceed 100."]},
        ),
        (
            {"discount_value": Decimal("0")},
            {"discount_value": ["The discount must be greater than 0."]},
        ),
        ({"code_prefix": "WT 1"}, {"code_prefix": ["Up to 16 letters and digits (no spaces)."]}),
        (
            {"valid_from": dt.date(2026, 12, 2), "valid_until": dt.date(2026, 12, 1)},
            {"valid_until": ["The code cannot end before it starts."]},
        ),
    ],
)
def test_given_bad_defaults_then_a_field_error_and_nothing_saved(campaign, fields, errors):
    with pytest.raises(ValidationError) as err:
        _defaults(campaign, **fields)
    assert err.value.message_dict == errors
    assert CampaignTracking.objects.count() == 0
