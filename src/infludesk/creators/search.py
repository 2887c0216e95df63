"""Creator search: social accounts of one workspace narrowed by filters, sorted by one metric,
paged by keyset, with a count that stops at a cap.

Why keyset and not OFFSET: page 3 of a million rows by OFFSET reads and throws away every row
before it; the keyset ``(sort value, id)`` of the last row lets the database start right after
it on an index ``(workspace, [equality filters,] sort column, id)`` (see the 0006 migration and
docs/search.md for the indexes and the query plans on SQLite and PostgreSQL).

Text (``text``): every word must start a word of the handle, the bio or the recent captions
(``SocialAccount.recent_captions``), case-blind; words are runs of letters and digits (so
"emma.trails" is the words emma and trails). SQLite answers it from the FTS5 table
``creators_account_fts``, PostgreSQL from the GIN index on ``PG_DOCUMENT`` (migration 0009);
both split and compare words the same way, so both return the same accounts. Other databases
fall back to LIKE on the three columns. On SQLite the count joins the FTS5 table (it stops
after 1,001 matches; ``id IN (SELECT rowid ...)`` would first collect every match), and when
more than 1,000 match, the page reads the sort index and checks each row against the matches
(``+id IN``: stops after 51) instead of fetching every match and sorting them all.

Fit to a brief (``brief``, ``fit_min``, sort ``fit``): see ``creators.search_fit``.

Rules:
- Sorting by a metric that can be unknown (engagement rate, authenticity, growth) lists only
  accounts where it is known: an unknown value has no place in a ranking, and leaving NULLs out
  keeps one index range per page on both databases (they order NULLs differently).
- Ties are broken by id in the same direction, so pages never repeat or skip a row.
- The count reads at most ``COUNT_CAP + 1`` matching rows; beyond that the answer is
  "1,000+" (``count_capped``), because an exact count of a broad filter reads every match.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections

from infludesk.core.models import Workspace
from infludesk.creators.audience_overlap import AudienceTarget, TargetError, parse_target
from infludesk.creators.models import Platform, SocialAccount, Tier

COUNT_CAP = 1_000
MAX_LIMIT = 200
# sort key offered to users -> model field
SORTS = {
    "followers": "followers",
    "engagement_rate": "engagement_rate",
    "authenticity": "authenticity_score",
    "growth": "growth_30d_pct",
    "handle": "handle",
}
# The columns a result shows (SearchResult, the API's SearchResultOut): reading only these keeps
# each row small (no authenticity explanation JSON).
RESULT_FIELDS = (
    "id", "creator_id", "workspace_id", "platform", "handle", "display_name", "url",
    "followers", "tier", "engagement_rate", "authenticity_score", "growth_30d_pct", "country",
    "language", "categories", "verified", "bio",
)  # fmt: skip
_ER_AT = RESULT_FIELDS.index("engagement_rate")
_CATEGORIES_AT = RESULT_FIELDS.index("categories")
_VERIFIED_AT = RESULT_FIELDS.index("verified")
NULLABLE_SORTS = frozenset({"engagement_rate", "authenticity", "growth", "fit"})
# "fit" is not a column: it is computed against the brief (creators.search_fit)
SORT_KEYS = (*SORTS, "fit")
MAX_TEXT_WORDS = 8
# PostgreSQL: the tsvector column kept by migration 0012's trigger (to_tsvector('simple',
# handle, bio and recent captions with every run of non-letters/digits made a space), GIN
# indexed. Unqualified: the search queries read one table, also as a subquery under an alias.
PG_DOCUMENT = "search_document"
FTS_TABLE = "creators_account_fts"
# The highest code point: a prefix p matches exactly the strings in [p, p + this) under a
# binary (code point) collation, which lets SQLite use the (workspace, handle) index.
_PREFIX_END = "\U0010ffff"


@dataclass(frozen=True)
class SearchFilters:
    """What creator search can narrow and sort by. None / empty means "any".

    Ranges are inclusive. ``text``: every word starts a word of the handle, bio or recent
    captions (see the module docstring); ``handle_prefix`` matches the start of the handle (a
    leading @ is dropped, lower-cased like the platforms' handles). ``category`` must be one of
    the account's categories. ``exclude_ids`` leaves accounts out (e.g. the account "similar
    to" is measured from). ``brief``: rank by fit to this text (``creators.search_fit``);
    ``fit_min`` keeps accounts whose fit (0-100) is at least this. ``audience_countries``,
    ``audience_ages``, ``audience_gender``: the brief's target audience (``US:60, GB:40``, as
    on the fit page, ``audience_overlap.parse_target``), which makes audience overlap part of
    the fit; they need a brief.
    """

    platform: str = ""
    tier: str = ""
    followers_min: int | None = None
    followers_max: int | None = None
    er_min: Decimal | None = None
    er_max: Decimal | None = None
    authenticity_min: int | None = None
    growth_min: float | None = None
    country: str = ""
    language: str = ""
    category: str = ""
    verified: bool | None = None
    handle_prefix: str = ""
    text: str = ""
    sort: str = "followers"
    descending: bool = True
    exclude_ids: tuple[int, ...] = field(default=())
    brief: str = ""
    fit_min: float | None = None
    audience_countries: str = ""
    audience_ages: str = ""
    audience_gender: str = ""

    def __post_init__(self) -> None:
        if self.sort not in SORT_KEYS:
            raise ValidationError({"sort": f"Sort by one of {', '.join(SORT_KEYS)}."})
        if not self.brief.strip() and (self.sort == "fit" or self.fit_min is not None):
            raise ValidationError({"brief": "Write a brief to sort or filter by fit."})
        target = self.audience_target  # a bad split: ValidationError naming its field
        if target and not self.brief.strip():
            raise ValidationError({"brief": "Write a brief to rank by fit to a target audience."})

    @property
    def audience_target(self) -> AudienceTarget:
        """The target audience of the three ``audience_*`` splits (empty when none is given);
        ValidationError naming the field of a split that cannot be read."""
        try:
            return parse_target(
                countries=self.audience_countries,
                ages=self.audience_ages,
                gender=self.audience_gender,
            )
        except TargetError as exc:
            raise ValidationError({exc.field: str(exc)}) from exc


def _field(name: str) -> Any:
    return property(itemgetter(RESULT_FIELDS.index(name)), doc=f"the {name} column")


class SearchResult(tuple[Any, ...]):
    """One account found: the row of ``RESULT_FIELDS`` as the database returned it, read-only,
    with an attribute per column, plus ``fit`` (with a brief: ``search_fit.AccountFit``).

    A row and not a SocialAccount: a page is one indexed read of well under a millisecond on
    SQLite, and making 50 model instances (Model.__init__, a ModelState each, every value
    converted) cost more than the query. Three columns are converted where they are read, as
    the model's fields would convert them: ``engagement_rate`` to a Decimal with 4 places
    (SQLite gives a float), ``categories`` from JSON (a new list each time), ``verified`` to a
    bool (SQLite gives 0/1); the API and the page read each once.
    """

    __slots__ = ()

    id: int = _field("id")
    creator_id: int = _field("creator_id")
    workspace_id: int = _field("workspace_id")
    platform: str = _field("platform")
    handle: str = _field("handle")
    display_name: str = _field("display_name")
    url: str = _field("url")
    followers: int = _field("followers")
    tier: str = _field("tier")
    authenticity_score: int | None = _field("authenticity_score")
    growth_30d_pct: float | None = _field("growth_30d_pct")
    country: str = _field("country")
    language: str = _field("language")
    bio: str = _field("bio")

    @classmethod
    def of(cls, row: tuple[Any, ...], fit: Any = None) -> SearchResult:
        """The result for a row of ``RESULT_FIELDS`` (and its fit)."""
        return tuple.__new__(cls, (*row[: len(RESULT_FIELDS)], fit))

    @property
    def pk(self) -> int:
        return self.id

    @property
    def engagement_rate(self) -> Decimal | None:
        return db_sort_value("engagement_rate", self[_ER_AT])

    @property
    def categories(self) -> list[str]:
        return list(_categories(self[_CATEGORIES_AT]))

    @property
    def verified(self) -> bool:
        return bool(self[_VERIFIED_AT])

    @property
    def fit(self) -> Any:
        return self[-1]

    def get_platform_display(self) -> str:
        return str(Platform(self.platform).label)

    def get_tier_display(self) -> str:
        return str(Tier(self.tier).label)

    def __repr__(self) -> str:
        return f"<SearchResult {self.id} @{self.handle} ({self.platform})>"


@dataclass(frozen=True)
class SearchPage:
    """One page of results. ``count`` is exact when ``count_capped`` is False, else it is
    COUNT_CAP and there are more. ``next_cursor`` is None on the last page."""

    items: list[SearchResult]
    next_cursor: str | None
    count: int
    count_capped: bool


def similar_filters(account: SocialAccount, *, base: SearchFilters | None = None) -> SearchFilters:
    """Accounts like ``account``: same platform and tier, followers within 0.5x-2x of its
    followers, sharing its first category, the account itself left out; best ER first."""
    base = base or SearchFilters(sort="engagement_rate")
    first_category = account.categories[0] if account.categories else ""
    return replace(
        base,
        platform=account.platform,
        tier=account.tier,
        followers_min=account.followers // 2,
        followers_max=account.followers * 2,
        category=base.category or first_category,
        exclude_ids=(*base.exclude_ids, account.pk),
    )


# --- cursor --------------------------------------------------------------------------------


def encode_cursor(filters: SearchFilters, row: SearchResult, value: Any = None) -> str:
    """The cursor after ``row``; ``value`` is its sort value when that is not a column (fit)."""
    value = getattr(row, SORTS[filters.sort]) if filters.sort in SORTS else value
    raw = json.dumps([filters.sort, filters.descending, _plain(value), row.pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def decode_cursor(filters: SearchFilters, cursor: str) -> tuple[Any, int]:
    """The (sort value, id) after which the next page starts; ValidationError naming `after`
    when the cursor is malformed or was made for another sort."""
    invalid = ValidationError({"after": "Invalid cursor: use next_cursor of the previous page."})
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort, descending, value, row_id = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise invalid from exc
    if sort != filters.sort or descending != filters.descending:
        raise ValidationError({"after": "The cursor belongs to another sort order."})
    if not isinstance(row_id, int) or isinstance(row_id, bool):
        raise invalid
    try:
        return _sort_value(filters.sort, value), row_id
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise invalid from exc


def _sort_value(sort: str, value: Any) -> Any:
    if value is None:
        raise ValueError("no value")
    if sort == "engagement_rate":
        return Decimal(str(value))
    if sort == "handle":
        if not isinstance(value, str):
            raise TypeError("handle")
        return value
    if sort in ("growth", "fit"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("number expected")
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("integer expected")
    return value


# --- the query: SQL written per filter shape ---------------------------------------------
#
# Why SQL text and not the ORM: the page and the count are two small indexed reads (well under
# a millisecond on SQLite for most searches), and building two querysets, compiling them and
# making 50 model instances through Model.__init__ cost 2-4 ms more, every search. The
# conditions below are the same ones the ORM wrote; values always go as parameters, so each
# filter shape is one prepared statement the database driver keeps. Result rows become
# SearchResult rows as read (``result_rows``), with only ``RESULT_FIELDS`` selected.

TABLE = SocialAccount._meta.db_table
# Columns a filter may compare; on SQLite a page query hides those outside the sort index.
FILTER_COLUMNS = (
    "platform", "tier", "country", "language", "followers", "engagement_rate",
    "authenticity_score", "growth_30d_pct", "verified",
)  # fmt: skip
RESULT_SELECT = ", ".join(f"a.{name}" for name in RESULT_FIELDS)


def _sort_index_columns(filters: SearchFilters) -> set[str]:
    """The columns of the index that serves this sort order (see the 0006 migration)."""
    column = SORTS.get(filters.sort, "")
    if not column:  # fit: no index
        return set()
    if filters.sort == "engagement_rate" and filters.platform and filters.tier:
        return {column, "platform", "tier"}
    if filters.sort == "followers" and filters.platform:
        return {column, "platform"}
    return {column}


def hidden_columns(filters: SearchFilters, vendor: str = "") -> set[str]:
    """Filter columns that a SQLite page query compares through a unary ``+``.

    Why: SQLite's planner (even after ANALYZE it has no histograms) likes an index that
    narrows a filter, e.g. the followers range, and then sorts every match in a temporary
    B-tree: 800 ms for a followers band of 300,000 rows. Reading the sort index in order and
    checking the filters row by row stops after one page. ``+col`` is the documented way to
    keep a term away from index selection. Handle prefix and text are not hidden (a prefix
    is narrow, text has no index). PostgreSQL's planner has statistics and chooses well.
    """
    if (vendor or connection.vendor) != "sqlite":
        return set()
    return set(FILTER_COLUMNS) - _sort_index_columns(filters)


# The equality columns of migration 0008's covering count index, in its order (after the
# workspace; followers and the other ranges follow them).
COUNT_INDEX_EQUALITIES = ("tier", "platform", "country", "language", "verified")


def count_hidden_columns(filters: SearchFilters, vendor: str = "") -> set[str]:
    """Filter columns that a SQLite count compares through a unary ``+``: with a tier, every
    one outside the longest run of equality filters that starts 0008's covering count index
    ``(workspace, tier, platform, country, language, verified, ...)``, so the count reads that
    index from the deepest prefix it can and never the table.

    Why: for mega creators verified in the US SQLite chose the country index (300,000 rows
    to read with a table lookup each, 135 ms) over the tier, where mega is rare, because
    without histograms it assumes every tier is as common. Hiding only what the prefix cannot
    use keeps e.g. instagram + micro + US reading ``(tier, platform, country)`` at once.
    PostgreSQL plans with statistics.
    """
    if (vendor or connection.vendor) != "sqlite" or not filters.tier:
        return set()
    given = {
        "tier": filters.tier,
        "platform": filters.platform,
        "country": filters.country,
        "language": filters.language,
        "verified": filters.verified is not None,
    }
    prefix = set()
    for column in COUNT_INDEX_EQUALITIES:
        if not given[column]:
            break
        prefix.add(column)
    return set(FILTER_COLUMNS) - prefix


def text_words(text: str) -> list[str]:
    """The words of a search text: lower-cased runs of letters and digits, at most 8."""
    return re.findall(r"[^\W_]+", text.lower())[:MAX_TEXT_WORDS]


def fts_match(words: list[str]) -> str:
    """SQLite FTS5 query: ``"word"*`` is a prefix match; terms side by side must all match."""
    return " ".join(f'"{w}"*' for w in words)


def pg_tsquery(words: list[str]) -> str:
    """PostgreSQL tsquery text: every word as a prefix (``trail:*``), all of them (``&``)."""
    return " & ".join(f"{w}:*" for w in words)


def text_condition(words: list[str], *, walk: bool = False, vendor: str = "") -> tuple[str, str]:
    """(SQL, its one parameter) true for accounts (table alias ``a``) where every word starts
    a word of the handle, bio or recent captions. ``walk`` (SQLite): ``+a.id IN`` so the
    planner reads the sort index and checks each row."""
    if (vendor or connection.vendor) == "postgresql":
        return f"a.{PG_DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)", pg_tsquery(words)
    plus = "+" if walk else ""
    sql = f"{plus}a.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
    return sql, fts_match(words)


@dataclass(frozen=True)
class Statement:
    """SQL with ``%s`` placeholders and its parameters."""

    sql: str
    params: list[Any]


class _Where:
    """Conditions joined by AND, with their parameters; ``hidden`` columns are compared
    through a unary ``+`` (SQLite's way to keep a term out of index selection)."""

    def __init__(self, hidden: set[str]) -> None:
        self.hidden = hidden
        self.parts: list[str] = []
        self.params: list[Any] = []

    def col(self, name: str) -> str:
        return f"+a.{name}" if name in self.hidden else f"a.{name}"

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(self.parts)


def _where(
    workspace_id: int, filters: SearchFilters, *, vendor: str, hidden: set[str], text: str = "in"
) -> _Where:
    """Every condition of ``filters`` on the account table (alias ``a``). ``text``: "in"
    (the ids of the text matches), "walk" (SQLite: ``+id IN``), "join" (the caller joins the
    FTS5 table and adds the MATCH)."""
    where = _Where(hidden)
    col = where.col
    where.add("a.workspace_id = %s", workspace_id)
    sqlite = vendor == "sqlite"
    exact = (
        ("platform", filters.platform),
        ("tier", filters.tier),
        ("country", filters.country.upper()),
        ("language", filters.language.lower()),
    )
    for name, value in exact:
        if value:
            where.add(f"{col(name)} = %s", value)
    if filters.followers_min is not None:
        where.add(f"{col('followers')} >= %s", filters.followers_min)
    if filters.followers_max is not None:
        where.add(f"{col('followers')} <= %s", filters.followers_max)
    # SQLite: a number, since a text parameter never equals a hidden (+) column's REAL
    for op, bound in ((">=", filters.er_min), ("<=", filters.er_max)):
        if bound is not None:
            where.add(f"{col('engagement_rate')} {op} %s", float(bound) if sqlite else bound)
    if filters.authenticity_min is not None:
        where.add(f"{col('authenticity_score')} >= %s", filters.authenticity_min)
    if filters.growth_min is not None:
        where.add(f"{col('growth_30d_pct')} >= %s", filters.growth_min)
    if filters.verified is not None:
        where.add(f"{col('verified')} = %s", filters.verified)
    if filters.category:
        if sqlite:
            # the JSON text as json.dumps wrote it (ASCII, quoted strings) holds the quoted
            # category exactly when it is one of the list's strings; instr is case-sensitive
            where.add("instr(a.categories, %s) > 0", json.dumps(filters.category))
        else:
            where.add("a.categories @> %s::jsonb", json.dumps([filters.category]))
    prefix = filters.handle_prefix.strip().lstrip("@").lower()
    if prefix:
        # a range on (workspace, handle, id), exactly the handles with this start since both
        # databases compare handles by code point (SQLite's BINARY; PostgreSQL: COLLATE "C",
        # migration 0015)
        where.add("a.handle >= %s AND a.handle < %s", prefix, prefix + _PREFIX_END)
    if filters.text.strip():
        words = text_words(filters.text)
        if not words:
            where.add("1 = 0")
        elif text != "join":
            where.add(*text_condition(words, walk=text == "walk", vendor=vendor))
    if filters.exclude_ids:
        marks = ", ".join(["%s"] * len(filters.exclude_ids))
        where.add(f"a.id NOT IN ({marks})", *filters.exclude_ids)
    column = SORTS.get(filters.sort)
    if column and filters.sort in NULLABLE_SORTS:
        where.add(f"{col(column)} IS NOT NULL")
    return where


def _from(filters: SearchFilters, text: str, vendor: str) -> tuple[str, list[Any]]:
    """FROM and the join condition for the text "join" strategy (SQLite: stream the FTS5
    matches and look each account up, so a capped count stops early)."""
    words = text_words(filters.text)
    if text == "join" and words and vendor == "sqlite":
        return (
            f"{FTS_TABLE} JOIN {TABLE} a ON a.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND ",
            [fts_match(words)],
        )
    return f"{TABLE} a WHERE ", []


def count_statement(
    workspace_id: int, filters: SearchFilters, cap: int | None = None, vendor: str = ""
) -> Statement:
    """``SELECT COUNT(*) FROM (SELECT 1 ... LIMIT cap + 1)``: the database stops after cap + 1
    matches instead of reading them all (SQLite: steered to the count index, text joined)."""
    cap = COUNT_CAP if cap is None else cap
    vendor = vendor or connection.vendor
    text = "join" if vendor == "sqlite" else "in"
    head, params = _from(filters, text, vendor)
    hidden = count_hidden_columns(filters, vendor)
    where = _where(workspace_id, filters, vendor=vendor, hidden=hidden, text=text)
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {head}{where.sql()} LIMIT {int(cap) + 1}) m"  # noqa: S608 - parameters only
    return Statement(sql, [*params, *where.params])


