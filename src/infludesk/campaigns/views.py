"""Campaign pages: the filterable list (with CSV export), a campaign's page with its deals by
stage, and the create/edit form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from infludesk.campaigns.forms import CampaignFilterForm, CampaignForm
from infludesk.campaigns.models import Campaign, CampaignStatus, CampaignType, Objective
from infludesk.campaigns.selectors import (
    CampaignFilters,
    campaign_get,
    campaign_goals,
    campaign_list,
)
from infludesk.campaigns.services import campaign_create, campaign_update
from infludesk.campaigns.views_board import board_context, campaign_extras
from infludesk.core.listing import Column, Listing
from infludesk.core.permissions import member_required


def _money(campaign: Campaign) -> str:
    return f"{campaign.budget:,.2f} {campaign.currency}"


def _label(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    """Show a stored choice by its label (the CSV keeps the stored value)."""
    labels = dict(choices.choices)
    return lambda value: str(labels.get(value, value))


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


CAMPAIGN_COLUMNS = [
    Column(
        "name", "Name", "name", sort="name",
        link=lambda c: reverse("campaigns:detail", args=[c.pk]),
    ),
    Column("status", "Status", "status", display=_label(CampaignStatus)),
    Column("objective", "Objective", "objective", display=_label(Objective)),
    Column("type", "Type", "type", display=_label(CampaignType)),
    Column("starts_on", "Starts", "starts_on", sort="starts_on", display=_date, csv_value=_date),
    Column("ends_on", "Ends", "ends_on", display=_date, csv_value=_date),
    Column(
        "budget", "Budget", lambda c: c, sort="budget", display=_money,
        csv_value=lambda c: f"{c.budget:.2f}", numeric=True,
    ),
    Column("currency", "Currency", "currency"),
    Column("deals", "Deals", "deal_count", numeric=True),
]  # fmt: skip


@member_required()
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    form = CampaignFilterForm(request.GET)
    form.is_valid()  # invalid fields show their error and are left out; the others still apply
    filters = CampaignFilters.from_cleaned(form.cleaned_data)
    listing = Listing(
        request=request,
        queryset=campaign_list(workspace=request.workspace, filters=filters),  # type: ignore[attr-defined]
        form=form,
        columns=CAMPAIGN_COLUMNS,
        default_sort="-starts_on",
        page_size=25,
        csv_filename="campaigns.csv",
    )
    return listing.response(template="campaigns/list.html")


@member_required()
def campaign_detail_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    campaign = campaign_get(workspace=workspace, campaign_id=campaign_id)
    return render(
        request,
        "campaigns/detail.html",
        {
            **board_context(campaign),
            **campaign_extras(campaign),
            "goals": campaign_goals(workspace=workspace, campaign=campaign),
        },
    )


@member_required(write=True)
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = CampaignForm(request.POST or None, initial={"currency": workspace.currency})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(
                workspace=workspace,
                by=request.member,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Campaign {campaign.name} created.")
            return HttpResponseRedirect(reverse("campaigns:detail", args=[campaign.pk]))
    status = 400 if form.errors else 200
    return render(request, "campaigns/form.html", {"form": form, "campaign": None}, status=status)


@member_required(write=True)
def campaign_edit_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    campaign = campaign_get(workspace=workspace, campaign_id=campaign_id)
    form = CampaignForm(request.POST or None, initial=CampaignForm.initial_for(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            campaign_update(
                campaign=campaign,
                by=request.member,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            # the failed update may have set attributes on the instance; show the saved one
            campaign.refresh_from_db()
        else:
            messages.success(request, f"Campaign {campaign.name} saved.")
            return HttpResponseRedirect(reverse("campaigns:detail", args=[campaign.pk]))
    status = 400 if form.errors else 200
    return render(
        request, "campaigns/form.html", {"form": form, "campaign": campaign}, status=status
    )
