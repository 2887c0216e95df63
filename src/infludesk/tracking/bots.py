"""User-agent classes for clicks: mobile, tablet, desktop, bot or other.

Bots are what the maintained `crawlerdetect` list matches, plus link-preview fetchers it may miss
(chat apps and social networks fetch a link the moment it is posted), plus requests without a
user agent (every browser sends one). The result is cached per user-agent string because the
crawler regex costs ~75 us and the same few hundred strings make up nearly all traffic.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crawlerdetect import CrawlerDetect

UA_MOBILE = "mobile"
UA_TABLET = "tablet"
UA_DESKTOP = "desktop"
UA_BOT = "bot"
UA_OTHER = "other"

# Link-preview fetchers and social crawlers, matched case-insensitively as substrings.
PREVIEW_FETCHERS = (
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "twitterbot",
    "slackbot",
    "slack-imgproxy",
    "whatsapp",
    "telegrambot",
    "linkedinbot",
    "discordbot",
    "pinterestbot",
    "redditbot",
    "skypeuripreview",
    "viber",
    "snapchat",
    "bingpreview",
    "embedly",
    "iframely",
    "vkshare",
    "applebot",
    "mastodon",
    "bluesky",
    "google-pagerenderer",
)
_PREVIEW_RE = re.compile("|".join(re.escape(name) for name in PREVIEW_FETCHERS), re.IGNORECASE)
_TABLET_RE = re.compile(r"ipad|tablet|kindle|silk/|playbook|nexus (7|9|10)", re.IGNORECASE)
_ANDROID_RE = re.compile(r"android", re.IGNORECASE)
_MOBILE_RE = re.compile(
    r"mobi|iphone|ipod|windows phone|blackberry|opera mini|iemobile|webos", re.IGNORECASE
)
_DESKTOP_RE = re.compile(r"windows nt|macintosh|mac os x|x11|linux x86_64|cros", re.IGNORECASE)

_detector = CrawlerDetect()


@lru_cache(maxsize=4096)
def classify_user_agent(user_agent: str) -> tuple[str, bool]:
    """(ua_class, is_bot) for a User-Agent header value.

    Order matters: a bot claiming to be an iPhone is a bot; Android without "Mobile" is a tablet
    (Google's own convention for Android tablets).
    """
    ua = user_agent.strip()
    if not ua or _PREVIEW_RE.search(ua) or _detector.isCrawler(ua):
        return UA_BOT, True
    if _TABLET_RE.search(ua) or (_ANDROID_RE.search(ua) and "mobile" not in ua.lower()):
        return UA_TABLET, False
    if _MOBILE_RE.search(ua) or _ANDROID_RE.search(ua):
        return UA_MOBILE, False
    if _DESKTOP_RE.search(ua):
        return UA_DESKTOP, False
    return UA_OTHER, False
