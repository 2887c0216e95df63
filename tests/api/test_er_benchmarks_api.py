"""The workspace's ER benchmarks over the API: read with sources, set with a source, reset one
or all; viewers read only, other workspaces never see or change them, bad values are 422s."""

from __future__ import annotations

import pytest

from infludesk.creators.models import ErBenchmark
from tests.api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db
SOURCE = "Our 2026 campaigns, 140 micro creators"


def _cell(body, platform, tier):
    return next(r for r in body["rows"] if (r["platform"], r["tier"]) == (platform, tier))


def test_given_a_figure_when_putting_then_in_force_with_its_source(manager):
    api = ApiClient(token_for(manager))
    response = api.raw(
        "put", "/er-benchmarks/instagram/micro", f'{{"rate": 8, "source": "{SOURCE}"}}'
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "platform": "instagram",
        "tier": "micro",
        "basis": "followers",
        "rate": 8.0,
        "default_rate": 1.6,
        "source": SOURCE,
        "is_default": False,
    }
    body = api.get("/er-benchmarks").json()
    assert len(body["rows"]) == 12
    assert _cell(body, "instagram", "micro")["rate"] == 8.0
    assert _cell(body, "instagram", "nano")["is_default"] is True
    assert body["default_source"].startswith("Infludesk editorial defaults")


def test_given_figures_when_deleting_one_and_all_then_defaults(manager):
    api = ApiClient(token_for(manager))
    for tier in ("nano", "micro"):
        api.raw("put", f"/er-benchmarks/tiktok/{tier}", '{"rate": 9, "source": "x"}')
    assert api.delete("/er-benchmarks/tiktok/nano").status_code == 204
    assert _cell(api.get("/er-benchmarks").json(), "tiktok", "nano")["rate"] == 8.0
    assert api.delete("/er-benchmarks").status_code == 204
    assert ErBenchmark.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "body", "fields"),
    [
        ("/er-benchmarks/myspace/micro", '{"rate": 2, "source": "x"}', ["platform"]),
        ("/er-benchmarks/instagram/giant", '{"rate": 2, "source": "x"}', ["tier"]),
        ("/er-benchmarks/instagram/micro", '{"rate": 0, "source": ""}', ["rate", "source"]),
        ("/er-benchmarks/instagram/micro", '{"rate": "lots", "source": "x"}', ["rate"]),
        ("/er-benchmarks/instagram/micro", '{"rate": 2}', ["source"]),
    ],
)
def test_given_bad_values_when_putting_then_422_naming_them(manager, path, body, fields):
    response = ApiClient(token_for(manager)).raw("put", path, body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == fields
    assert ErBenchmark.objects.count() == 0


def test_given_a_viewer_then_reads_but_cannot_change(viewer, django_assert_num_queries):
    api = ApiClient(token_for(viewer))
    api.get("/er-benchmarks")  # the token's first use stamps it
    with django_assert_num_queries(2):  # token + member, the workspace's figures
        assert api.get("/er-benchmarks").status_code == 200
    assert (
        api.raw("put", "/er-benchmarks/instagram/micro", '{"rate": 2, "source": "x"}').status_code
        == 403
    )
    assert api.delete("/er-benchmarks/instagram/micro").status_code == 403
    assert api.delete("/er-benchmarks").status_code == 403


def test_given_another_workspace_then_its_figures_are_invisible_and_untouched(manager, other_owner):
    theirs = ApiClient(token_for(other_owner))
    theirs.raw("put", "/er-benchmarks/youtube/mega", '{"rate": 5, "source": "Rival data"}')
    mine = ApiClient(token_for(manager))
    assert _cell(mine.get("/er-benchmarks").json(), "youtube", "mega")["rate"] == 1.6
    assert mine.delete("/er-benchmarks").status_code == 204
    assert ErBenchmark.objects.get().source == "Rival data"
