"""The grouped journeys format: parsing, line numbers of bad rows, grouping single journeys."""

from __future__ import annotations

import numpy as np
import pytest

from infludesk.attribution.engine import (
    JourneyFormatError,
    format_journeys,
    group_journeys,
    parse_journeys,
    table_from_rows,
)

HEADER = "path,conversions,null,value\n"


def test_given_rows_when_parsed_then_channels_in_first_appearance_order_and_csr_arrays():
    table = parse_journeys(HEADER + "b > a,2,1,20.5\na,0,3,\n")
    assert table.channels == ("b", "a")
    assert table.offsets.tolist() == [0, 2, 3]
    assert table.touches.tolist() == [0, 1, 1]
    assert table.conversions.tolist() == [2.0, 0.0]
    assert table.nulls.tolist() == [1.0, 3.0]
    assert table.values.tolist() == [20.5, 0.0]


def test_given_spaces_around_names_when_parsed_then_names_are_trimmed():
    table = parse_journeys(HEADER + " anna >ben>  carl ,1,0,1\n")
    assert table.path(0) == ["anna", "ben", "carl"]


def test_given_zero_zero_row_when_parsed_then_accepted_and_channel_listed():
    table = parse_journeys(HEADER + "a,1,0,1\nz,0,0,0\n")
    assert table.channels == ("a", "z")
    assert table.conversions.tolist() == [1.0, 0.0]


def test_given_bom_and_blank_lines_when_parsed_then_ignored():
    table = parse_journeys("\ufeff" + HEADER + "\na,1,0,1\n\n")
    assert table.n_paths == 1


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("a,1,0,1\nb,x,0,1\n", 3, "conversions is not a number: 'x'"),
        ("a,1,0,1\nb,1,-2,1\n", 3, "null must be a whole number >= 0, got '-2'"),
        ("a,1.5,0,1\n", 2, "conversions must be a whole number >= 0, got '1.5'"),
        ("a,1,0,1\nb,1,0,nan\n", 3, "value must be finite, got 'nan'"),
        ("a,1,0,1\n\nb > ,1,0,1\n", 4, "path has an empty channel name: 'b > '"),
        ("a,1,0,1\nb,1,0\n", 3, "expected 4 fields, got 3"),
        ('a,1,0,1\n"b\n > c",1,0,1\nd,1,z,1\n', 5, "null is not a number: 'z'"),
    ],
)
def test_given_malformed_row_when_parsed_then_error_names_its_line(body, line, message):
    with pytest.raises(JourneyFormatError) as caught:
        parse_journeys(HEADER + body)
    assert caught.value.line == line
    assert caught.value.message == message


def test_given_wrong_header_when_parsed_then_line_1_error():
    with pytest.raises(JourneyFormatError) as caught:
        parse_journeys("path,conv,null,value\na,1,0,1\n")
    assert caught.value.line == 1


def test_given_single_journeys_when_grouped_then_identical_paths_are_counted_together():
    # journeys: [0,1] conv 10; [0,1] not; [1] conv 5; [0,1] conv 2.5; [1,1,0] not
    offsets = np.array([0, 2, 4, 5, 7, 10])
    touches = np.array([0, 1, 0, 1, 1, 0, 1, 1, 1, 0])
    converted = np.array([True, False, True, True, False])
    values = np.array([10.0, 99.0, 5.0, 2.5, 0.0])
    table = group_journeys(offsets, touches, converted, values, ["a", "b"])
    rows = {
        tuple(table.path(i)): (table.conversions[i], table.nulls[i], table.values[i])
        for i in range(table.n_paths)
    }
    assert rows == {
        ("a", "b"): (2.0, 1.0, 12.5),
        ("b",): (1.0, 0.0, 5.0),
        ("b", "b", "a"): (0.0, 1.0, 0.0),
    }


def test_given_rows_with_same_path_when_table_from_rows_then_merged():
    table = table_from_rows([(["a", "b"], 1, 0, 2.0), (["a", "b"], 2, 3, 4.0), (["b"], 1, 1, 1.0)])
    assert table.n_paths == 2
    assert table.conversions.tolist() == [3.0, 1.0]
    assert table.nulls.tolist() == [3.0, 1.0]
    assert table.values.tolist() == [6.0, 1.0]


def test_given_rows_when_formatted_then_grouped_csv_with_separator():
    text = format_journeys([(("anna", "ben, jr"), 2, 1, "40.00"), (("ben",), 0, 5, "0")])
    assert text == 'path,conversions,null,value\n"anna > ben, jr",2,1,40.00\nben,0,5,0\n'
