"""The creator search page: results with cost estimates, capped count, keyset next page,
field errors, saved searches (save, reload, delete), roles, workspace isolation, queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from infludesk.creators import search as search_module
from infludesk.creators.models import SavedSearch
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
URL = "/creators/search/"


def _account(workspace, handle: str, **fields):
    creator = CreatorFactory(workspace=workspace)
    return SocialAccountFactory(creator=creator, handle=handle, **fields)


def _handles(response) -> list[str]:
    return re.findall(r'">@([\w.]+)</a>', response.content.decode())


def test_given_accounts_when_filtering_by_tier_sorted_by_er_then_exact_rows_with_costs(
    owner_client, workspace
):
    # given two micro accounts and a nano one
    low = _account(workspace, "low", followers=20_000, engagement_rate=Decimal("1.5"))
    _account(workspace, "high", followers=50_000, engagement_rate=Decimal("2.0"))
    _account(workspace, "nano", followers=2_000, engagement_rate=Decimal("9.0"))

    # when searching micro accounts by ER
    response = owner_client.get(URL, {"tier": "micro", "sort": "engagement_rate"})

    # then exactly the micro ones, best ER first, with cost, reach, fit link and count
    assert response.status_code == 200
    assert _handles(response) == ["high", "low"]
    html = response.content.decode()
    assert "2 creators" in html
    assert f"100-500 {workspace.currency}" in html  # micro post range (defaults)
    assert "10,000" in html  # 50,000 x 0.20 reach rate on Instagram
    assert f'href="/creators/{low.creator_id}/fit/"' in html
    assert f'name="ids" value="{low.creator_id}" form="bulk-form"' in html
    assert "not scored" in html


def test_given_more_matches_than_the_cap_when_searching_then_label_says_plus(
    owner_client, workspace, monkeypatch
):
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    for i in range(3):
        _account(workspace, f"acct{i}")

    response = owner_client.get(URL)

    assert "2+ creators" in response.content.decode()


def test_given_more_rows_than_a_page_when_following_next_then_the_rest(
    owner_client, workspace, monkeypatch
):
    monkeypatch.setattr("infludesk.creators.views_search.PAGE_SIZE", 2)
    for i, followers in enumerate([5_000, 7_000, 9_000]):
        _account(workspace, f"acct{i}", followers=followers)

    first = owner_client.get(URL, {"platform": "instagram"})
    match = re.search(r'id="next-page" href="([^"]+)"', first.content.decode())
    assert match is not None
    next_url = match.group(1).replace("&amp;", "&")
    second = owner_client.get(next_url)

    assert _handles(first) == ["acct2", "acct1"]
    assert next_url.startswith(URL + "?platform=instagram&after=")
    assert _handles(second) == ["acct0"]
    assert 'id="next-page"' not in second.content.decode()
    assert "3 creators" in second.content.decode()


def test_given_next_page_via_htmx_then_only_the_results_partial(owner_client, workspace):
    _account(workspace, "one")

    response = owner_client.get(URL, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert _handles(response) == ["one"]
    assert "<html" not in html and 'id="search-filters"' not in html


def test_given_bad_values_when_searching_then_400_with_field_errors(owner_client, workspace):
    response = owner_client.get(URL, {"followers_min": "lots", "tier": "giant"})

    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="field field-error"') == 2
    assert "valid integer" in html


def test_given_min_above_max_then_400_with_message(owner_client, workspace):
    response = owner_client.get(URL, {"followers_min": "10", "followers_max": "5"})

    assert response.status_code == 400
    assert "followers_min is above followers_max." in response.content.decode()


def test_given_a_bad_cursor_then_400(owner_client, workspace):
    response = owner_client.get(URL, {"after": "nonsense"})

    assert response.status_code == 400
    assert "Invalid cursor" in response.content.decode()


def test_given_filters_when_manager_saves_then_listed_as_link_reloading_them(
    manager_client, workspace
):
    response = manager_client.post(
        URL, {"action": "save", "name": "Micro US", "tier": "micro", "country": "US"}
    )

    saved = SavedSearch.objects.get(workspace=workspace)
    assert response.status_code == 302
    assert (saved.name, saved.filters) == ("Micro US", {"tier": "micro", "country": "US"})
    page = manager_client.get(URL).content.decode()
    assert f'href="{URL}?tier=micro&amp;country=US">Micro US</a>' in page


def test_given_a_saved_search_when_owner_deletes_then_gone(owner_client, workspace, owner):
    saved = SavedSearch.objects.create(workspace=workspace, name="x", filters={})

    response = owner_client.post(URL, {"action": "delete", "saved": saved.pk})

    assert response.status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_given_a_viewer_then_can_search_but_not_save(viewer_client, workspace):
    _account(workspace, "seen")

    search = viewer_client.get(URL)
    save = viewer_client.post(URL, {"action": "save", "name": "mine"})

    assert search.status_code == 200
    assert _handles(search) == ["seen"]
    assert 'id="save-search"' not in search.content.decode()
    assert save.status_code == 403
    assert SavedSearch.objects.count() == 0


def test_given_another_workspace_then_its_accounts_and_saved_searches_never_show(
    owner_client, workspace, other_workspace
):
    _account(workspace, "mine")
    _account(other_workspace, "theirs")
    theirs = SavedSearch.objects.create(workspace=other_workspace, name="Theirs", filters={})

    page = owner_client.get(URL)
    delete = owner_client.post(URL, {"action": "delete", "saved": theirs.pk})

    assert _handles(page) == ["mine"]
    assert "Theirs" not in page.content.decode()
    assert delete.status_code == 404
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


def test_given_a_page_of_results_then_a_fixed_number_of_queries(
    owner_client, workspace, django_assert_num_queries
):
    for i in range(5):
        _account(workspace, f"acct{i}")
    SavedSearch.objects.create(workspace=workspace, name="s", filters={"tier": "micro"})
    owner_client.get(URL)  # warm the session

    # session, user, member; page, capped count, cost table, saved searches; the base
    # template's workspace switcher (memberships): the same for 1 or 50 rows
    with django_assert_num_queries(8):
        response = owner_client.get(URL, {"q": "acct"})

    assert len(_handles(response)) == 5


def test_given_filters_in_the_url_then_the_form_shows_them(owner_client, workspace):
    response = owner_client.get(URL, {"tier": "micro", "verified": "true", "q": "yoga"})

    html = response.content.decode()
    assert '<option value="micro" selected>' in html
    assert '<option value="true" selected>' in html
    assert 'name="q" value="yoga"' in html


def test_given_a_taken_name_when_saving_then_not_saved_and_told(manager_client, workspace):
    SavedSearch.objects.create(workspace=workspace, name="Mine", filters={})

    response = manager_client.post(URL, {"action": "save", "name": "Mine"}, follow=True)

    assert SavedSearch.objects.filter(workspace=workspace).count() == 1
    assert "already exists" in response.content.decode()


def test_given_results_then_each_links_to_creators_similar_to_it(owner_client, workspace):
    account = _account(workspace, "anna.hikes", followers=40_000, categories=["hiking"])

    html = owner_client.get(URL).content.decode()

    assert f'class="similar-link" href="{URL}?similar_to={account.pk}">similar</a>' in html


def test_given_similar_to_then_only_like_accounts_under_a_banner_with_a_way_back(
    owner_client, workspace
):
    # given a micro hiker, one like it, one of another tier and one of another category
    base = _account(workspace, "base.hiker", followers=40_000, categories=["hiking"])
    _account(workspace, "twin.hiker", followers=30_000, categories=["hiking", "travel"],
             engagement_rate=Decimal("3.1"))  # fmt: skip
    _account(workspace, "big.hiker", followers=900_000, categories=["hiking"])
    _account(workspace, "cook", followers=40_000, categories=["food"])

    response = owner_client.get(URL, {"similar_to": base.pk, "sort": "engagement_rate"})

    html = response.content.decode()
    assert _handles(response) == ["base.hiker", "twin.hiker"]  # banner link, then the result
    assert 'id="similar-to"' in html
    assert f'href="{URL}?sort=engagement_rate">Show all creators</a>' in html
    assert f'name="similar_to" value="{base.pk}"' in html  # kept when filters change


def test_given_similar_to_another_workspaces_account_then_400_and_nothing_of_theirs(
    owner_client, workspace, other_workspace
):
    theirs = _account(other_workspace, "theirs", followers=40_000)

    response = owner_client.get(URL, {"similar_to": theirs.pk})

    assert response.status_code == 400
    assert "No account with this id in this workspace." in response.content.decode()
    assert "@theirs" not in response.content.decode()


def test_given_a_creator_page_then_each_account_links_to_similar_creators(owner_client, workspace):
    account = _account(workspace, "anna.hikes")

    html = owner_client.get(f"/creators/{account.creator_id}/").content.decode()

    assert f'href="{URL}?similar_to={account.pk}">find similar</a>' in html