def page_statement(
    workspace_id: int,
    filters: SearchFilters,
    *,
    after: tuple[Any, int] | None,
    limit: int,
    walk_text: bool = False,
    vendor: str = "",
) -> Statement:
    """One page: ``limit`` rows of ``RESULT_FIELDS`` in the search order after the keyset
    ``after`` = (sort value, id). ``(col, id) < (v, i)`` (descending) is a row-value
    comparison both databases read as one range on an index ending in ``(col, id)``."""
    column = SORTS[filters.sort]
    vendor = vendor or connection.vendor
    text = "walk" if walk_text and vendor == "sqlite" else "in"
    hidden = hidden_columns(filters, vendor)
    where = _where(workspace_id, filters, vendor=vendor, hidden=hidden, text=text)
    direction, op = ("DESC", "<") if filters.descending else ("ASC", ">")
    if after is not None:
        value, row_id = after
        if column == "engagement_rate" and vendor == "sqlite":
            value = float(value)
        where.add(f"(a.{column}, a.id) {op} (%s, %s)", value, row_id)
    sql = (
        f"SELECT {RESULT_SELECT} FROM {TABLE} a WHERE {where.sql()} "  # noqa: S608 - parameters only
        f"ORDER BY a.{column} {direction}, a.id {direction} LIMIT {int(limit)}"
    )
    return Statement(sql, where.params)


