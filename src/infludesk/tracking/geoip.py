"""Country of a click from a local MaxMind-format (.mmdb) country database, when configured.

Set GEOIP_DB to the file's path (e.g. MaxMind's GeoLite2-Country.mmdb or DB-IP's free
"IP to Country Lite" in MMDB format; Infludesk ships none and never downloads one). The
redirect then looks the raw IP up before hashing it and stores only the two-letter ISO code;
the IP itself is never stored. Unset, nothing is loaded (not even the `maxminddb` module) and
the redirect's only cost is one `is None` test.

Records are read in the GeoIP2 / GeoLite2 layout (`country.iso_code`, falling back to
`registered_country.iso_code`); flat layouts with a top-level `country_code` or a two-letter
`country` string (IPinfo-style) work too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _iso(value: Any) -> str:
    if isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha():
        return value.upper()
    return ""


def country_of(record: Any) -> str:
    """The two-letter country code in a database record, or "" when it has none."""
    if not isinstance(record, dict):
        return ""
    for key in ("country", "registered_country"):
        part = record.get(key)
        if isinstance(part, dict) and (code := _iso(part.get("iso_code"))):
            return code
    return _iso(record.get("country_code")) or _iso(record.get("country"))


class CountryLookup:
    """An open database; `country(ip)` answers "" for unknown, private or malformed IPs."""

    def __init__(self, path: str) -> None:
        import maxminddb

        try:
            self._reader = maxminddb.open_database(path)
        except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:  # missing, not .mmdb
            raise ImproperlyConfigured(
                f"GEOIP_DB={path!r} cannot be opened as a MaxMind DB country database: {exc}"
            ) from exc
        self.path = path

    def country(self, ip: str) -> str:
        try:
            return country_of(self._reader.get(ip))
        except ValueError:  # not an IP address (a bad X-Forwarded-For), or IPv6 in an IPv4 db
            return ""

    def close(self) -> None:
        self._reader.close()


def open_country_lookup() -> CountryLookup | None:
    """The configured lookup, or None when GEOIP_DB is unset (empty)."""
    path = getattr(settings, "GEOIP_DB", "")
    return CountryLookup(path) if path else None
