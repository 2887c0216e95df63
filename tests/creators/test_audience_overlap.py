"""Audience overlap (pure): parsing the brief's target, normalising demographics and the
hand-worked overlap of the module docstring."""

from __future__ import annotations

import pytest

from infludesk.creators import audience_overlap as ao

# ------------------------------------------------------------ parsing the target


def test_given_weights_when_parsed_then_normalised_to_shares():
    # given percentages 60 and 40 -> 0.6 and 0.4; codes upper-cased
    assert ao.parse_split("country", "us:60, GB:40") == {"US": 0.6, "GB": 0.4}


def test_given_bins_without_weights_when_parsed_then_equal_shares():
    assert ao.parse_split("age", "18-24, 25-34") == {"18-24": 0.5, "25-34": 0.5}


def test_given_gender_words_when_parsed_then_f_and_m():
    assert ao.parse_split("gender", "female:3, male:1") == {"F": 0.75, "M": 0.25}


def test_given_a_bin_twice_when_parsed_then_weights_add_up():
    assert ao.parse_split("country", "US:1, GB:2, US:1") == {"US": 0.5, "GB": 0.5}


def test_given_zero_weight_when_parsed_then_bin_dropped():
    assert ao.parse_split("country", "US:1, GB:0") == {"US": 1.0}


def test_given_blank_fields_when_target_parsed_then_empty_and_falsy():
    target = ao.parse_target(countries=" ", ages="", gender="")
    assert target.splits == {}
    assert not target


@pytest.mark.parametrize(
    ("dimension", "raw", "field", "message"),
    [
        ("country", "USA:50", "audience_countries",
         "audience_countries: 'USA' is not a two-letter country code such as US."),
        ("age", "18-25", "audience_ages",
         "audience_ages: '18-25' is not one of 13-17, 18-24, 25-34, 35-44, 45-54, 55-64, 65+."),
        ("gender", "X:10", "audience_gender", "audience_gender: 'X' is not F or M."),
        ("country", "US:abc", "audience_countries",
         "audience_countries: the share of US must be a number of 0 or more."),
        ("country", "US:-5", "audience_countries",
         "audience_countries: the share of US must be a number of 0 or more."),
        ("country", "US:nan", "audience_countries",
         "audience_countries: the share of US must be a number of 0 or more."),
        ("gender", "F:0, M:0", "audience_gender", "audience_gender: the shares add up to 0."),
        ("country", "US:1e308, US:1e308", "audience_countries",
         "audience_countries: the shares are too large."),
    ],
)  # fmt: skip
def test_given_bad_split_when_parsed_then_error_names_field_and_part(
    dimension, raw, field, message
):
    with pytest.raises(ao.TargetError) as caught:
        ao.parse_split(dimension, raw)
    assert (caught.value.field, str(caught.value)) == (field, message)


# ------------------------------------------------------------ the audience


def test_given_counts_when_normalised_then_shares_and_gender_without_unknown():
    assert ao.normalise_counts("gender", {"F": 300, "M": 100, "U": 100}) == {
        "F": 0.75,
        "M": 0.25,
    }
    assert ao.normalise_counts("country", {"us": 1, "FR": 3, "GB": 0}) == {
        "US": 0.25,
        "FR": 0.75,
    }
    assert ao.normalise_counts("age", {}) == {}


def test_given_two_accounts_when_demographics_summed_then_counts_add_before_shares():
    # given 100 US + 100 FR on one account and 200 US on the other: US 300/400, FR 100/400
    splits = ao.sum_demographics(
        [
            {"country": {"US": 100, "FR": 100}, "city": {"Paris, Ile-de-France": 100}},
            {"country": {"US": 200}, "age": {"25-34": 50}},
        ]
    )
    assert splits == {"country": {"US": 0.75, "FR": 0.25}, "age": {"25-34": 1.0}}


# ------------------------------------------------------------ overlap, hand-worked


def test_given_two_splits_when_overlap_then_sum_of_minimums():
    # min(.6, .5) + min(.4, .2) = 0.7; GB absent from the audience counts 0
    assert ao.split_overlap({"US": 0.6, "GB": 0.4}, {"US": 0.5, "FR": 0.3, "GB": 0.2}) == (
        pytest.approx(0.7)
    )
    assert ao.split_overlap({"US": 1.0}, {"FR": 1.0}) == 0.0
    assert ao.split_overlap({"US": 0.5, "GB": 0.5}, {"GB": 0.5, "US": 0.5}) == 1.0


def test_given_the_docstring_example_when_overlap_then_0_717_with_evidence():
    target = ao.parse_target(countries="US:60, GB:40", ages="18-24:50, 25-34:50", gender="F")
    audience = ao.AudienceData(
        splits=ao.sum_demographics(
            [
                {
                    "country": {"US": 50, "FR": 30, "GB": 20},
                    "age": {"18-24": 20, "25-34": 60, "35-44": 20},
                    "gender": {"F": 300, "M": 100, "U": 100},
                }
            ]
        ),
        source="insights",
        evidence="Instagram insights follower demographics (@ana on 2026-11-01)",
    )
    result = ao.audience_overlap(target, audience)
    # (0.7 + 0.7 + 0.75) / 3 = 0.7167
    assert result.value == 0.717
    assert [(d.dimension, d.overlap) for d in result.dimensions] == [
        ("country", 0.7),
        ("age", 0.7),
        ("gender", 0.75),
    ]
    assert result.dimensions[0].bins == [
        ao.BinRow("US", 0.6, 0.5),
        ao.BinRow("GB", 0.4, 0.2),
    ]
    assert (result.source, result.evidence) == (
        "insights",
        "Instagram insights follower demographics (@ana on 2026-11-01)",
    )


def test_given_country_only_audience_when_overlap_then_mean_over_dimensions_with_data():
    target = ao.parse_target(countries="FR:50, BE:50", ages="18-24")
    audience = ao.AudienceData(
        splits={"country": {"FR": 1.0}}, source="assumed_country", evidence="assumed FR"
    )
    result = ao.audience_overlap(target, audience)
    # country: min(.5, 1) + min(.5, 0) = 0.5; age: no data -> left out of the mean
    assert result.value == 0.5
    assert [(d.dimension, d.overlap) for d in result.dimensions] == [
        ("country", 0.5),
        ("age", None),
    ]


def test_given_no_audience_data_when_overlap_then_none_and_said_so():
    result = ao.audience_overlap(ao.parse_target(gender="F:70, M:30"), ao.AudienceData())
    assert (result.value, result.source, result.evidence) == (None, "", "no audience data")
    assert result.dimensions[0].bins == [ao.BinRow("F", 0.7, 0.0), ao.BinRow("M", 0.3, 0.0)]
