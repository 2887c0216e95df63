"""The /l/<slug> redirect, driven in-process through its ASGI interface.

The redirect loads links in its own thread, so these tests commit (transaction=True).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest

from infludesk.tracking.clickfold import fold_clicks
from infludesk.tracking.links import tracked_link_set_status, tracked_link_update
from infludesk.tracking.models import Click, LinkStatus
from infludesk.tracking.redirect import RedirectApp
from tests.factories import TrackedLinkFactory

pytestmark = pytest.mark.django_db(transaction=True)

T0 = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC).timestamp()
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


class Downstream:
    """Stands in for Django's ASGI app."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"django"})


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def downstream():
    return Downstream()


@pytest.fixture
def app(settings, tmp_path, clock, downstream):
    settings.CLICK_LOG_DIR = str(tmp_path)
    redirect = RedirectApp(downstream, clock=clock, background_fold=False, rotate_seconds=0)
    yield redirect
    asyncio.run(redirect.stop())


@pytest.fixture
def link(workspace):
    return TrackedLinkFactory(
        creator__workspace=workspace,
        slug="Ab12Cd34",
        destination_url="https://shop.example.com/p?size=42",
        utm_source="instagram",
        utm_campaign="spring",
        utm_content="anna",
    )


def request(app, path, *, method="GET", headers=(), client=("203.0.113.7", 50000)):
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
        "client": client,
    }
    asyncio.run(app(scope, receive, send))
    start, body = sent
    return start["status"], dict(start["headers"]), body["body"]


def fold(app) -> list[Click]:
    app.log.rotate_if_due()  # rotate_seconds=0: the segment is closed and foldable
    fold_clicks()
    return list(Click.objects.order_by("clicked_at", "id"))


def test_given_an_active_link_when_clicked_then_302_to_destination_utm_and_click_id(app, link):
    status, headers, _ = request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    [click] = fold(app)
    assert (status, headers[b"location"].decode()) == (
        302,
        "https://shop.example.com/p?size=42&utm_source=instagram&utm_medium=influencer"
        f"&utm_campaign=spring&utm_content=anna&ifd_click={click.click_id}",
    )


def test_given_a_click_when_stored_then_time_link_and_classes_are_recorded(app, link):
    request(
        app,
        "/l/Ab12Cd34/",
        headers=[("User-Agent", IPHONE), ("Referer", "https://l.instagram.com/?u=x")],
    )
    [click] = fold(app)
    assert (
        click.clicked_at,
        click.link_id,
        click.workspace_id,
        click.ua_class,
        click.referrer_host,
        click.country,
        click.is_bot,
        click.is_unique,
    ) == (
        dt.datetime.fromtimestamp(T0, tz=dt.UTC),
        link.pk,
        link.workspace_id,
        "mobile",
        "l.instagram.com",
        "",
        False,
        True,
    )


def test_given_a_new_visitor_when_clicked_then_a_first_party_cookie_is_set(app, link):
    _, headers, _ = request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    name_value, *attributes = headers[b"set-cookie"].decode().split("; ")
    name, value = name_value.split("=")
    assert (name, len(value), attributes) == (
        "ifd_vid",
        16,
        ["Max-Age=34560000", "Path=/", "SameSite=Lax", "HttpOnly"],
    )


def test_given_a_returning_visitor_then_the_cookie_keeps_the_id_and_the_hash_matches(app, link):
    cookie = [("User-Agent", CHROME), ("Cookie", "a=b; ifd_vid=Visitor-0123456789")]
    _, headers, _ = request(app, "/l/Ab12Cd34", headers=cookie)
    request(app, "/l/Ab12Cd34", headers=cookie)
    first, second = fold(app)
    assert headers[b"set-cookie"].startswith(b"ifd_vid=Visitor-0123456789;")
    assert (first.visitor_hash == second.visitor_hash, len(first.visitor_hash)) == (True, 32)


@pytest.mark.parametrize(
    "agent",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    ],
)
def test_given_a_bot_when_clicking_then_redirected_but_flagged_and_not_unique(app, link, agent):
    status, _, _ = request(app, "/l/Ab12Cd34", headers=[("User-Agent", agent)])
    [click] = fold(app)
    assert (status, click.is_bot, click.ua_class, click.is_unique) == (302, True, "bot", False)


def test_given_a_head_request_then_redirected_but_flagged_as_bot(app, link):
    status, headers, body = request(
        app, "/l/Ab12Cd34", method="HEAD", headers=[("User-Agent", CHROME)]
    )
    [click] = fold(app)
    assert (status, body, click.is_bot, click.ua_class) == (302, b"", True, "desktop")
    assert headers[b"location"].endswith(f"ifd_click={click.click_id}".encode())


