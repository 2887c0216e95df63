"""Creator search on 1,000,000 social accounts: the search API and the selector against
hand-tuned SQL for the same query, same run, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/creator_search.py [--accounts 1000000] [--runs 40]
        [--databases sqlite,postgresql] [--seed 11]

For each database (a temporary SQLite file; a PostgreSQL database `bench_search` created and
dropped on 127.0.0.1) a child process:
1. migrates an empty database (so every index of the migrations is there) and bulk-loads the
   accounts, one creator each, 90 % in one workspace and the rest spread over nine others.
   The demo generator builds 90 days of snapshots and posts per creator (hours for a million),
   so this script draws the account columns directly, vectorised, from the demo's own
   distributions: log10(followers) ~ Normal(3.95, 0.8) redrawn below 1,000, ER = the
   platform/tier benchmark (creators/benchmarks_er.json, falling with size) x a factor in
   [0.55, 1.8], countries, languages, categories, bio lines and three recent captions (of
   the last category) from demo/vocab.py;
   SQLite gets executemany, PostgreSQL COPY, with secondary indexes (and SQLite's full-text
   triggers) dropped and rebuilt after; then ANALYZE on both.
2. runs ten typical queries, each three ways, `--runs` times after two warm-up runs:
   - api: GET /api/v1/creators/search through Django's test Client with a Bearer token (full
     middleware, token lookup, JSON rendering);
   - selector: `creator_search()` (the page of 50 and the capped count, SocialAccount
     instances built; `search_count()` alone for the count query);
   - sql: the same page and capped count written by hand in SQL for that database and run on
     the raw DB-API cursor (rows as tuples).
3. prints p50 / p95 in ms per query and way, and the ratios selector/sql (p50 and p95).

Targets (issue 4): API p95 < 50 ms; selector within 1.5x of the hand-tuned SQL.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "bench_search"
OTHER_WORKSPACES = 9
MAIN_SHARE = 0.9
PAGE = 50


# ---------------------------------------------------------------- parent
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    # a child re-running the queries on a database it loaded before (for reading plans)
    parser.add_argument("--reuse", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    failed = False
    for vendor in args.databases.split(","):
        env = {**os.environ, "SECRET_KEY": "bench", "DJANGO_SETTINGS_MODULE": "infludesk.settings"}
        env.pop("DEBUG", None)
        with tempfile.TemporaryDirectory(prefix="bench_search_") as tmp:
            if vendor == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{tmp}/search.sqlite3"
            else:
                if not _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}"):
                    print("PostgreSQL is not reachable on 127.0.0.1:5432: skipped")
                    failed = True
                    continue
                _pg_admin(f"CREATE DATABASE {PG_DB}")
                env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
            cmd = [sys.executable, __file__, "--child", vendor, "--accounts", str(args.accounts)]
            cmd += ["--runs", str(args.runs), "--seed", str(args.seed)]
            code = subprocess.run(cmd, env=env, cwd=ROOT, check=False).returncode
            if vendor != "sqlite":
                _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
            failed = failed or code != 0
    return 1 if failed else 0


def _pg_admin(sql: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]
        return True
    except Exception as exc:
        print(f"PostgreSQL: {exc}")
        return False


# ---------------------------------------------------------------- child: data
def child(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    vendor = args.child
    print(f"\n=== {vendor}: {args.accounts:,} accounts", flush=True)
    started = time.perf_counter()
    if args.reuse:
        workspaces, token = _existing_workspaces()
    else:
        call_command("migrate", verbosity=0)
        workspaces, token = _workspaces()
        # Bulk load as a restore would: secondary indexes dropped, rows in, indexes rebuilt
        # (one sort each instead of a million random B-tree inserts). Same definitions.
        indexes = _drop_indexes(connection)
        loaded = load_accounts(args.accounts, args.seed, [w.pk for w in workspaces])
        print(f"  rows in after {time.perf_counter() - started:.0f} s", flush=True)
        with connection.cursor() as cursor:
            for sql in indexes:
                cursor.execute(sql)
            if connection.vendor == "sqlite":  # the full-text index, in one pass too
                fts = "creators_account_fts"
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608
        # VACUUM too on PostgreSQL: it sets the visibility map autovacuum would set on a live
        # table, without which no index-only scan is possible.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"loaded {loaded:,} accounts in {time.perf_counter() - started:.0f} s", flush=True)
    results = run_queries(workspaces[0], token, args.runs, vendor)
    report(vendor, results)
    return 0


def _drop_indexes(connection: Any) -> list[str]:
    """Drop the secondary indexes of the creator and account tables, and on SQLite the
    full-text triggers; returns their CREATE statements (constraints' indexes stay)."""
    tables = ("creators_creator", "creators_socialaccount")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND "
                "indexname NOT IN (SELECT conname FROM pg_constraint)",
                [list(tables)],
            )
        else:
            cursor.execute(
                "SELECT name, sql, type FROM sqlite_master WHERE type IN ('index', 'trigger') "
                "AND sql IS NOT NULL AND tbl_name IN (%s, %s)",
                list(tables),
            )
        found = [(row[0], row[1], row[2] if len(row) > 2 else "index") for row in cursor]
        for name, _, kind in found:
            cursor.execute(f'DROP {kind.upper()} "{name}"')
    return [sql for _, sql, _ in found]


