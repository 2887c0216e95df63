"""The durable click log and its fold into the Click table."""

from __future__ import annotations

import asyncio
import datetime as dt
import os

import pytest

from infludesk.tracking.clickfold import _Touch, fold_clicks, unique_flags
from infludesk.tracking.clicklog import (
    ClickLog,
    ClickRecord,
    decode_segment,
    encode_click,
    encode_record,
    list_segments,
)
from infludesk.tracking.models import Click
from tests.factories import ClickFactory, TrackedLinkFactory

T0_US = 1_795_600_000_000_000


def record(link, n: int, *, visitor: str = "v1", minutes: float = 0, bot: bool = False):
    return ClickRecord(
        click_id=f"click{n:011d}",
        link_id=link.pk,
        workspace_id=link.workspace_id,
        clicked_at_us=T0_US + int(minutes * 60_000_000),
        visitor_hash=visitor,
        ip_hash="ip",
        ua_class="bot" if bot else "desktop",
        referrer_host="",
        country="",
        is_bot=bot,
    )


def write_segment(directory, name: str, data: bytes) -> None:
    (directory / f"{name}.log").write_bytes(data)


@pytest.fixture
def link(workspace):
    return TrackedLinkFactory(creator__workspace=workspace)


def test_given_the_hot_path_encoder_then_it_writes_the_same_bytes_as_the_record_encoder():
    r = ClickRecord("id1", 7, 3, T0_US, "vh", "ih", "mobile", 'a"b.test', "", True)
    assert encode_click("id1", 7, 3, T0_US, "vh", "ih", "mobile", 'a"b.test', True) == (
        encode_record(r)
    )


def test_given_a_torn_last_line_then_it_is_skipped_and_counted():
    r = ClickRecord("id1", 7, 3, T0_US, "vh", "ih", "mobile", "", "", False)
    records, bad = decode_segment(encode_record(r) + b'[1,"id2",7,3,17956')
    assert (records, bad) == ([r], 1)


def test_given_segments_when_folded_then_every_click_is_stored_and_segments_removed(tmp_path, link):
    write_segment(tmp_path, "0001", encode_record(record(link, 1)))
    write_segment(tmp_path, "0002", encode_record(record(link, 2, visitor="v2")))
    result = fold_clicks(directory=tmp_path)
    stored = sorted(Click.objects.values_list("click_id", flat=True))
    assert (result.inserted, stored, list_segments(tmp_path)) == (
        2,
        ["click00000000001", "click00000000002"],
        [],
    )


def test_given_a_segment_folded_twice_then_clicks_are_stored_once(tmp_path, link):
    data = encode_record(record(link, 1)) + encode_record(record(link, 2))
    write_segment(tmp_path, "0001", data)
    fold_clicks(directory=tmp_path)
    write_segment(tmp_path, "0002", data)  # e.g. a crash after storing, before deleting
    result = fold_clicks(directory=tmp_path)
    assert (result.inserted, result.already_stored, Click.objects.count()) == (0, 2, 2)


def test_given_a_segment_of_a_live_writer_then_it_is_left_alone(tmp_path, link):
    log = ClickLog(tmp_path, rotate_seconds=3600)
    asyncio.run(log.append(encode_record(record(link, 1))))
    result = fold_clicks(directory=tmp_path)
    asyncio.run(log.aclose())  # closing releases the lock: now it folds
    after = fold_clicks(directory=tmp_path)
    assert (result.segments, Click.objects.count() - after.inserted, after.inserted) == (0, 0, 1)


def test_given_concurrent_appends_then_they_share_batches_and_all_reach_disk(tmp_path, link):
    log = ClickLog(tmp_path)

    async def many() -> None:
        await asyncio.gather(*(log.append(encode_record(record(link, n))) for n in range(200)))

    asyncio.run(many())
    [segment] = list_segments(tmp_path)
    records, bad = decode_segment(segment.read_bytes())
    asyncio.run(log.aclose())
    assert (len({r.click_id for r in records}), bad) == (200, 0)


def test_given_a_click_of_a_deleted_link_then_it_is_dropped_not_blocking_the_rest(
    tmp_path, link, workspace
):
    gone = TrackedLinkFactory(creator__workspace=workspace)
    data = encode_record(record(gone, 1)) + encode_record(record(link, 2))
    gone.delete()
    write_segment(tmp_path, "0001", data)
    result = fold_clicks(directory=tmp_path)
    assert (result.unknown_link, list(Click.objects.values_list("click_id", flat=True))) == (
        1,
        ["click00000000002"],
    )


def test_given_segments_folded_out_of_time_order_then_unique_flags_are_the_same(tmp_path, link):
    write_segment(tmp_path, "0001", encode_record(record(link, 2, minutes=10)))
    fold_clicks(directory=tmp_path)  # the later click first: unique for now
    write_segment(tmp_path, "0002", encode_record(record(link, 1, minutes=0)))
    fold_clicks(directory=tmp_path)
    flags = list(Click.objects.order_by("clicked_at").values_list("is_unique", flat=True))
    assert flags == [True, False]


def test_given_a_stored_unique_click_then_a_new_one_within_30_minutes_is_not_unique(link):
    ClickFactory(
        link=link,
        click_id="old",
        visitor_hash="v1",
        clicked_at=dt.datetime.fromtimestamp(T0_US / 1e6, tz=dt.UTC),
        is_unique=True,
    )
    at = dt.datetime.fromtimestamp(T0_US / 1e6, tz=dt.UTC)
    new = {(link.pk, "v1"): [_Touch(at + dt.timedelta(minutes=20), "new", None, False)]}
    stored = {(link.pk, "v1"): [_Touch(at, "old", 1, True)]}
    assert unique_flags(new, stored) == ({"new": False}, {})


def test_given_bots_then_they_are_stored_but_never_unique(tmp_path, link):
    write_segment(tmp_path, "0001", encode_record(record(link, 1, bot=True)))
    fold_clicks(directory=tmp_path)
    assert list(Click.objects.values_list("is_bot", "is_unique")) == [(True, False)]


def test_given_the_fold_command_then_it_reports_what_it_stored(tmp_path, link, settings):
    from django.core.management import call_command

    settings.CLICK_LOG_DIR = str(tmp_path)
    write_segment(tmp_path, "0001", encode_record(record(link, 1)) + b"[1,")
    out = _capture(call_command, "fold_clicks")
    assert out == (
        "Folded 1 segment(s): 1 click(s) stored, 0 already stored, 0 for deleted links, "
        "1 torn line(s) skipped.\n"
    )


def _capture(fn, *args) -> str:
    import io

    buffer = io.StringIO()
    fn(*args, stdout=buffer)
    return buffer.getvalue()


def test_given_a_segment_file_then_it_is_private_to_the_server_user(tmp_path, link):
    log = ClickLog(tmp_path)
    asyncio.run(log.append(encode_record(record(link, 1))))
    [segment] = list_segments(tmp_path)
    mode = os.stat(segment).st_mode & 0o777
    asyncio.run(log.aclose())
    assert mode == 0o600
