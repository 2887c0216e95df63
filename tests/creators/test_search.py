"""The creator search selector: each filter and sort exact, keyset pages without gaps or
repeats (also with ties), the capped count and workspace isolation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from infludesk.creators import search
from infludesk.creators.models import SocialAccount
from infludesk.creators.search import SearchFilters, creator_search, search_count
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def _account(workspace, handle: str, **fields):
    return SocialAccountFactory(
        creator=CreatorFactory(workspace=workspace), handle=handle, **fields
    )


def _handles(workspace, **filters) -> list[str]:
    page = creator_search(workspace=workspace, filters=SearchFilters(**filters), limit=200)
    return [a.handle for a in page.items]


@pytest.fixture
def accounts(workspace):
    """Five accounts that differ in every searchable column."""
    _account(workspace, "anna.trails", platform="instagram", followers=5_000,
             engagement_rate=Decimal("4.2"), authenticity_score=90, growth_30d_pct=3.0,
             country="US", language="en", categories=["hiking", "travel"], verified=False,
             bio="Long trails, short breaks")  # fmt: skip
    _account(workspace, "ben.rides", platform="tiktok", followers=50_000,
             engagement_rate=Decimal("7.5"), authenticity_score=60, growth_30d_pct=-1.0,
             country="DE", language="de", categories=["cycling"], verified=False,
             bio="Gravel rides and bikepacking trips")  # fmt: skip
    _account(workspace, "anna.climbs", platform="instagram", followers=500_000,
             engagement_rate=Decimal("1.4"), authenticity_score=75, growth_30d_pct=1.0,
             country="GB", language="en", categories=["climbing"], verified=True,
             bio="Bouldering and big walls")  # fmt: skip
    _account(workspace, "cara.peaks", platform="youtube", followers=2_000_000,
             engagement_rate=Decimal("2.0"), authenticity_score=None, growth_30d_pct=None,
             country="US", language="en", categories=["hiking"], verified=True,
             bio="Chasing summits")  # fmt: skip
    _account(workspace, "dan.eats", platform="instagram", followers=800,
             engagement_rate=None, authenticity_score=40, growth_30d_pct=12.5,
             country="FR", language="fr", categories=["food", "hiking_gear"], verified=False,
             bio="Cooking over open fire 50%")  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"platform": "instagram"}, ["anna.climbs", "anna.trails", "dan.eats"]),
        ({"tier": "micro"}, ["ben.rides"]),
        ({"tier": "below_nano"}, ["dan.eats"]),
        ({"followers_min": 5_000, "followers_max": 500_000},
         ["anna.climbs", "ben.rides", "anna.trails"]),
        ({"er_min": Decimal("2.0"), "er_max": Decimal("4.2")}, ["cara.peaks", "anna.trails"]),
        ({"authenticity_min": 75}, ["anna.climbs", "anna.trails"]),
        ({"growth_min": 1.0}, ["anna.climbs", "anna.trails", "dan.eats"]),
        ({"country": "us"}, ["cara.peaks", "anna.trails"]),
        ({"language": "EN"}, ["cara.peaks", "anna.climbs", "anna.trails"]),
        ({"category": "hiking"}, ["cara.peaks", "anna.trails"]),
        ({"verified": True}, ["cara.peaks", "anna.climbs"]),
        ({"verified": False}, ["ben.rides", "anna.trails", "dan.eats"]),
        ({"handle_prefix": "@Anna."}, ["anna.climbs", "anna.trails"]),
        ({"text": "BIKEPACKING"}, ["ben.rides"]),
        ({"text": "climbs"}, ["anna.climbs"]),
        ({"text": "50%"}, ["dan.eats"]),
        ({"text": "5_%"}, ["dan.eats"]),  # the words of "5_%" are "5": it starts "50"
        ({"text": "%_%"}, []),  # no letters or digits: nothing
        ({"text": "ails"}, []),  # inside a word, not at its start
        ({"text": "gravel TRIPS"}, ["ben.rides"]),  # every word, anywhere, any order
        ({"text": "gravel summits"}, []),
        ({"platform": "instagram", "country": "GB", "verified": True}, ["anna.climbs"]),
    ],
)  # fmt: skip
def test_given_accounts_when_filtering_then_exactly_the_matches_biggest_first(
    workspace, accounts, filters, expected
):
    assert _handles(workspace, **filters) == expected


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("followers", True, ["cara.peaks", "anna.climbs", "ben.rides", "anna.trails", "dan.eats"]),
        ("followers", False, ["dan.eats", "anna.trails", "ben.rides", "anna.climbs", "cara.peaks"]),
        # unknown values are left out of a ranking by that value
        ("engagement_rate", True, ["ben.rides", "anna.trails", "cara.peaks", "anna.climbs"]),
        ("authenticity", False, ["dan.eats", "ben.rides", "anna.climbs", "anna.trails"]),
        ("growth", True, ["dan.eats", "anna.trails", "anna.climbs", "ben.rides"]),
        ("handle", False, ["anna.climbs", "anna.trails", "ben.rides", "cara.peaks", "dan.eats"]),
    ],
)
def test_given_accounts_when_sorting_then_in_that_order(
    workspace, accounts, sort, descending, expected
):
    assert _handles(workspace, sort=sort, descending=descending) == expected


@pytest.mark.parametrize("sort", ["followers", "engagement_rate", "handle", "growth"])
@pytest.mark.parametrize("descending", [True, False])
def test_given_ties_when_paging_by_three_then_every_account_once_in_order(
    workspace, sort, descending
):
    # given 11 accounts sharing three follower counts, ER values and growth values
    for i in range(11):
        _account(workspace, f"h{i % 4}x{i:02d}", followers=1_000 * (i % 3 + 1),
                 engagement_rate=Decimal(i % 2), growth_30d_pct=float(i % 3))  # fmt: skip
    filters = SearchFilters(sort=sort, descending=descending)
    column = search.SORTS[sort]
    sign = "-" if descending else ""
    known = SocialAccount.objects.filter(workspace=workspace, **{f"{column}__isnull": False})
    expected = list(known.order_by(f"{sign}{column}", f"{sign}id").values_list("id", flat=True))

    # when paging three at a time
    seen, after, pages = [], None, 0
    while True:
        page = creator_search(workspace=workspace, filters=filters, after=after, limit=3)
        seen += [a.pk for a in page.items]
        pages += 1
        if page.next_cursor is None:
            break
        after = page.next_cursor

    # then the pages together are the full ordered list, each account once
    assert seen == expected
    assert len(seen) == 11
    assert pages == 4


def test_given_ties_when_sorting_then_ids_break_them_in_the_same_direction(workspace):
    ids = [_account(workspace, f"t{i}", followers=7_000).pk for i in range(3)]

    desc = _handles(workspace, sort="followers")
    page = creator_search(workspace=workspace, filters=SearchFilters(descending=False))

    assert desc == ["t2", "t1", "t0"]
    assert [a.pk for a in page.items] == ids


def test_given_more_matches_than_the_cap_when_counting_then_capped(workspace):
    for i in range(6):
        _account(workspace, f"c{i}")
    filters = SearchFilters()

    assert search_count(workspace=workspace, filters=filters, cap=5) == (5, True)
    assert search_count(workspace=workspace, filters=filters, cap=6) == (6, False)


def test_given_a_low_cap_when_searching_then_page_count_says_capped(workspace, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    for i in range(3):
        _account(workspace, f"c{i}")

    page = creator_search(workspace=workspace, filters=SearchFilters(), limit=1)

    assert (page.count, page.count_capped, len(page.items)) == (2, True, 1)


def test_given_a_second_page_when_counting_then_the_count_is_all_matches(workspace):
    for i in range(3):
        _account(workspace, f"c{i}", followers=2_000 + i)
    first = creator_search(workspace=workspace, filters=SearchFilters(), limit=2)

    second = creator_search(
        workspace=workspace, filters=SearchFilters(), after=first.next_cursor, limit=2
    )

    assert (second.count, [a.handle for a in second.items]) == (3, ["c0"])


def test_given_two_workspaces_when_searching_then_never_the_other_ones_accounts(
    workspace, other_workspace
):
    _account(workspace, "shared.name", followers=5_000)
    _account(other_workspace, "shared.name", followers=9_000)
    _account(other_workspace, "only.theirs", followers=9_000)

    page = creator_search(workspace=workspace, filters=SearchFilters(handle_prefix="shared"))
    everything = creator_search(workspace=workspace, filters=SearchFilters())

    assert [(a.handle, a.workspace_id) for a in page.items] == [("shared.name", workspace.pk)]
    assert {a.workspace_id for a in everything.items} == {workspace.pk}
    assert everything.count == 1


def test_given_an_account_when_similar_filters_then_platform_tier_range_category_and_not_itself(
    workspace,
):
    base = _account(workspace, "base", followers=40_000, categories=["hiking", "travel"])

    filters = search.similar_filters(base)

    assert (filters.platform, filters.tier, filters.category) == ("instagram", "micro", "hiking")
    assert (filters.followers_min, filters.followers_max) == (20_000, 80_000)
    assert filters.exclude_ids == (base.pk,)


def test_given_an_unknown_sort_when_building_filters_then_validation_error_names_sort():
    with pytest.raises(ValidationError) as caught:
        SearchFilters(sort="likes")

    assert list(caught.value.message_dict) == ["sort"]


@pytest.mark.parametrize("limit", [0, 201])
def test_given_a_limit_out_of_range_when_searching_then_validation_error(workspace, limit):
    with pytest.raises(ValidationError) as caught:
        creator_search(workspace=workspace, filters=SearchFilters(), limit=limit)

    assert list(caught.value.message_dict) == ["limit"]


@pytest.mark.parametrize(
    ("filters", "indexed"),
    [
        ({"platform": "instagram", "tier": "micro", "sort": "engagement_rate"},
         {"platform", "tier", "engagement_rate"}),
        ({"platform": "instagram"}, {"platform", "followers"}),
        ({"tier": "micro", "sort": "engagement_rate"}, {"engagement_rate"}),
        ({"sort": "growth"}, {"growth_30d_pct"}),
    ],
)  # fmt: skip
def test_given_sqlite_when_building_a_page_query_then_only_the_sort_index_columns_stay_indexable(
    filters, indexed
):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the steering applies to SQLite only")

    hidden = search.hidden_columns(SearchFilters(**filters))

    assert hidden == set(search.FILTER_COLUMNS) - indexed


@pytest.mark.django_db
def test_given_a_migrated_database_then_every_search_index_is_there():
    """Django rebuilds a SQLite table to add a NOT NULL column and keeps only the indexes the
    model declares; the search indexes are raw SQL (0006, 0008, 0009), so a later migration can
    drop them unseen. This is the check (0010 restores what 0009 dropped). Likewise a later
    AlterField of the handle would reset PostgreSQL's code-point collation of 0015."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'creators_socialaccount'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE tbl_name = 'creators_socialaccount' "
                "AND type IN ('index', 'trigger')"
            )
        names = {row[0] for row in cursor.fetchall()}

    expected = {
        "acct_ws_plat_tier_er_id", "acct_ws_plat_foll_id", "acct_ws_growth_id",
        "acct_ws_handle_id", "acct_ws_auth_id", "acct_ws_foll_id",
    }  # fmt: skip
    if connection.vendor == "postgresql":
        expected |= {"acct_search_document"}
    else:
        expected |= {
            "acct_ws_search_filters", "creators_account_fts_ai", "creators_account_fts_ad",
            "creators_account_fts_au",
        }  # fmt: skip
    assert expected - names == set()
    if connection.vendor == "postgresql":  # 0015: the handle prefix range relies on it
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collation_name FROM information_schema.columns "
                "WHERE table_name = 'creators_socialaccount' AND column_name = 'handle'"
            )
            assert cursor.fetchone() == ("C",)


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        ({"tier": "micro", "country": "DE"}, 1),
        ({"tier": "mega", "verified": True, "country": "us"}, 1),
        ({"tier": "mega", "verified": False}, 0),
        ({"platform": "instagram", "tier": "macro", "language": "en", "er_min": Decimal("1")}, 1),
    ],
)  # fmt: skip
def test_given_a_tier_when_counting_then_exact_with_the_count_steering(
    workspace, accounts, filters, count
):
    page = creator_search(workspace=workspace, filters=SearchFilters(**filters))

    assert (page.count, len(page.items)) == (count, count)


