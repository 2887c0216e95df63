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
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, F, Field, FloatField, Func, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from infludesk.core.models import Workspace
from infludesk.creators.models import SocialAccount

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
# The columns a result row shows (the API's SearchResultOut): reading only these keeps each
# row small (no authenticity explanation JSON); reading any other field costs a query per row.
RESULT_FIELDS = (
    "id", "creator_id", "platform", "handle", "display_name", "url", "followers", "tier",
    "engagement_rate", "authenticity_score", "growth_30d_pct", "country", "language",
    "categories", "verified", "bio",
)  # fmt: skip
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
    ``fit_min`` keeps accounts whose fit (0-100) is at least this.
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

    def __post_init__(self) -> None:
        if self.sort not in SORT_KEYS:
            raise ValidationError({"sort": f"Sort by one of {', '.join(SORT_KEYS)}."})
        if not self.brief.strip() and (self.sort == "fit" or self.fit_min is not None):
            raise ValidationError({"brief": "Write a brief to sort or filter by fit."})


@dataclass(frozen=True)
class SearchPage:
    """One page of results. ``count`` is exact when ``count_capped`` is False, else it is
    COUNT_CAP and there are more. ``next_cursor`` is None on the last page."""

    items: list[SocialAccount]
    next_cursor: str | None
    count: int
    count_capped: bool
    # with a brief: account id -> its fit and the captions that match the brief best
    fits: dict[int, Any] = field(default_factory=dict)


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


def encode_cursor(filters: SearchFilters, row: SocialAccount, value: Any = None) -> str:
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


# --- the query -----------------------------------------------------------------------------


