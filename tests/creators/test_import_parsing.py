"""Reading files and cells: column guessing, mapping checks, cell converters (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infludesk.creators import importing_cells as cells
from infludesk.creators.importing import (
    FileProblem,
    check_mapping,
    guess_mapping,
    read_table,
)


def test_guess_mapping_from_header_words():
    headers = ["User Name", "Network", "Subscribers", "E-mail", "Niche", "Is Verified", "Notes"]
    assert guess_mapping(kind="creators", headers=headers) == {
        "platform": "Network",
        "handle": "User Name",
        "email": "E-mail",
        "followers": "Subscribers",
        "categories": "Niche",
        "verified": "Is Verified",
    }


def test_guess_mapping_for_comments_keeps_username_for_the_author():
    headers = ["platform", "handle", "post_id", "comment_id", "text", "username"]
    assert guess_mapping(kind="comments", headers=headers) == {
        "platform": "platform",
        "handle": "handle",
        "post_id": "post_id",
        "comment_id": "comment_id",
        "text": "text",
        "author": "username",
    }


def test_check_mapping_lists_every_problem():
    problems = check_mapping(
        kind="posts",
        headers=["a", "b"],
        mapping={"platform": "a", "handle": "a", "likes": "zzz"},
    )
    assert problems == [
        "Likes: the file has no column 'zzz'.",
        "Choose the column that holds the post id.",
        "Column 'a' is mapped twice (platform and handle).",
    ]


def test_csv_lines_count_the_header_and_skip_blank_rows():
    table = read_table(data=b"\xef\xbb\xbfh,p\nana,ig\n\n,\nbo,tt\n", filename="x.csv")
    assert table.headers == ["h", "p"]
    assert [(r.line, r.values) for r in table.rows] == [(2, ["ana", "ig"]), (5, ["bo", "tt"])]


def test_semicolon_csv_is_sniffed():
    table = read_table(data=b"handle;platform\nana;instagram\n", filename="x.csv")
    assert table.rows[0].values == ["ana", "instagram"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "x.csv", "The file is empty."),
        (b"\xff\xfeh", "x.csv", "The file is not UTF-8 text (byte 0); save it as CSV UTF-8."),
        (
            b"[1, 2]",
            "x.json",
            "The JSON must be a list of objects (one per row), e.g. [{...}, {...}].",
        ),
        (b"PK\x03\x04junk", "x.xlsx", "The file is not a readable .xlsx workbook."),
        (b"a,a\n1,2\n", "x.csv", "Column names must be unique; repeated: a."),
        (b"%PDF", "x.pdf", "Upload a .csv, .xlsx or .json file."),
    ],
)
def test_unreadable_files_say_why(data, filename, message):
    with pytest.raises(FileProblem) as info:
        read_table(data=data, filename=filename)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,345", 12345), ("12345.0", 12345), ("12.5k", 12500), ("1.2M", 1_200_000), ("0", 0)],
)
def test_counts_accept_common_spellings(text, value):
    assert cells.to_count(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "'abc' is not a whole number."),
        ("1.5", "'1.5' is not a whole number."),
        ("-3", "Counts cannot be negative (got -3)."),
        ("nan", "'nan' is not a whole number."),
    ],
)
def test_bad_counts_say_why(text, message):
    with pytest.raises(cells.CellError) as info:
        cells.to_count(text)
    assert str(info.value) == message


@given(st.integers(min_value=0, max_value=10**15))
def test_count_round_trips_any_whole_number(number):
    assert cells.to_count(str(number)) == number
    assert cells.to_count(f"{number:,}") == number


@pytest.mark.parametrize(
    ("text", "value"),
    [("Instagram", "instagram"), ("YouTube", "youtube"), ("TikTok", "tiktok"), ("ig", "instagram")],
)
def test_platform_names(text, value):
    assert cells.to_platform(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2026-11-20", dt.datetime(2026, 11, 20, tzinfo=dt.UTC)),
        ("2026-11-20 14:30", dt.datetime(2026, 11, 20, 14, 30, tzinfo=dt.UTC)),
        (
            "2026-11-20T14:30:00+01:00",
            dt.datetime(2026, 11, 20, 13, 30, tzinfo=dt.UTC),
        ),
        ("1763650800", dt.datetime(2025, 11, 20, 15, 0, tzinfo=dt.UTC)),
    ],
)
def test_dates(text, value):
    assert cells.to_datetime(text) == value


def test_bad_date_says_how_to_write_it():
    with pytest.raises(cells.CellError) as info:
        cells.to_datetime("2026-13-45")
    assert str(info.value) == (
        "'2026-13-45' is not a date; use ISO 8601 such as 2026-11-20 or 2026-11-20T14:30:00Z."
    )


def test_categories_and_booleans():
    assert cells.to_categories("Travel; food,Travel | hiking") == ["Travel", "food", "hiking"]
    assert (cells.to_bool("Yes"), cells.to_bool("0")) == (True, False)
    with pytest.raises(cells.CellError) as info:
        cells.to_bool("maybe")
    assert str(info.value) == "'maybe' is not yes or no; use true or false."