def test_given_sqlite_and_a_tier_when_counting_then_only_the_count_index_prefix_stays_indexable():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the steering applies to SQLite only")

    def indexable(**filters) -> set[str]:
        return set(search.FILTER_COLUMNS) - search.count_hidden_columns(SearchFilters(**filters))

    # the run of equalities that starts (tier, platform, country, language, verified)
    assert indexable(tier="mega", country="US", verified=True) == {"tier"}
    assert indexable(tier="micro", platform="instagram", country="US", authenticity_min=70) == {
        "tier", "platform", "country"
    }  # fmt: skip
    assert search.count_hidden_columns(SearchFilters(country="US")) == set()  # no tier


def test_given_an_account_when_found_then_the_result_reads_its_columns_as_the_model_does(
    workspace, django_assert_num_queries
):
    # given an account with a decimal ER, categories beyond ASCII and a verified badge
    account = _account(workspace, "conv.one", engagement_rate=Decimal("2.5"), verified=True,
                       categories=["hiking", "café"], followers=12_345, tier="micro")  # fmt: skip

    # when it is found (two queries: the capped count, then the page)
    with django_assert_num_queries(2):
        found = creator_search(workspace=workspace, filters=SearchFilters()).items

    # then the row reads as the model: a Decimal with 4 places, a new list, a bool
    item = found[0]
    assert (item.pk, item.creator_id, item.handle, item.followers) == (
        account.pk, account.creator_id, "conv.one", 12_345
    )  # fmt: skip
    assert (str(item.engagement_rate), item.categories, item.verified) == (
        "2.5000", ["hiking", "café"], True
    )  # fmt: skip
    assert (item.get_tier_display(), item.get_platform_display()) == (
        account.get_tier_display(), account.get_platform_display()
    )  # fmt: skip
    item.categories.append("changed")
    assert item.categories == ["hiking", "café"]
    assert item.fit is None


def test_given_punctuated_handles_when_searching_a_prefix_then_only_those_starting_with_it(
    workspace,
):
    # given handles that a linguistic collation (punctuation ignored at first) would interleave
    for handle in ("emmab", "em.ma", "emma.x", "emma_z", "emm"):
        _account(workspace, handle)

    # when searching the prefix "emma", and listing all by handle
    found = _handles(workspace, handle_prefix="emma", sort="handle", descending=False)
    every = _handles(workspace, sort="handle", descending=False)

    # then exactly the handles starting with it, in code-point order on both databases
    assert found == ["emma.x", "emma_z", "emmab"]
    assert every == ["em.ma", "emm", "emma.x", "emma_z", "emmab"]