def _existing_workspaces() -> tuple[list[Any], str]:
    from infludesk.core.models import Member, Workspace
    from infludesk.core.tokens import api_token_create

    workspaces = list(Workspace.objects.filter(slug__startswith="bench-").order_by("pk"))
    member = Member.objects.get(workspace=workspaces[0], user__email="bench@example.com")
    return workspaces, api_token_create(member=member, name="bench again")[1]


def _workspaces() -> tuple[list[Any], str]:
    from infludesk.core.models import Member, Role, User, Workspace
    from infludesk.core.tokens import api_token_create

    workspaces = [
        Workspace.objects.create(name=f"Bench {i}", slug=f"bench-{i}")
        for i in range(1 + OTHER_WORKSPACES)
    ]
    user = User.objects.create_user(email="bench@example.com", password=None)
    member = Member.objects.create(workspace=workspaces[0], user=user, role=Role.VIEWER)
    _, token = api_token_create(member=member, name="bench")
    return workspaces, token


def _draw(n: int, seed: int, workspace_ids: list[int]) -> dict[str, Any]:
    """Column arrays for n accounts (see the module docstring for the distributions)."""
    import numpy as np

    from infludesk.creators.metrics import load_er_benchmarks
    from infludesk.demo import vocab

    rng = np.random.default_rng(seed)
    ws = np.where(
        rng.random(n) < MAIN_SHARE, workspace_ids[0], rng.choice(workspace_ids[1:], size=n)
    )
    platforms = np.array(["instagram", "tiktok", "youtube"])[
        rng.choice(3, size=n, p=[0.55, 0.28, 0.17])
    ]
    followers = 10 ** rng.normal(3.95, 0.8, n)
    bad = (followers < 1_000) | (followers >= 20_000_000)
    while bad.any():
        followers[bad] = 10 ** rng.normal(3.95, 0.8, int(bad.sum()))
        bad = (followers < 1_000) | (followers >= 20_000_000)
    followers = followers.astype(np.int64)
    tiers = np.select(
        [followers >= 1_000_000, followers >= 100_000, followers >= 10_000],
        ["mega", "macro", "micro"],
        "nano",
    )
    bench = load_er_benchmarks()
    base = np.array([bench.rate(p, t) or 2.0 for p, t in zip(platforms, tiers, strict=True)])
    er = np.round(base * np.clip(rng.lognormal(0.0, 0.25, n), 0.55, 1.8), 4)
    countries = list(vocab.COUNTRIES)
    weights = np.array([vocab.COUNTRIES[c][0] for c in countries])
    country_idx = rng.choice(len(countries), size=n, p=weights / weights.sum())
    cats = [c for c, _ in vocab.CATEGORIES]
    cat_w = np.array([w for _, w in vocab.CATEGORIES])
    monthly = {"nano": 3.0, "micro": 2.0, "macro": 1.2, "mega": 0.6}
    growth = np.round(
        np.array([monthly[t] for t in tiers]) * rng.lognormal(0.0, 0.5, n)
        * np.where(rng.random(n) < 0.1, -1 / 3, 1),
        3,
    )  # fmt: skip
    authenticity = np.clip(np.rint(100 - rng.gamma(2.0, 8.0, n)), 5, 100).astype(int)
    verified_p = np.select([tiers == "mega", tiers == "macro", tiers == "micro"], [0.7, 0.25, 0.03])
    return {
        "ws": ws,
        "platform": platforms,
        "followers": followers,
        "tier": tiers,
        "er": er,
        "er_null": rng.random(n) < 0.03,
        "growth": growth,
        "growth_null": rng.random(n) < 0.05,
        "auth": authenticity,
        "auth_null": rng.random(n) < 0.1,
        "verified": rng.random(n) < verified_p,
        "country_idx": country_idx,
        "countries": countries,
        "n_cats": rng.choice([1, 2, 3], size=n, p=[0.45, 0.4, 0.15]),
        "cat_draws": rng.choice(len(cats), size=(n, 3), p=cat_w / cat_w.sum()),
        "cats": cats,
        "rng": rng,
    }