def candidates_statement(workspace_id: int, filters: SearchFilters, limit: int) -> Statement:
    """Ids (and the sort column, if any) of at most ``limit`` matching accounts, unordered
    (fit to a brief ranks them in Python)."""
    column = SORTS.get(filters.sort)
    where = _where(workspace_id, filters, vendor=connection.vendor, hidden=set())
    select = f"a.id, a.{column}" if column else "a.id"
    sql = f"SELECT {select} FROM {TABLE} a WHERE {where.sql()} LIMIT {int(limit)}"  # noqa: S608
    return Statement(sql, where.params)


# "%.4f": the engagement rate's decimal places (SQLite returns the column as a float)
_ER_FORMAT = f"%.{SocialAccount._meta.get_field('engagement_rate').decimal_places}f"


def db_sort_value(column: str, value: Any) -> Any:
    """A sort column's value as read by the cursor, as the model holds it (SQLite gives the
    engagement rate as a float; the cursor and the model hold a Decimal)."""
    if column == "engagement_rate" and value is not None and not isinstance(value, Decimal):
        return Decimal(_ER_FORMAT % value)
    return value


_CATEGORIES: dict[Any, list[str]] = {}  # JSON text -> list (few distinct lists; bounded)


def _categories(value: Any) -> list[str]:
    """The categories column as read (JSON text; PostgreSQL may give the list) as a list."""
    found = value if isinstance(value, list) else _CATEGORIES.get(value)
    if found is None:
        if len(_CATEGORIES) >= 10_000:
            _CATEGORIES.clear()
        found = _CATEGORIES[value] = json.loads(value)
    return found


