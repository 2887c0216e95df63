"""Helpers for the social connector tests: load the replay payloads, read a request's query.

The payloads under fixtures/social/ follow the response shapes of each platform's public docs
(URLs in each test module); ids and numbers are made up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

FIXTURES = Path(__file__).parent / "fixtures" / "social"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def query(seen: Any) -> dict[str, str]:
    """A recorded request's query string as a flat dict."""
    return {key: values[-1] for key, values in parse_qs(seen.query).items()}