def _rows(n: int, seed: int, workspace_ids: list[int]) -> Iterator[tuple[dict, dict]]:
    """(creator, account) column dicts, one pair per account."""
    from infludesk.demo import vocab
    from infludesk.demo.population import ascii_slug

    d = _draw(n, seed, workspace_ids)
    rng = d["rng"]
    picks = rng.integers(0, 1 << 30, size=(n, 6)).tolist()
    for key in (
        "ws",
        "platform",
        "followers",
        "tier",
        "er",
        "er_null",
        "growth",
        "growth_null",
        "auth",
        "auth_null",
        "verified",
        "country_idx",
        "n_cats",
        "cat_draws",
    ):
        d[key] = d[key].tolist()
    for i in range(n):
        country = d["countries"][d["country_idx"][i]]
        _, language, firsts, lasts = vocab.COUNTRIES[country]
        pick = picks[i]
        if country == "CA" and pick[0] % 5 == 0:
            language = "fr"
        first = firsts[pick[1] % len(firsts)]
        last = lasts[pick[2] % len(lasts)]
        categories = list(dict.fromkeys(d["cats"][c] for c in d["cat_draws"][i][: d["n_cats"][i]]))
        words = vocab.HANDLE_WORDS[categories[0]]
        handle = f"{ascii_slug(first)}.{words[pick[3] % len(words)]}{i:x}"
        lines = vocab.BIO_LINES[categories[0]]
        places = vocab.PLACES[country]
        place = places[i % len(places)]
        extra = vocab.BIO_EXTRAS[pick[5] % len(vocab.BIO_EXTRAS)]
        bio = " | ".join([lines[pick[4] % len(lines)], extra.format(place=place)])
        # three recent captions of the account's last category, as search keeps them
        said = vocab.CAPTION_LINES[categories[-1]]
        captions = "\n".join(
            said[(pick[0] + k * 7) % len(said)].format(place=place) for k in range(3)
        )
        shared = {"workspace_id": int(d["ws"][i]), "country": country, "language": language}
        creator = {**shared, "name": f"{first} {last}", "first_name": first}
        creator["categories"] = categories
        account = {
            **shared,
            "platform": str(d["platform"][i]),
            "handle": handle,
            "display_name": f"{first} {last}",
            "followers": int(d["followers"][i]),
            "bio": bio,
            "recent_captions": captions,
            "categories": categories,
            "verified": bool(d["verified"][i]),
            "tier": str(d["tier"][i]),
            "engagement_rate": None if d["er_null"][i] else f"{d['er'][i]:.4f}",
            "growth_30d_pct": None if d["growth_null"][i] else float(d["growth"][i]),
            "authenticity_score": None if d["auth_null"][i] else int(d["auth"][i]),
        }
        yield creator, account