def result_rows(
    rows: list[tuple[Any, ...]], fits: dict[int, Any] | None = None
) -> list[SearchResult]:
    """SearchResults from rows of ``RESULT_FIELDS`` as the page query read them (and the
    fits of a search with a brief, by account id)."""
    if fits is None:
        new = tuple.__new__
        return [new(SearchResult, (*row, None)) for row in rows]
    return [SearchResult.of(row, fits.get(row[0])) for row in rows]


def creator_search(
    *,
    workspace: Workspace,
    filters: SearchFilters,
    after: str | None = None,
    limit: int = 50,
    with_count: bool = True,
) -> SearchPage:
    """One page of accounts matching ``filters`` after the cursor ``after``.

    Two queries: the page (``limit + 1`` rows, the extra one says whether a next page exists)
    and, with ``with_count``, the capped count over all matches (not only those after the
    cursor), so the number above the list stays the same on every page.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": f"Ask for 1 to {MAX_LIMIT} rows."})
    if filters.brief.strip():
        from infludesk.creators.search_fit import fit_search  # numpy and the model

        return fit_search(workspace=workspace, filters=filters, after=after, limit=limit)
    keyset = decode_cursor(filters, after) if after else None
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a context-local lookup
    count, capped = 0, False
    with db.cursor() as cursor:
        if with_count:
            count, capped = _count(cursor, count_statement(workspace.pk, filters, None, db.vendor))
        page = page_statement(
            workspace.pk, filters, after=keyset, limit=limit + 1, walk_text=capped, vendor=db.vendor
        )
        cursor.execute(page.sql, page.params)
        rows = result_rows(cursor.fetchall())
    has_next = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(filters, rows[-1]) if has_next else None
    return SearchPage(items=rows, next_cursor=next_cursor, count=count, count_capped=capped)


def search_count(
    *, workspace: Workspace, filters: SearchFilters, cap: int | None = None
) -> tuple[int, bool]:
    """(count, capped): the exact number of matches when at most ``cap`` (COUNT_CAP) match,
    else (cap, True). Reads at most cap + 1 matching rows."""
    with connection.cursor() as cursor:
        return _count(cursor, count_statement(workspace.pk, filters, cap), cap)


def _count(cursor: Any, statement: Statement, cap: int | None = None) -> tuple[int, bool]:
    cap = COUNT_CAP if cap is None else cap
    cursor.execute(statement.sql, statement.params)
    found = cursor.fetchone()[0]
    return (cap, True) if found > cap else (found, False)
