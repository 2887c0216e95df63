"""Page-number pagination for every list: ``?page=2&page_size=50`` (at most 200 a page).

The answer carries ``count`` (rows matching the filters), ``next`` and ``previous`` (absolute
URLs keeping the other query parameters, or null) and ``items``. Two queries: a COUNT and one
page of rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# Bounds the OFFSET the database sees; nobody pages a million pages deep.
MAX_PAGE = 1_000_000


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based page number")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="rows per page (max 200)"
    )


class Page(Schema):
    """Subclasses narrow ``items`` to their Out schema."""

    count: int
    next: str | None
    previous: str | None
    items: list[Any]


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request: HttpRequest, queryset: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    """One page of an ordered queryset with links to its neighbours."""
    count = queryset.count()
    start = (params.page - 1) * params.page_size
    items = list(queryset[start : start + params.page_size]) if start < count else []
    has_next = start + params.page_size < count
    return {
        "count": count,
        "next": _page_url(request, params.page + 1) if has_next else None,
        "previous": _page_url(request, params.page - 1) if params.page > 1 else None,
        "items": items,
    }