def _columns(model: Any, given: dict[str, Any]) -> tuple[list[str], Callable[[dict], tuple]]:
    """Every concrete column of the model in order, and a function making a row tuple from a
    dict of given values; columns not given take the field's default (new columns added by
    later migrations are filled the same way)."""
    import datetime as dt

    from django.db import connection

    now = dt.datetime.now(dt.UTC)
    names, makers = [], []
    for f in model._meta.concrete_fields:
        names.append(f.column)
        key = f.attname
        if f.name in ("created_at", "updated_at"):
            value = connection.ops.adapt_datetimefield_value(now)
            makers.append(lambda row, v=value: v)
        elif key in given:
            makers.append(lambda row, f=f, key=key: _db_value(f, row[key]))
        else:
            default = _db_value(f, f.get_default())
            makers.append(lambda row, v=default: v)
    return names, lambda row: tuple(make(row) for make in makers)


def _db_value(field: Any, value: Any) -> Any:
    from django.db import connection

    if value is None:
        return None
    if field.get_internal_type() == "JSONField":
        return json.dumps(value)
    if field.get_internal_type() == "BooleanField" and connection.vendor == "sqlite":
        return int(value)
    return value


def load_accounts(n: int, seed: int, workspace_ids: list[int]) -> int:
    from django.db import connection

    from infludesk.creators.models import Creator, SocialAccount

    first_creator, first_account = _rows(1, seed, workspace_ids).__next__()
    c_cols, c_row = _columns(Creator, {"id": 0, **first_creator})
    a_cols, a_row = _columns(SocialAccount, {"id": 0, "creator_id": 0, **first_account})
    batch_c: list[tuple] = []
    batch_a: list[tuple] = []
    loaded = 0
    for i, (creator, account) in enumerate(_rows(n, seed, workspace_ids), start=1):
        batch_c.append(c_row({"id": i, **creator}))
        batch_a.append(a_row({"id": i, "creator_id": i, **account}))
        if len(batch_a) >= 50_000:
            _insert(connection, Creator._meta.db_table, c_cols, batch_c)
            _insert(connection, SocialAccount._meta.db_table, a_cols, batch_a)
            loaded += len(batch_a)
            batch_c, batch_a = [], []
            print(f"  {loaded:,}", end="\r", flush=True)
    _insert(connection, Creator._meta.db_table, c_cols, batch_c)
    _insert(connection, SocialAccount._meta.db_table, a_cols, batch_a)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (Creator._meta.db_table, SocialAccount._meta.db_table):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)",
                    [n],
                )
    return loaded + len(batch_a)


def _insert(connection: Any, table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    cols = ", ".join(columns)
    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        return
    marks = ", ".join(["?"] * len(columns))
    raw = connection.connection
    raw.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)  # noqa: S608
    raw.commit()


# ---------------------------------------------------------------- child: queries
COLS = (
    "id, creator_id, platform, handle, display_name, url, followers, tier, engagement_rate, "
    "authenticity_score, growth_30d_pct, country, language, categories, verified, bio"
)
T = "creators_socialaccount"


@dataclass
class Prepared:
    """One query ready to run three ways: API parameters, selector filters + cursor, and the
    hand-written SQL (page, capped count) with its parameters."""

    params: dict[str, Any]
    filters: Any
    after: str | None
    where: str
    args: list[Any]
    order: str
    count_only: bool = False
    count_from: str = ""  # FROM and extra WHERE of the count when they differ (SQLite text)


