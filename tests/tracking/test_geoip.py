"""GeoIP country of a click (GEOIP_DB), with a tiny MaxMind DB written by the test itself."""

from __future__ import annotations

import asyncio

import pytest
from django.core.exceptions import ImproperlyConfigured
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from infludesk.tracking.clickfold import fold_clicks
from infludesk.tracking.clicklog import ClickRecord, encode_click, encode_record, list_segments
from infludesk.tracking.geoip import CountryLookup, country_of
from infludesk.tracking.models import Click
from infludesk.tracking.redirect import RedirectApp
from tests.factories import TrackedLinkFactory
from tests.tracking.test_redirect import Clock, Downstream, request


@pytest.fixture(scope="module")
def country_db(tmp_path_factory) -> str:
    """203.0.113.0/24 -> DE (country), 198.51.100.0/24 -> FR (registered country only),
    2001:db8::/32 -> JP; anything else unknown."""
    writer = MMDBWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type="GeoLite2-Country",
        languages=["en"],
        description="Infludesk test countries",
    )
    writer.insert_network(
        IPSet(["203.0.113.0/24"]), {"country": {"iso_code": "DE", "names": {"en": "Germany"}}}
    )
    writer.insert_network(IPSet(["198.51.100.0/24"]), {"registered_country": {"iso_code": "FR"}})
    writer.insert_network(IPSet(["2001:db8::/32"]), {"country": {"iso_code": "JP"}})
    path = tmp_path_factory.mktemp("geoip") / "countries.mmdb"
    writer.to_db_file(str(path))
    return str(path)


def test_given_a_country_database_then_addresses_resolve_to_their_iso_code(country_db):
    lookup = CountryLookup(country_db)
    try:
        assert [
            lookup.country(ip)
            for ip in ("203.0.113.7", "198.51.100.1", "2001:db8::1", "192.0.2.1", "not an ip", "")
        ] == ["DE", "FR", "JP", "", "", ""]
    finally:
        lookup.close()


def test_record_layouts_are_read_and_odd_values_ignored():
    assert [
        country_of({"country": {"iso_code": "de"}}),
        country_of({"country": {"names": {}}, "registered_country": {"iso_code": "AT"}}),
        country_of({"country_code": "NL", "country": "Netherlands"}),
        country_of({"country": "BE"}),
        country_of({"country": {"iso_code": 'X"'}}),
        country_of(None),
    ] == ["DE", "AT", "NL", "BE", "", ""]


def test_given_a_missing_or_broken_file_then_start_up_names_the_setting(tmp_path):
    broken = tmp_path / "broken.mmdb"
    broken.write_bytes(b"not a database")
    for path in (str(tmp_path / "missing.mmdb"), str(broken)):
        with pytest.raises(ImproperlyConfigured, match=r"GEOIP_DB='.*' cannot be opened"):
            CountryLookup(path)


def test_given_a_country_then_the_hot_path_encoder_matches_the_record_encoder():
    r = ClickRecord("id1", 7, 3, 1, "vh", "ih", "mobile", "ref.test", "DE", False)
    assert encode_click("id1", 7, 3, 1, "vh", "ih", "mobile", "ref.test", False, "DE") == (
        encode_record(r)
    )


# --- through the redirect --------------------------------------------------------------------


@pytest.fixture
def make_app(settings, tmp_path):
    settings.CLICK_LOG_DIR = str(tmp_path)
    apps: list[RedirectApp] = []

    def make(geoip_db: str) -> RedirectApp:
        settings.GEOIP_DB = geoip_db
        app = RedirectApp(Downstream(), clock=Clock(), background_fold=False, rotate_seconds=0)
        apps.append(app)
        return app

    yield make
    for app in apps:
        asyncio.run(app.stop())


@pytest.mark.django_db(transaction=True)
def test_given_geoip_db_when_clicked_then_the_click_has_the_country_and_no_raw_ip(
    make_app, country_db, workspace, tmp_path
):
    # given
    TrackedLinkFactory(creator__workspace=workspace, slug="Geo12345")
    app = make_app(country_db)
    # when clicks come from Germany, an unknown address and IPv6 Japan
    for ip in ("203.0.113.7", "192.0.2.1", "2001:db8::5"):
        assert request(app, "/l/Geo12345", client=(ip, 50000))[0] == 302
    app.log.rotate_if_due()
    logged = b"".join(path.read_bytes() for path in list_segments(tmp_path))
    fold_clicks()
    # then
    clicks = list(Click.objects.order_by("clicked_at", "id"))
    assert [c.country for c in clicks] == ["DE", "", "JP"]
    assert all(len(c.ip_hash) == 32 for c in clicks)
    assert b"203.0.113.7" not in logged and b"2001:db8" not in logged


@pytest.mark.django_db(transaction=True)
def test_given_no_geoip_db_then_nothing_is_opened_and_the_country_stays_empty(make_app, workspace):
    TrackedLinkFactory(creator__workspace=workspace, slug="NoGeo123")
    app = make_app("")
    assert request(app, "/l/NoGeo123", client=("203.0.113.7", 50000))[0] == 302
    app.log.rotate_if_due()
    fold_clicks()
    assert (app.geoip, list(Click.objects.values_list("country", flat=True))) == (None, [""])


@pytest.mark.django_db(transaction=True)
def test_given_a_bad_geoip_db_then_the_server_refuses_to_start_with_the_reason(make_app, tmp_path):
    app = make_app(str(tmp_path / "missing.mmdb"))
    sent: list[dict] = []
    messages = iter([{"type": "lifespan.startup"}])

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message)

    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert sent[0]["type"] == "lifespan.startup.failed"
    assert "GEOIP_DB=" in sent[0]["message"] and "cannot be opened" in sent[0]["message"]
