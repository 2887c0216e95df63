"""The creator search page: every filter of ``creators.search``, one keyset page of accounts
with their cost estimates, the capped count, and the workspace's saved searches.

The query string is parsed by the search API's own schema (``SearchParams``), so the page, the
API and saved searches accept exactly the same filters with the same checks, and a saved
search's filters (the API's JSON) are the page's query string. One URL:
- GET: the form and the results (an HTMX request gets only the results partial);
- POST ``action=save`` (owner/manager): save the current filters under ``name``;
- POST ``action=delete`` (owner/manager): delete the saved search ``saved``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from pydantic import ValidationError as SchemaError

from infludesk.core.models import Member, Workspace
from infludesk.core.permissions import member_required
from infludesk.creators import saved_searches
from infludesk.creators.api_search import SearchParams, SearchQueryBase, run_search
from infludesk.creators.cost_table import account_estimate, cost_table_get
from infludesk.creators.models import Platform, SavedSearch, SocialAccount, Tier
from infludesk.creators.search import SearchPage, SearchResult

PAGE_SIZE = 50
SAVED_SHOWN = 100
SORT_CHOICES = [
    ("followers", "Followers"),
    ("engagement_rate", "Engagement rate"),
    ("authenticity", "Authenticity"),
    ("growth", "Growth (30 days)"),
    ("handle", "Handle"),
    ("fit", "Fit to the brief"),
]
YES_NO = [("true", "Yes"), ("false", "No")]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text | number | select | textarea | hidden
    choices: tuple[tuple[str, str], ...] = ()
    blank: str = "Any"
    step: str = ""
    placeholder: str = ""


FIELDS = [
    FieldSpec("q", "Words (handle, bio, captions)"),
    FieldSpec("handle_prefix", "Handle starts with"),
    FieldSpec("platform", "Platform", "select", tuple(Platform.choices)),
    FieldSpec("tier", "Tier", "select", tuple(Tier.choices)),
    FieldSpec("followers_min", "Followers from", "number", step="1"),
    FieldSpec("followers_max", "Followers to", "number", step="1"),
    FieldSpec("er_min", "ER from (%)", "number", step="any"),
    FieldSpec("er_max", "ER to (%)", "number", step="any"),
    FieldSpec("authenticity_min", "Authenticity at least", "number", step="1"),
    FieldSpec("growth_min", "Growth 30 d at least (%)", "number", step="any"),
    FieldSpec("country", "Country (ISO code)"),
    FieldSpec("language", "Language (ISO code)"),
    FieldSpec("category", "Category"),
    FieldSpec("verified", "Verified", "select", tuple(YES_NO)),
    FieldSpec("brief", "Fit to a brief (campaign or brand text)", "textarea"),
    FieldSpec("fit_min", "Fit at least (0-100)", "number", step="any"),
    FieldSpec("audience_countries", "Target audience: countries", placeholder="US:60, GB:40"),
    FieldSpec("audience_ages", "Target audience: ages", placeholder="18-24, 25-34"),
    FieldSpec("audience_gender", "Target audience: gender", placeholder="F:70, M:30"),
    FieldSpec("sort", "Sort by", "select", tuple(SORT_CHOICES), blank=""),
    FieldSpec(
        "order", "Direction", "select", (("desc", "High to low"), ("asc", "Low to high")), ""
    ),
    FieldSpec("similar_to", "Similar to account", "hidden"),
]
FIELD_NAMES = [f.name for f in FIELDS]


@dataclass(frozen=True)
class ResultRow:
    account: SearchResult
    followers: str
    cost: str
    reach: str


FIT_PAGE_PARAMS = ("brief", "audience_countries", "audience_ages", "audience_gender")


def _params(data: Any) -> dict[str, str]:
    """The search fields present in a query dict, blank ones left out."""
    return {name: data.get(name, "").strip() for name in FIELD_NAMES if data.get(name, "").strip()}


def _schema_errors(error: SchemaError) -> dict[str, list[str]]:
    """Pydantic's errors as {field: [messages]}; a cross-field error goes under ``__all__``."""
    errors: dict[str, list[str]] = {}
    for item in error.errors():
        loc = item.get("loc") or ()
        name = str(loc[0]) if loc else "__all__"
        message = str(item.get("msg", "Invalid value.")).removeprefix("Value error, ")
        errors.setdefault(name, []).append(message)
    return errors


def query_string(filters: dict[str, Any]) -> str:
    """A saved search's (or the current) filters as the page's query string."""
    plain = {
        key: ("true" if value else "false") if isinstance(value, bool) else str(value)
        for key, value in filters.items()
        if value is not None and value != ""
    }
    return urlencode(plain)