def _cat(vendor: str) -> str:
    return "categories @> %s::jsonb" if vendor == "postgresql" else "categories LIKE %s"


def _cat_arg(vendor: str, category: str) -> str:
    return json.dumps([category]) if vendor == "postgresql" else f"%{json.dumps(category)}%"


def prepare_all(workspace: Any, vendor: str) -> list[tuple[str, Prepared]]:
    """The ten queries of the issue on the main workspace."""
    from infludesk.creators.models import SocialAccount
    from infludesk.creators.search import SearchFilters, creator_search, similar_filters

    w = workspace.pk
    tru = "true" if vendor == "postgresql" else "1"
    out: list[tuple[str, Prepared]] = []

    def add(name: str, params: dict, filters: Any, where: str, args: list, order: str,
            after: str | None = None, count_only: bool = False) -> None:  # fmt: skip
        out.append((name, Prepared({**params, **({"after": after} if after else {})}, filters,
                                   after, where, args, order, count_only)))  # fmt: skip

    by_er = "engagement_rate DESC, id DESC"
    p1 = {"platform": "instagram", "tier": "micro", "sort": "engagement_rate"}
    add(
        "1 platform+tier by ER",
        p1,
        SearchFilters(platform="instagram", tier="micro", sort="engagement_rate"),
        "platform = 'instagram' AND tier = 'micro' AND engagement_rate IS NOT NULL",
        [],
        by_er,
    )
    p2 = {**p1, "country": "US", "authenticity_min": 70}
    add(
        "2 + country + min authenticity",
        p2,
        SearchFilters(
            platform="instagram",
            tier="micro",
            country="US",
            authenticity_min=70,
            sort="engagement_rate",
        ),
        "platform = 'instagram' AND tier = 'micro' AND engagement_rate IS NOT NULL "
        "AND country = 'US' AND authenticity_score >= 70",
        [],
        by_er,
    )
    f3 = SearchFilters(category="hiking", language="en")
    page2 = creator_search(workspace=workspace, filters=f3, limit=PAGE)
    page3_after = creator_search(
        workspace=workspace, filters=f3, after=page2.next_cursor
    ).next_cursor
    page2_end = creator_search(workspace=workspace, filters=f3, limit=2 * PAGE).items[-1]
    add(
        "3 category+language, page 3",
        {"category": "hiking", "language": "en"},
        f3,
        f"{_cat(vendor)} AND language = 'en' AND (followers, id) < (%s, %s)",
        [_cat_arg(vendor, "hiking"), page2_end.followers, page2_end.pk],
        "followers DESC, id DESC",
        after=page3_after,
    )
    add("4 ER band+followers by growth",
        {"er_min": "2", "er_max": "4", "followers_min": 10_000, "followers_max": 100_000,
         "sort": "growth"},
        SearchFilters(er_min=Decimal(2), er_max=Decimal(4), followers_min=10_000,
                      followers_max=100_000, sort="growth"),
        "engagement_rate >= 2 AND engagement_rate <= 4 AND followers >= 10000 "
        "AND followers <= 100000 AND growth_30d_pct IS NOT NULL", [],
        "growth_30d_pct DESC, id DESC")  # fmt: skip
    add(
        "5 handle prefix",
        {"handle_prefix": "emma", "sort": "handle", "order": "asc"},
        SearchFilters(handle_prefix="emma", sort="handle", descending=False),
        "handle >= 'emma' AND handle < 'emmb'",
        [],
        "handle ASC, id ASC",
    )
    if vendor == "postgresql":
        from infludesk.creators.search import PG_DOCUMENT

        text_sql = f"{PG_DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)"
        text_arg = "bikepacking:*"
    else:
        # the page reads the followers index and checks each row against the matches (there
        # are over 1,000); the count joins the FTS table so it stops after 1,001
        fts = "creators_account_fts"
        text_sql = f"+id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"  # noqa: S608
        text_arg = '"bikepacking"*'
    add(
        "6 text in handle/bio/captions",
        {"q": "bikepacking"},
        SearchFilters(text="bikepacking"),
        text_sql,
        [text_arg],
        "followers DESC, id DESC",
    )
    add(
        "7 result count (capped)",
        {"platform": "youtube", "tier": "macro", "country": "GB"},
        SearchFilters(platform="youtube", tier="macro", country="GB"),
        "platform = 'youtube' AND tier = 'macro' AND country = 'GB'",
        [],
        "followers DESC, id DESC",
        count_only=True,
    )
    add(
        "8 verified mega in a country",
        {"tier": "mega", "verified": "true", "country": "US"},
        SearchFilters(tier="mega", verified=True, country="US"),
        f"tier = 'mega' AND verified = {tru} AND country = 'US'",
        [],
        "followers DESC, id DESC",
    )
    p9 = {"platform": "instagram", "tier": "macro", "country": "US", "language": "en",
          "er_min": "1.0", "sort": "authenticity"}  # fmt: skip
    add("9 five filters by authenticity", p9,
        SearchFilters(platform="instagram", tier="macro", country="US", language="en",
                      er_min=Decimal("1.0"), sort="authenticity"),
        "platform = 'instagram' AND tier = 'macro' AND country = 'US' AND language = 'en' "
        "AND engagement_rate >= 1.0 AND authenticity_score IS NOT NULL", [],
        "authenticity_score DESC, id DESC")  # fmt: skip
    x = (
        SocialAccount.objects.filter(workspace=workspace, platform="instagram", tier="micro")
        .filter(followers__gte=40_000)
        .order_by("id")
        .first()
    )
    sim = similar_filters(x, base=SearchFilters(sort="engagement_rate"))
    add("10 similar to creator X", {"similar_to": x.pk, "sort": "engagement_rate"}, sim,
        f"platform = %s AND tier = %s AND followers >= %s AND followers <= %s AND "
        f"{_cat(vendor)} AND id <> %s AND engagement_rate IS NOT NULL",
        [x.platform, x.tier, x.followers // 2, x.followers * 2,
         _cat_arg(vendor, x.categories[0]), x.pk], by_er)  # fmt: skip
    if vendor != "postgresql":
        text = next(p for name, p in out if name.startswith("6 "))
        text.count_from = (
            f"{T}, creators_account_fts WHERE creators_account_fts.rowid = {T}.id AND "
            "creators_account_fts MATCH %s"
        )
    return [(name, _with_ws(p, w)) for name, p in out]


