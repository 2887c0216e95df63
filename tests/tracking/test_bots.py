"""User-agent classes for clicks."""

from __future__ import annotations

import pytest

from infludesk.tracking.bots import classify_user_agent


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0",
            ("desktop", False),
        ),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15", ("desktop", False)),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
            ("mobile", False),
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile Safari/537.36",
            ("mobile", False),
        ),
        ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1", ("tablet", False)),
        ("Mozilla/5.0 (Linux; Android 13; SM-X700) Chrome/120.0 Safari/537.36", ("tablet", False)),
        ("SomeSmartTV/1.0", ("other", False)),
        ("", ("bot", True)),
        ("facebookexternalhit/1.1", ("bot", True)),
        ("Twitterbot/1.0", ("bot", True)),
        ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", ("bot", True)),
        ("WhatsApp/2.23.20.0", ("bot", True)),
        ("TelegramBot (like TwitterBot)", ("bot", True)),
        ("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient)", ("bot", True)),
        ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", ("bot", True)),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", ("bot", True)),
        ("curl/8.5.0", ("bot", True)),
    ],
)
def test_given_a_user_agent_then_its_class_and_bot_flag(agent, expected):
    assert classify_user_agent(agent) == expected
