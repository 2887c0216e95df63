"""The one list pattern for every object list: filter form, sortable columns, pages, CSV.

A view builds a ``Listing`` from a queryset its selector returned (already filtered and scoped
to the workspace), the bound filter form and column definitions, then returns
``listing.response(...)``:

- ``?format=csv`` streams every filtered row (all pages, in the chosen order) as CSV;
- a request from HTMX (``HX-Request``) gets only the table partial (body + pager);
- anything else gets the full page, which includes the same partial.

The filter state lives in the query string only, so every state of a list is a plain link
that works without JavaScript; HTMX merely swaps the table in place and pushes the URL.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

SORT_PARAM = "sort"
PAGE_PARAM = "page"
FORMAT_PARAM = "format"
CSV_CHUNK = 2000


def _attr(path: str) -> Callable[[Any], Any]:
    """A getter for a dotted attribute path ('creator.name'); a None along the way gives None."""
    parts = path.split(".")

    def get(row: Any) -> Any:
        value = row
        for part in parts:
            if value is None:
                return None
            value = getattr(value, part)
        return value() if callable(value) else value

    return get


@dataclass(frozen=True)
class Column:
    """One column of a list.

    key: its name in ``?sort=`` and the CSV header; label: the heading people read;
    value: how to get the cell's raw value from a row (a dotted attribute path or a function);
    sort: the ORM field or annotation to order by, or None when the column cannot be sorted;
    display: how to show the raw value in HTML (defaults to str, '' for None);
    csv_value: how to write it to CSV (defaults to the raw value, '' for None);
    link: a function giving the URL the cell links to; numeric: right-align it;
    in_csv: False for page-only columns (e.g. a selection checkbox) left out of the CSV.
    """

    key: str
    label: str
    value: str | Callable[[Any], Any]
    sort: str | None = None
    display: Callable[[Any], str] | None = None
    csv_value: Callable[[Any], Any] | None = None
    link: Callable[[Any], str] | None = None
    numeric: bool = False
    in_csv: bool = True

    def raw(self, row: Any) -> Any:
        getter = _attr(self.value) if isinstance(self.value, str) else self.value
        return getter(row)

    def html(self, row: Any) -> str:
        value = self.raw(row)
        if self.display is not None:
            return self.display(value)
        return "" if value is None else str(value)

    def csv(self, row: Any) -> Any:
        value = self.raw(row)
        if self.csv_value is not None:
            return self.csv_value(value)
        return "" if value is None else value


@dataclass
class Cell:
    text: str
    link: str | None
    numeric: bool


@dataclass
class Header:
    column: Column
    url: str | None  # None when the column cannot be sorted
    direction: str | None  # "asc" / "desc" when the list is sorted by this column


@dataclass
class Listing:
    """A filtered queryset shown as a sortable, paginated table with a CSV export.

    ``default_sort`` is a column key, prefixed with "-" for descending. Unknown sort keys in
    the query string fall back to it (never an error), as do page numbers out of range.
    """

    request: HttpRequest
    queryset: QuerySet[Any]
    form: forms.Form
    columns: Sequence[Column]
    default_sort: str
    page_size: int = 25
    csv_filename: str = "export.csv"
    _columns_by_key: dict[str, Column] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._columns_by_key = {c.key: c for c in self.columns}

    # -- state from the query string -----------------------------------------------------

    @property
    def sort(self) -> str:
        wanted = self.request.GET.get(SORT_PARAM, "")
        column = self._columns_by_key.get(wanted.lstrip("-"))
        if column is None or column.sort is None:
            return self.default_sort
        return wanted

    def ordered(self) -> QuerySet[Any]:
        """The queryset in the chosen order; empty values last either way, then by id so
        pages never overlap."""
        key = self.sort
        column = self._columns_by_key[key.lstrip("-")]
        expr = F(str(column.sort))
        order = expr.desc(nulls_last=True) if key.startswith("-") else expr.asc(nulls_last=True)
        return self.queryset.order_by(order, "pk")

    def query(self, **changes: str | None) -> str:
        """The current query string with some parameters changed (None removes one)."""
        params: QueryDict = self.request.GET.copy()
        params.pop(FORMAT_PARAM, None)
        for name, value in changes.items():
            params.pop(name, None)
            if value is not None:
                params[name] = value
        pairs = [(k, v) for k, values in params.lists() for v in values if v != ""]
        return "?" + urlencode(pairs) if pairs else "?"

    # -- pieces for the templates --------------------------------------------------------

    def headers(self) -> list[Header]:
        current = self.sort
        result = []
        for column in self.columns:
            if column.sort is None:
                result.append(Header(column=column, url=None, direction=None))
                continue
            direction = None
            if current.lstrip("-") == column.key:
                direction = "desc" if current.startswith("-") else "asc"
            # A click on the active column flips it; on another column sorts ascending.
            target = f"-{column.key}" if direction == "asc" else column.key
            url = self.query(**{SORT_PARAM: target, PAGE_PARAM: None})
            result.append(Header(column=column, url=url, direction=direction))
        return result

    def page(self) -> Page:
        paginator = Paginator(self.ordered(), self.page_size)
        return paginator.get_page(self.request.GET.get(PAGE_PARAM))

    def rows(self, page: Page) -> list[list[Cell]]:
        return [
            [
                Cell(
                    text=c.html(row),
                    link=c.link(row) if c.link is not None else None,
                    numeric=c.numeric,
                )
                for c in self.columns
            ]
            for row in page.object_list
        ]

    def context(self) -> dict[str, Any]:
        page = self.page()
        return {
            "listing": self,
            "form": self.form,
            "headers": self.headers(),
            "rows": self.rows(page),
            "page_obj": page,
            "prev_url": self.query(page=str(page.previous_page_number()))
            if page.has_previous()
            else None,
            "next_url": self.query(page=str(page.next_page_number())) if page.has_next() else None,
            "csv_url": self.query(page=None, format="csv"),
            "list_path": self.request.path,
        }

    # -- responses ------------------------------------------------------------------------

    def csv_rows(self) -> Iterator[list[Any]]:
        columns = [c for c in self.columns if c.in_csv]
        yield [c.key for c in columns]
        queryset = self.ordered()
        for row in queryset.iterator(chunk_size=CSV_CHUNK):
            yield [c.csv(row) for c in columns]

    def csv_response(self) -> HttpResponse:
        """Every filtered row, streamed so a large export never sits in memory."""
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(r) for r in self.csv_rows()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        # StreamingHttpResponse is not an HttpResponse subclass, but views may return either.
        return response  # type: ignore[return-value]

    def response(self, *, template: str, extra: dict[str, Any] | None = None) -> HttpResponse:
        if self.request.GET.get(FORMAT_PARAM) == "csv":
            return self.csv_response()
        context = {**self.context(), **(extra or {})}
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            response = render(self.request, "listing/table.html", context)
        else:
            response = render(self.request, template, context)
        # The same URL answers with a partial or a full page, so caches must tell them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def choices_with_any(choices: Iterable[tuple[str, str]], label: str = "Any") -> list[Any]:
    """Choices for an optional filter field: a blank 'Any' first."""
    return [("", label), *choices]