def _rows(workspace: Workspace, page: SearchPage) -> list[ResultRow]:
    """Cost per post (low-high, workspace currency) and expected reach for each row: pure
    arithmetic on the row's stored columns and one cost-table query for the whole page."""
    table = cost_table_get(workspace=workspace)
    rows = []
    for account in page.items:
        estimate = account_estimate(account, table)
        cost = f"{estimate.cost.low:,.0f}-{estimate.cost.high:,.0f} {workspace.currency}"
        rows.append(
            ResultRow(
                account=account,
                followers=f"{account.followers:,}",
                cost=cost,
                reach=f"{estimate.reach:,}",
            )
        )
    return rows


def _bound_fields(values: dict[str, str], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each form field with its current value and its errors, for the template."""
    return [
        {"spec": f, "id": f"search-{f.name}", "value": values.get(f.name, ""),
         "errors": errors.get(f.name, [])}
        for f in FIELDS
    ]  # fmt: skip


def _count_label(page: SearchPage) -> str:
    if page.count_capped:
        return f"{page.count:,}+ creators"
    return f"{page.count:,} creator" + ("" if page.count == 1 else "s")


def _saved_list(workspace: Workspace) -> list[dict[str, Any]]:
    rows = SavedSearch.objects.filter(workspace=workspace).order_by("name", "id")[:SAVED_SHOWN]
    return [{"id": s.pk, "name": s.name, "query": query_string(s.filters)} for s in rows]


def _search(request: HttpRequest, *, partial: bool = False, status: int = 200) -> HttpResponse:
    workspace: Workspace = request.workspace  # type: ignore[attr-defined]
    values = _params(request.GET)
    after = request.GET.get("after", "").strip() or None
    errors: dict[str, list[str]] = {}
    page: SearchPage | None = None
    like: SocialAccount | None = None
    try:
        params = SearchParams.model_validate({**values, "limit": PAGE_SIZE, "after": after})
        page, like = run_search(workspace=workspace, params=params)
    except SchemaError as error:
        errors = _schema_errors(error)
    except ValidationError as error:
        errors = error.message_dict
    current = query_string(values)
    context = {
        "fields": _bound_fields(values, errors),
        "filter_items": list(values.items()),
        "general_errors": [m for k, ms in errors.items() if k not in FIELD_NAMES for m in ms],
        "page": page,
        "like": like,
        "has_brief": bool(values.get("brief")),
        # the fit page for a result, opened with this search's brief and target audience
        "fit_query": query_string({k: v for k, v in values.items() if k in FIT_PAGE_PARAMS})
        if values.get("brief")
        else "",
        "clear_similar_query": query_string({k: v for k, v in values.items() if k != "similar_to"}),
        "rows": _rows(workspace, page) if page else [],
        "count_label": _count_label(page) if page else "",
        "current_query": current,
        "next_query": (
            f"{current}&after={page.next_cursor}" if current else f"after={page.next_cursor}"
        )
        if page and page.next_cursor
        else "",
        "search_path": reverse("creators:search"),
        "saved": [] if partial else _saved_list(workspace),
    }
    status = 400 if errors else status
    if partial:
        return render(request, "creators/search_results.html", context, status=status)
    return render(request, "creators/search.html", context, status=status)


def _save(request: HttpRequest, member: Member) -> HttpResponse:
    values = _params(request.POST)
    try:
        query = SearchQueryBase.model_validate(values)
        saved = saved_searches.saved_search_create(
            workspace=member.workspace,
            by=member,
            name=request.POST.get("name", "")[:120],
            filters=query.model_dump(mode="json", exclude_defaults=True),
        )
    except SchemaError as error:
        text = "; ".join(f"{k}: {' '.join(v)}" for k, v in _schema_errors(error).items())
        messages.error(request, f"Not saved: {text}")
        return redirect(f"{reverse('creators:search')}?{query_string(values)}")
    except ValidationError as error:
        messages.error(request, "Not saved: " + " ".join(error.messages))
        return redirect(f"{reverse('creators:search')}?{query_string(values)}")
    messages.success(request, f"Saved the search {saved.name!r}.")
    return redirect(f"{reverse('creators:search')}?{query_string(saved.filters)}")


def _delete(request: HttpRequest, member: Member) -> HttpResponse:
    saved_id = request.POST.get("saved", "")
    if not saved_id.isdigit():
        messages.error(request, "Pick a saved search to delete.")
        return redirect("creators:search")
    saved = get_object_or_404(SavedSearch, workspace=member.workspace, pk=int(saved_id))
    name = saved.name
    saved_searches.saved_search_delete(saved=saved, by=member)
    messages.success(request, f"Deleted the saved search {name!r}.")
    return redirect("creators:search")


@member_required()
def search_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _search(request, partial=bool(request.headers.get("HX-Request")))
    member: Member = request.member  # type: ignore[attr-defined]
    if not member.can_write:
        raise PermissionDenied("Your role in this workspace is read-only.")
    action = request.POST.get("action", "")
    if action == "save":
        return _save(request, member)
    if action == "delete":
        return _delete(request, member)
    messages.error(request, "Unknown action.")
    return _search(request, status=400)