def _with_ws(p: Prepared, w: int) -> Prepared:
    p.where = f"workspace_id = {int(w)} AND {p.where}"
    return p


def hand_sql(vendor: str, p: Prepared) -> tuple[tuple[str, list], tuple[str, list]]:
    """The hand-written page (51 rows) and capped count (at most 1,001 rows read)."""
    page_where = p.where
    # the page query of query 3 starts after the cursor; its count does not
    count_where = page_where.replace(" AND (followers, id) < (%s, %s)", "")
    count_args = p.args[:-2] if count_where != page_where else p.args
    page = (
        f"SELECT {COLS} FROM {T} WHERE {page_where} ORDER BY {p.order} LIMIT {PAGE + 1}",  # noqa: S608
        p.args,
    )
    count = (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {T} WHERE {count_where} LIMIT 1001) AS m",  # noqa: S608
        count_args,
    )
    if p.count_from:
        where = p.where.split(" AND ", 1)[0]  # the workspace
        count = (
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {p.count_from} AND {T}.{where} LIMIT 1001) m",  # noqa: S608
            p.args,
        )
    if vendor != "postgresql":
        from infludesk.creators.search import count_hidden_columns, hidden_columns

        # same steering as the selector: keep filter columns outside the sort index (page) or
        # the covering count index (count) away from SQLite's index choice with a unary +
        # (see search.hidden_columns and search.count_hidden_columns)
        def hide(sql: str, columns: set[str]) -> str:
            for column in columns:
                sql = re.sub(rf"(?<![\w+]){column}\b", f"+{column}", sql.replace(COLS, "{COLS}"))
                sql = sql.replace("{COLS}", COLS)
            return sql.replace("%s", "?")

        page = (hide(page[0], hidden_columns(p.filters)), page[1])
        count = (hide(count[0], count_hidden_columns(p.filters)), count[1])
    return page, count


