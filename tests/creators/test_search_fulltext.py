"""Full-text search over handle, bio and recent captions: word-start matching, the same on
SQLite (FTS5) and PostgreSQL (tsvector), kept current by imports, the stats task (after a
sync) and account edits, workspace-scoped, and answered from the full-text index."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from infludesk.creators import search
from infludesk.creators.models import SocialAccount
from infludesk.creators.search import SearchFilters, creator_search
from infludesk.creators.search_texts import SEARCH_CAPTIONS, account_texts_refresh
from infludesk.creators.services import social_account_delete, social_account_update
from infludesk.creators.tasks import recompute_account_stats
from tests.creators.import_helpers import run_import
from tests.factories import CreatorFactory, PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def _account(workspace, handle, bio="", **fields):
    return SocialAccountFactory(
        creator=CreatorFactory(workspace=workspace), handle=handle, bio=bio, **fields
    )


def _post(account, caption, days_ago=0):
    return PostFactory(account=account, caption=caption, posted_at=NOW - dt.timedelta(days_ago))


def _found(workspace, text, **filters):
    page = creator_search(
        workspace=workspace, filters=SearchFilters(text=text, **filters), limit=200
    )
    return [a.handle for a in page.items]


@pytest.fixture
def texts(workspace):
    """Handles, bios and captions with punctuation, digits, accents and emoji."""
    ada = _account(workspace, "ada.trails", "Trail-running coach 🏃 in the Alps", followers=9_000)
    _post(ada, "Ultramarathon week:\nthree mountain passes", 1)
    _post(ada, "Café stop after the descent", 2)
    bo = _account(workspace, "bo_cooks", "Vegan recipes, 50 minutes or less", followers=4_000)
    _post(bo, "Lentil dal for a rainy evening", 1)
    cy = _account(workspace, "cy.lifts", "Powerlifting", followers=20_000)
    account_texts_refresh(workspace=workspace, account_ids=[ada.pk, bo.pk, cy.pk])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ultramarathon", ["ada.trails"]),  # a caption
        ("ULTRA", ["ada.trails"]),  # the start of a word, any case
        ("marathon", []),  # not the start of a word
        ("trails", ["ada.trails"]),  # a word of the handle (split at the dot)
        ("cooks", ["bo_cooks"]),  # split at the underscore
        ("running", ["ada.trails"]),  # split at the hyphen
        ("trail-running coach", ["ada.trails"]),  # every word, in any column
        ("trail dal", []),  # words of two different accounts
        ("café", ["ada.trails"]),
        ("cafe", []),  # accents are kept on both databases
        ("50", ["bo_cooks"]),
        ("dal rainy evening lentil", ["bo_cooks"]),
        ("🏃", []),  # no letters or digits: nothing
        ("mountain passes", ["ada.trails"]),  # a caption that had a line break
    ],
)
def test_given_accounts_with_captions_when_searching_words_then_word_starts_match(
    workspace, texts, text, expected
):
    assert _found(workspace, text) == expected


def test_given_a_text_and_other_filters_when_searching_then_both_apply(workspace, texts):
    assert _found(workspace, "a", followers_min=5_000) == ["ada.trails"]
    assert _found(workspace, "powerlifting lifts", sort="handle") == ["cy.lifts"]


def test_given_more_than_ten_posts_when_refreshing_then_only_the_newest_captions_count(
    workspace,
):
    # given an account whose oldest caption is the 11th newest
    account = _account(workspace, "many.posts")
    _post(account, "zanzibar sunset", days_ago=SEARCH_CAPTIONS)
    for i in range(SEARCH_CAPTIONS):
        _post(account, f"caption number {i}", days_ago=i)

    # when its captions are refreshed
    changed = account_texts_refresh(workspace=workspace, account_ids=[account.pk])

    # then the ten newest are stored, newest first, and the 11th is not searchable
    account.refresh_from_db()
    assert changed == [account.pk]
    assert account.recent_captions.split("\n") == [f"caption number {i}" for i in range(10)]
    assert _found(workspace, "zanzibar") == []
    assert _found(workspace, "number") == ["many.posts"]


def test_given_unchanged_captions_when_refreshing_again_then_nothing_changes(workspace, texts):
    ids = list(SocialAccount.objects.filter(workspace=workspace).values_list("pk", flat=True))

    assert account_texts_refresh(workspace=workspace, account_ids=ids) == []


def test_given_a_posts_import_when_it_finishes_then_its_captions_are_searchable(workspace):
    # given an account with no posts
    _account(workspace, "maya.trails", "Hikes")
    csv = (
        "platform,handle,post id,posted_at,caption,likes,comments\n"
        "instagram,maya.trails,p1,2026-11-01,Glacier crossing at dawn,300,20\n"
    )

    # when a posts file with a caption is imported
    run_import(workspace, csv, kind="posts", filename="posts.csv")

    # then the caption's words find the account at once, and its embedding is queued
    assert _found(workspace, "glacier dawn") == ["maya.trails"]


def test_given_new_posts_from_a_sync_when_the_stats_task_runs_then_captions_are_searchable(
    workspace, django_capture_on_commit_callbacks
):
    # given posts stored by a sync (which enqueues the stats task after commit)
    account = _account(workspace, "sync.me")
    _post(account, "Fjord kayaking trip", 1)
    assert _found(workspace, "fjord") == []

    # when the task runs
    with django_capture_on_commit_callbacks(execute=True):
        recompute_account_stats.call(workspace_id=workspace.pk, account_ids=[account.pk])

    # then the caption is searchable and the embedding refresh is queued for the account
    assert _found(workspace, "fjord") == ["sync.me"]
    queued = DBTaskResult.objects.get(
        task_path="infludesk.creators.tasks.refresh_account_embeddings"
    )
    assert queued.args_kwargs["kwargs"] == {
        "workspace_id": workspace.pk,
        "account_ids": [account.pk],
    }


def test_given_an_edited_bio_when_searching_then_the_new_words_match_and_the_old_do_not(
    workspace, owner
):
    account = _account(workspace, "edit.me", "Knitting patterns")

    social_account_update(account=account, by=owner, bio="Pottery wheel")

    assert (_found(workspace, "knitting"), _found(workspace, "pottery")) == ([], ["edit.me"])


def test_given_a_deleted_account_when_searching_then_its_words_find_nothing(workspace, owner):
    account = _account(workspace, "gone.soon", "Origami")

    social_account_delete(account=account, by=owner)
    _account(workspace, "still.here", "Calligraphy")

    assert _found(workspace, "origami") == []
    assert creator_search(workspace=workspace, filters=SearchFilters(text="origami")).count == 0


def test_given_two_workspaces_when_searching_text_then_only_this_workspace(
    workspace, other_workspace
):
    _account(workspace, "ours", "Beekeeping diary")
    _account(other_workspace, "theirs", "Beekeeping diary")

    page = creator_search(workspace=workspace, filters=SearchFilters(text="beekeeping"))

    assert ([a.handle for a in page.items], page.count) == (["ours"], 1)


def test_given_a_text_search_when_planning_then_the_full_text_index_answers_it(db):
    # given the text condition of a search (alone: on this near-empty table the planner
    # would rather read the workspace index than any other)
    words = search.text_words("trail")
    condition, word_query = search.text_condition(words)
    table = SocialAccount._meta.db_table
    sql = f"SELECT a.id FROM {table} a WHERE {condition}"  # noqa: S608
    params = [word_query]

    # when the database plans it (PostgreSQL told not to scan the table, as on a big one)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row)

    # then the condition is the full-text index's (0009 / 0012): it is read, not every bio
    expected = (
        "acct_search_document" if connection.vendor == "postgresql" else "creators_account_fts"
    )
    assert expected in plan


def test_given_more_text_matches_than_the_count_cap_then_the_same_pages_in_order(
    workspace, monkeypatch
):
    """Over the cap, SQLite reads the sort index and checks each row against the matches
    (``+id IN``) and counts through a join; the pages must be the ones the id lookup gives."""
    for i in range(7):
        _account(workspace, f"w{i}", "Wild swimming" if i % 3 else "Cold plunge", followers=i)
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    filters = SearchFilters(text="swim")

    first = creator_search(workspace=workspace, filters=filters, limit=2)
    rest = creator_search(workspace=workspace, filters=filters, after=first.next_cursor, limit=3)

    assert [a.handle for a in first.items + rest.items] == ["w5", "w4", "w2", "w1"]
    assert (first.count, first.count_capped, rest.next_cursor) == (2, True, None)
