"""The disclosure rules of issue 6, one behaviour per test (FTC + UK CMA/ASA guidance)."""

from __future__ import annotations

import pytest

from infludesk.campaigns.disclosure import check_caption

HASHTAG_TAIL = " #running #trail #fitness #outdoors"
FILLER = (
    "These trail shoes carried me through a muddy 30k and my feet stayed dry the whole way, " * 2
)


@pytest.mark.parametrize(
    "caption",
    [
        "#ad Loving my new trail shoes from @northwind",
        "Ad | Loving my new trail shoes",
        "AD: new shoes day",
        "[ad] new shoes day",
        "#advert new shoes day",
        "#Advertisement new shoes",
        "#sponsored new shoes",
        "Sponsored by Northwind: new shoes",
        "Paid partnership with @northwind - new shoes",
        "Anzeige | Neue Laufschuhe von @northwind",
        "#Werbung neue Schuhe",
        "Publicité : mes nouvelles chaussures",
        "#publicidad zapatillas nuevas",
        "#pubblicità scarpe nuove",
        "#reclame nieuwe schoenen",
    ],
)
def test_given_a_clear_label_up_front_when_checked_for_paid_then_compliant(caption):
    result = check_caption(caption, relationship="paid")
    assert (result.compliant, result.reasons) == (True, [])


def test_given_no_label_when_checked_then_missing_disclosure():
    result = check_caption("Loving my new trail shoes", relationship="paid")
    assert result.reasons == ["missing_disclosure"]
    assert result.compliant is False


def test_given_only_the_platform_label_when_checked_then_not_enough():
    result = check_caption(
        "Loving my new trail shoes", relationship="paid", paid_partnership_label=True
    )
    assert result.reasons == ["platform_label_only", "missing_disclosure"]


@pytest.mark.parametrize(
    "tag",
    [
        "#sp",
        "#spon",
        "#collab",
        "#partner",
        "#thanks",
        "#ambassador",
        "#BrandAmbassador",
        "#iworkwithnorthwind",
        "#affiliate",
    ],
)
def test_given_an_ambiguous_tag_only_when_checked_then_ambiguous_and_missing(tag):
    result = check_caption(f"{tag} Loving my new trail shoes", relationship="paid")
    assert result.reasons == ["ambiguous_tag", "missing_disclosure"]
    assert tag in result.reasons_text()


def test_given_a_bare_thanks_to_brand_when_checked_then_ambiguous():
    result = check_caption("Thanks to @northwind, loving these shoes", relationship="paid")
    assert result.reasons == ["ambiguous_tag", "missing_disclosure"]


@pytest.mark.parametrize(
    "caption", ["#adventure time in the hills", "New #adidas kicks", "#ads1 x"]
)
def test_given_ad_inside_another_word_when_checked_then_not_a_label(caption):
    assert check_caption(caption, relationship="paid").reasons == ["missing_disclosure"]


def test_given_the_label_after_125_characters_when_checked_then_buried():
    caption = FILLER + "#ad"
    assert len(FILLER) > 125
    result = check_caption(caption, relationship="paid")
    assert result.reasons == ["buried_disclosure"]


def test_given_the_label_only_in_a_closing_hashtag_block_when_checked_then_buried():
    result = check_caption("Muddy 30k today" + HASHTAG_TAIL + " #ad", relationship="paid")
    assert result.reasons == ["buried_disclosure"]


def test_given_a_short_caption_ending_in_one_ad_tag_when_checked_then_compliant():
    result = check_caption("Muddy 30k in my new shoes #ad", relationship="paid")
    assert (result.compliant, result.label, result.label_at) == (True, "#ad", 26)


def test_given_gifted_when_relationship_is_gifted_then_compliant():
    assert check_caption("#gifted by @northwind - shoes!", relationship="gifted").compliant


def test_given_the_ftc_free_product_sentence_when_gifted_then_compliant():
    caption = "Thanks to Northwind for the free product! Trying them on a muddy 30k."
    assert check_caption(caption, relationship="gifted").compliant


def test_given_gifted_when_relationship_is_paid_then_not_enough():
    result = check_caption("#gifted new shoes", relationship="paid")
    assert result.reasons == ["gifted_not_gifted", "missing_disclosure"]


def test_given_gifted_under_uk_cma_policy_then_ad_is_required():
    result = check_caption("#gifted new shoes", relationship="gifted", policy="uk_cma")
    assert result.reasons == ["gift_needs_ad", "missing_disclosure"]
    assert check_caption("Ad #gifted new shoes", relationship="gifted", policy="uk_cma").compliant


def test_given_the_commission_sentence_when_affiliate_then_compliant():
    caption = "I earn a commission on purchases through these links. Shoes below!"
    assert check_caption(caption, relationship="affiliate").compliant
    assert check_caption(caption, relationship="paid").reasons == ["missing_disclosure"]


def test_given_a_brief_when_mentions_or_hashtags_are_missing_then_named():
    result = check_caption(
        "#ad New shoes from @Northwind",
        relationship="paid",
        required_mentions=["@northwind", "@northwind.trail"],
        required_hashtags=["#RunFree"],
    )
    assert result.reasons == ["missing_mention", "missing_hashtag"]
    assert "@northwind.trail" in result.reasons_text()
    assert "#RunFree" in result.reasons_text()