def run_queries(workspace: Any, token: str, runs: int, vendor: str) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client

    from infludesk.creators.search import creator_search, search_count

    client = Client(headers={"Authorization": f"Bearer {token}"})
    results = []
    for name, p in prepare_all(workspace, vendor):
        sql_page, sql_count = hand_sql(vendor, p)

        def api(p: Prepared = p) -> Any:
            response = client.get("/api/v1/creators/search", p.params)
            assert response.status_code == 200, response.content
            return response.json()

        def selector(p: Prepared = p) -> Any:
            if p.count_only:
                return search_count(workspace=workspace, filters=p.filters)
            return creator_search(workspace=workspace, filters=p.filters, after=p.after)

        def sql(page: Any = sql_page, count: Any = sql_count, p: Prepared = p) -> Any:
            # the API's request cycle may have closed Django's connection: reopen it
            connection.ensure_connection()
            cursor = connection.connection.cursor()
            rows: list = []
            if not p.count_only:
                cursor.execute(*page)
                rows = cursor.fetchall()
            cursor.execute(*count)
            found = cursor.fetchone()[0]
            cursor.close()
            return rows, found

        rows, found = sql()
        body = api()
        page = creator_search(workspace=workspace, filters=p.filters, after=p.after)
        same = (p.count_only or [r[0] for r in rows[:PAGE]] == [a.pk for a in page.items]) and (
            min(found, 1000) == page.count == body["count"]
        )
        timings = {
            "api": _time(api, runs),
            "selector": _time(selector, runs),
            "sql": _time(sql, runs),
        }
        results.append({"name": name, "count": body["count_label"], "same": same, **timings})
        print(f"  {name}: {timings}", flush=True)
    return results


def _time(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    for _ in range(2):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def report(vendor: str, results: list[dict[str, Any]]) -> None:
    same = "same rows as SQL" if all(r["same"] for r in results) else "ROWS DIFFER"
    print(f"\n{vendor}: ms, p50 / p95 ({same})")
    head = f"{'query':<34}{'count':>8}{'api':>16}{'selector':>16}{'sql':>16}"
    print(f"{head}{'sel/sql p50':>12}{'p95':>7}")
    worst_api, worst_ratio = 0.0, 0.0
    for r in results:
        a, s, q = r["api"], r["selector"], r["sql"]
        r50, r95 = s[0] / q[0], s[1] / q[1]
        worst_api, worst_ratio = max(worst_api, a[1]), max(worst_ratio, r50)
        flag = "" if r["same"] else "  (rows differ!)"
        print(
            f"{r['name']:<34}{r['count']:>8}{a[0]:>8.2f} /{a[1]:>6.2f}{s[0]:>8.2f} /{s[1]:>6.2f}"
            f"{q[0]:>8.2f} /{q[1]:>6.2f}{r50:>11.2f}x{r95:>6.2f}x{flag}"
        )
    print(
        f"{vendor}: worst API p95 {worst_api:.1f} ms (target < 50: "
        f"{'met' if worst_api < 50 else 'MISSED'}); worst selector/sql p50 ratio "
        f"{worst_ratio:.2f}x (target <= 1.5: {'met' if worst_ratio <= 1.5 else 'MISSED'})"
    )


if __name__ == "__main__":
    sys.exit(main())