def test_given_repeated_clicks_of_one_visitor_then_unique_once_per_30_minutes(app, link, clock):
    visitor = [("User-Agent", CHROME), ("Cookie", "ifd_vid=Visitor-0123456789")]
    for minutes in (0, 10, 29, 30, 45, 61):
        clock.now = T0 + minutes * 60
        request(app, "/l/Ab12Cd34", headers=visitor)
    flags = [c.is_unique for c in fold(app)]
    # 0 opens a window; 10 and 29 fall in it; 30 opens the next; 45 in it; 61 opens a third
    assert flags == [True, False, False, True, False, True]


def test_given_two_visitors_then_each_first_click_is_unique(app, link):
    request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME), ("Cookie", "ifd_vid=too-short")])
    request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    assert [c.is_unique for c in fold(app)] == [True, True]


def test_given_a_paused_link_then_302_to_fallback_without_click_id_and_nothing_logged(
    app, link, owner
):
    tracked_link_set_status(
        link=link, status=LinkStatus.PAUSED, by=owner, fallback_url="https://shop.example.com/"
    )
    status, headers, _ = request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    assert (status, headers[b"location"], fold(app)) == (302, b"https://shop.example.com/", [])


@pytest.mark.parametrize("path", ["/l/NoSuch99", "/l/bad%20slug!", "/l/"])
def test_given_an_unknown_slug_then_friendly_404_page(app, link, path):
    status, headers, body = request(app, path, headers=[("User-Agent", CHROME)])
    assert (status, headers[b"content-type"]) == (404, b"text/html; charset=utf-8")
    assert b"<h1>This link is not available</h1>" in body


def test_given_a_disabled_link_then_friendly_404_page_and_nothing_logged(app, link, owner):
    tracked_link_set_status(link=link, status=LinkStatus.DISABLED, by=owner)
    status, _, body = request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    assert (status, b"This link is not available" in body, fold(app)) == (404, True, [])


def test_given_a_cached_link_when_paused_then_the_next_click_goes_to_the_fallback(app, link, owner):
    first, _, _ = request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])  # now cached
    tracked_link_set_status(
        link=link, status=LinkStatus.PAUSED, by=owner, fallback_url="https://shop.example.com/"
    )
    status, headers, _ = request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    assert (first, status, headers[b"location"]) == (302, 302, b"https://shop.example.com/")


def test_given_a_cached_link_when_destination_edited_then_the_next_click_uses_it(app, link, owner):
    request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    tracked_link_update(link=link, by=owner, destination_url="https://shop.example.com/new")
    _, headers, _ = request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    assert headers[b"location"].startswith(b"https://shop.example.com/new?utm_source=instagram")


def test_given_an_unknown_slug_cached_when_the_link_appears_then_it_redirects(app, workspace):
    missing, _, _ = request(app, "/l/Later123", headers=[("User-Agent", CHROME)])
    TrackedLinkFactory(creator__workspace=workspace, slug="Later123")
    from infludesk.tracking.clicklog import bump_link_version

    bump_link_version()  # what tracked_link_create does after its commit
    found, _, _ = request(app, "/l/Later123", headers=[("User-Agent", CHROME)])
    assert (missing, found) == (404, 302)


def test_given_a_click_then_no_raw_ip_is_stored_in_the_table_or_the_log(app, link, tmp_path):
    request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)], client=("198.51.100.23", 1))
    log_bytes = b"".join(p.read_bytes() for p in tmp_path.glob("*.log"))
    [click] = fold(app)
    row = " ".join(str(v) for v in Click.objects.values().get().values())
    assert ("198.51.100.23" in row, b"198.51.100.23" in log_bytes, len(click.ip_hash)) == (
        False,
        False,
        32,
    )


def test_given_one_ip_on_two_days_then_the_ip_hash_differs_per_day(app, link, clock):
    request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    clock.now = T0 + 86400
    request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    first, second = fold(app)
    assert first.ip_hash != second.ip_hash


def test_given_other_paths_then_django_answers(app, link, downstream):
    status, _, body = request(app, "/creators/")
    assert (status, body, downstream.paths) == (200, b"django", ["/creators/"])


def test_given_a_post_to_a_link_then_405(app, link):
    status, headers, _ = request(app, "/l/Ab12Cd34", method="POST")
    assert (status, headers[b"allow"]) == (405, b"GET, HEAD")


def test_given_in_process_folding_then_a_click_reaches_the_table_without_help(
    settings, tmp_path, link, downstream
):
    settings.CLICK_LOG_DIR = str(tmp_path)
    app = RedirectApp(downstream, fold_interval=0.05, rotate_seconds=0.05)
    _, headers, _ = request(app, "/l/Ab12Cd34", headers=[("User-Agent", CHROME)])
    click_id = headers[b"location"].decode().rsplit("ifd_click=", 1)[1]
    stored: list[str] = []
    for _ in range(400):  # the background thread rotates and folds every 0.05 s
        stored = list(Click.objects.values_list("click_id", flat=True))
        if stored:
            break
        threading.Event().wait(0.05)
    asyncio.run(app.stop())
    assert stored == [click_id]  # found before stop(), which would fold it too
