"""API test fixtures: a Django test client per role, authenticated with a real API token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from infludesk.core.models import Member
from infludesk.core.tokens import api_token_create

API = "/api/v1"


class ApiClient:
    """A thin JSON wrapper around Django's test client (full middleware stack)."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = client or Client(headers=headers)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"{API}{path}", params)

    def post(self, path: str, body: Any) -> Any:
        return self._send("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self._send("patch", path, body)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"{API}{path}")

    def raw(self, method: str, path: str, data: str | bytes) -> Any:
        send = getattr(self.client, method)
        return send(f"{API}{path}", data=data, content_type="application/json")

    def _send(self, method: str, path: str, body: Any) -> Any:
        return self.raw(method, path, json.dumps(body))


def token_for(member: Member) -> str:
    _, raw = api_token_create(member=member, name="tests")
    return raw


@pytest.fixture
def anonymous_api(db) -> ApiClient:
    return ApiClient()
