"""Creator pages: the filterable list (with CSV export) and a creator's detail page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html

from infludesk.core.listing import Column, Listing
from infludesk.core.permissions import member_required
from infludesk.creators.forms import CreatorFilterForm
from infludesk.creators.models import Creator, Platform, Tier
from infludesk.creators.selectors import (
    CreatorFilters,
    creator_follower_series,
    creator_get,
    creator_list,
)

PLATFORM_LABELS = dict(Platform.choices)
TIER_LABELS = dict(Tier.choices)


def _int(value: Any) -> str:
    return "" if value is None else f"{value:,}"


def _er(value: Any) -> str:
    return "" if value is None else f"{value:.2f}%"


def _er_csv(value: Any) -> str:
    # SQLite hands aggregates back as floats, PostgreSQL as Decimal: write both the same way.
    return "" if value is None else f"{Decimal(str(value)):.4f}"


def _handles(creator: Creator) -> str:
    accounts = getattr(creator, "matching_accounts", [])
    return ", ".join(
        f"@{a.handle} ({PLATFORM_LABELS.get(a.platform, a.platform)})" for a in accounts
    )


def _creator_url(creator: Creator) -> str:
    return reverse("creators:detail", args=[creator.pk])


def _select_box(creator_id: Any) -> str:
    # Page-only: the box belongs to the bulk form outside the table (form=), so it survives
    # the HTMX table swaps and is left out of the CSV.
    return format_html(
        '<input type="checkbox" name="ids" value="{}" form="bulk-form" aria-label="Select">',
        creator_id,
    )


CREATOR_COLUMNS = [
    Column("select", "", "pk", display=_select_box, in_csv=False),
    Column("name", "Name", "name", sort="name", link=_creator_url),
    Column("accounts", "Accounts", _handles),
    Column("country", "Country", "country"),
    Column(
        "followers",
        "Followers",
        "total_followers",
        sort="total_followers",
        display=_int,
        numeric=True,
    ),
    Column("er", "ER", "top_er", sort="top_er", display=_er, csv_value=_er_csv, numeric=True),
    Column(
        "authenticity",
        "Authenticity",
        "lowest_authenticity",
        sort="lowest_authenticity",
        display=lambda v: "not scored yet" if v is None else str(v),
        numeric=True,
    ),
]


@member_required()
def creator_list_view(request: HttpRequest) -> HttpResponse:
    form = CreatorFilterForm(request.GET)
    form.is_valid()  # invalid fields show their error and are left out; the others still apply
    filters = CreatorFilters.from_cleaned(form.cleaned_data)
    listing = Listing(
        request=request,
        queryset=creator_list(workspace=request.workspace, filters=filters),  # type: ignore[attr-defined]
        form=form,
        columns=CREATOR_COLUMNS,
        default_sort="name",
        page_size=25,
        csv_filename="creators.csv",
    )
    return listing.response(template="creators/list.html")


@member_required()
def creator_detail_view(request: HttpRequest, creator_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    creator = creator_get(workspace=workspace, creator_id=creator_id)
    series = creator_follower_series(workspace=workspace, creator=creator)
    chart = None
    if series:
        chart = {
            "data": [
                {
                    "name": s.label,
                    "x": s.taken_at,
                    "y": s.followers,
                    "type": "scatter",
                    "mode": "lines+markers",
                }
                for s in series
            ],
            "layout": {"yaxis": {"title": {"text": "Followers"}, "rangemode": "tozero"}},
        }
    return render(
        request,
        "creators/detail.html",
        {
            "creator": creator,
            "accounts": creator.account_list,  # type: ignore[attr-defined]
            "chart": chart,
            "platform_labels": PLATFORM_LABELS,
        },
    )