def _category_q(category: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(categories__contains=[category])
    # SQLite stores the JSON text as json.dumps writes it (ASCII, quoted strings), so the
    # quoted category appears in it exactly when it is one of the list's strings.
    return Q(categories_text__contains=json.dumps(category))


# Columns a filter may compare; on SQLite a page query hides those outside the sort index.
FILTER_COLUMNS = (
    "platform", "tier", "country", "language", "followers", "engagement_rate",
    "authenticity_score", "growth_30d_pct", "verified",
)  # fmt: skip


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


def hidden_columns(filters: SearchFilters) -> set[str]:
    """Filter columns that a SQLite page query compares through a unary ``+``.

    Why: SQLite's planner (even after ANALYZE it has no histograms) likes an index that
    narrows a filter, e.g. the followers range, and then sorts every match in a temporary
    B-tree: 800 ms for a followers band of 300,000 rows. Reading the sort index in order and
    checking the filters row by row stops after one page. ``+col`` is the documented way to
    keep a term away from index selection. Handle prefix and text are not hidden (a prefix
    is narrow, text has no index). PostgreSQL's planner has statistics and chooses well.
    """
    if connection.vendor != "sqlite":
        return set()
    return set(FILTER_COLUMNS) - _sort_index_columns(filters)


# The equality columns of migration 0008's covering count index, in its order (after the
# workspace; followers and the other ranges follow them).
COUNT_INDEX_EQUALITIES = ("tier", "platform", "country", "language", "verified")


def count_hidden_columns(filters: SearchFilters) -> set[str]:
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
    if connection.vendor != "sqlite" or not filters.tier:
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


def _hide(column: str) -> Func:
    # FloatField for the ER: a Decimal parameter goes to SQLite as text, and without the
    # column's affinity a number never equals text.
    field = FloatField() if column == "engagement_rate" else SocialAccount._meta.get_field(column)
    return Func(F(column), template="+%(expressions)s", output_field=cast(Field, field))


def _filter_q(filters: SearchFilters, hidden: set[str], text_mode: str = "in") -> Q:
    def col(name: str) -> str:
        return f"{name}_unindexed" if name in hidden else name

    q = Q()
    exact = {
        "platform": filters.platform,
        "tier": filters.tier,
        "country": filters.country.upper(),
        "language": filters.language.lower(),
    }
    for name, value in exact.items():
        if value:
            q &= Q(**{col(name): value})
    er = col("engagement_rate")

    def as_er(value: Decimal) -> Decimal | float:
        return value if er == "engagement_rate" else float(value)

    ranges: dict[str, Any] = {
        f"{col('followers')}__gte": filters.followers_min,
        f"{col('followers')}__lte": filters.followers_max,
        f"{er}__gte": None if filters.er_min is None else as_er(filters.er_min),
        f"{er}__lte": None if filters.er_max is None else as_er(filters.er_max),
        f"{col('authenticity_score')}__gte": filters.authenticity_min,
        f"{col('growth_30d_pct')}__gte": filters.growth_min,
        col("verified"): filters.verified,
    }
    for lookup, bound in ranges.items():
        if bound is not None:
            q &= Q(**{lookup: bound})
    if filters.category:
        q &= _category_q(filters.category)
    prefix = filters.handle_prefix.strip().lstrip("@").lower()
    if prefix:
        q &= Q(handle__gte=prefix, handle__lt=prefix + _PREFIX_END, handle__startswith=prefix)
    if filters.text.strip() and text_mode != "join":  # a join is added by search_queryset
        q &= text_q(filters.text, walk=text_mode == "walk")
    return q


def text_words(text: str) -> list[str]:
    """The words of a search text: lower-cased runs of letters and digits, at most 8."""
    return re.findall(r"[^\W_]+", text.lower())[:MAX_TEXT_WORDS]


def text_q(text: str, *, walk: bool = False) -> Q:
    """Accounts where every word of ``text`` starts a word of the handle, bio or recent
    captions. A text without letters or digits matches nothing. ``walk`` (SQLite): compare
    ``+id`` so the planner reads the sort index (the queryset needs the ``id_unindexed``
    alias)."""
    words = text_words(text)
    if not words:
        return Q(pk__in=[])
    if connection.vendor == "sqlite":
        # FTS5 query syntax: "word"* is a prefix match; terms side by side must all match
        match = " ".join(f'"{w}"*' for w in words)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        lookup = "id_unindexed__in" if walk else "pk__in"
        return Q(**{lookup: RawSQL(sql, [match])})  # noqa: S611 - constant SQL, text a parameter
    if connection.vendor == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        return Q(
            RawSQL(  # noqa: S611 - constant SQL, the words as a parameter
                f"{PG_DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)",
                [query],
                output_field=BooleanField(),
            )
        )
    q = Q()
    for word in words:
        q &= Q(handle__icontains=word) | Q(bio__icontains=word) | Q(recent_captions__icontains=word)
    return q


def search_queryset(
    *,
    workspace: Workspace,
    filters: SearchFilters,
    for_page: bool = False,
    for_count: bool = False,
    text_strategy: str = "in",
) -> QuerySet[SocialAccount]:
    """The matching accounts of the workspace, in the search order (no cursor, no limit).

    ``for_page``: the query will be cut to one page, so on SQLite steer it to the sort index
    (see ``hidden_columns``). ``for_count``: it will be counted, so on SQLite steer it to the
    covering count index when a tier is given (``count_hidden_columns``). ``text_strategy``
    (SQLite only): "in" fetches the text matches by id, "walk" checks the rows of the sort
    index against them, "join" joins the FTS5 table (for the count; not as a subquery)."""
    rows = SocialAccount.objects.filter(workspace=workspace)
    if filters.category and connection.vendor != "postgresql":
        rows = rows.alias(categories_text=Cast("categories", TextField()))
    hidden = (
        hidden_columns(filters)
        if for_page
        else count_hidden_columns(filters)
        if for_count
        else set()
    )
    if hidden:
        rows = rows.alias(**{f"{name}_unindexed": _hide(name) for name in hidden})
    text_mode = text_strategy if connection.vendor == "sqlite" else "in"
    if text_mode == "walk":
        rows = rows.alias(id_unindexed=_hide("id"))
    rows = rows.filter(_filter_q(filters, hidden, text_mode))
    if text_mode == "join" and filters.text.strip():
        rows = _fts_join(rows, filters.text)
    if filters.exclude_ids:
        rows = rows.exclude(pk__in=filters.exclude_ids)
    if filters.sort == "fit":  # ordered in Python by creators.search_fit
        return rows.order_by()
    column = SORTS[filters.sort]
    if filters.sort in NULLABLE_SORTS:
        # a count may hide the sort column too (it has no order): then so is this test
        known = f"{column}_unindexed" if column in hidden else column
        rows = rows.filter(**{f"{known}__isnull": False})
    sign = "-" if filters.descending else ""
    return rows.order_by(f"{sign}{column}", f"{sign}id")


def _fts_join(rows: QuerySet[SocialAccount], text: str) -> QuerySet[SocialAccount]:
    """The rows joined with their FTS5 matches: SQLite streams the matches and looks each
    account up, so a capped count stops early."""
    words = text_words(text)
    if not words:
        return rows.filter(pk__in=[])
    match = " ".join(f'"{w}"*' for w in words)
    table = SocialAccount._meta.db_table
    return rows.extra(  # noqa: S610 - constant SQL, the words as a parameter
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
    )


def _after_q(filters: SearchFilters, value: Any, row_id: int) -> Q:
    """Rows after (value, id) in the sort order. Written as ``col <= v AND (col < v OR id < i)``
    (descending) so both planners see a plain range on the sort column's index."""
    column = SORTS[filters.sort]
    op = "lt" if filters.descending else "gt"
    bound = f"{column}__{op}e"
    return Q(**{bound: value}) & (
        Q(**{f"{column}__{op}": value}) | Q(**{column: value, f"id__{op}": row_id})
    )


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
    count, capped = 0, False
    if with_count:
        matching = search_queryset(
            workspace=workspace, filters=filters, for_count=True, text_strategy="join"
        )
        count, capped = capped_count(matching)
    page_rows = search_queryset(
        workspace=workspace,
        filters=filters,
        for_page=True,
        text_strategy="walk" if capped else "in",
    )
    if after:
        value, row_id = decode_cursor(filters, after)
        page_rows = page_rows.filter(_after_q(filters, value, row_id))
    rows = list(page_rows.only(*RESULT_FIELDS)[: limit + 1])
    has_next = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(filters, rows[-1]) if has_next else None
    return SearchPage(items=rows, next_cursor=next_cursor, count=count, count_capped=capped)


def capped_count(rows: QuerySet[SocialAccount], cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): the exact count when at most ``cap`` rows match, else (cap, True).

    ``SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1)``: the database stops after cap + 1
    matches instead of reading them all."""
    cap = COUNT_CAP if cap is None else cap
    found = rows.order_by()[: cap + 1].count()
    return (cap, True) if found > cap else (found, False)
