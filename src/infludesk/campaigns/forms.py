"""Forms for campaign pages: the list filters and the create/edit form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from infludesk.campaigns.models import Campaign, CampaignStatus, CampaignType, Objective
from infludesk.core.listing import choices_with_any


class CampaignFilterForm(forms.Form):
    """The campaign list's filters; all optional, read from the query string."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or product"}),
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=choices_with_any(CampaignStatus.choices)
    )
    objective = forms.ChoiceField(
        label="Objective", required=False, choices=choices_with_any(Objective.choices)
    )
    type = forms.ChoiceField(
        label="Type", required=False, choices=choices_with_any(CampaignType.choices)
    )


class CampaignForm(forms.Form):
    """Create or edit a campaign. The checks here give field errors at once; the service
    checks again (it is also used by the API) and its errors are shown the same way."""

    name = forms.CharField(max_length=200)
    product = forms.CharField(max_length=200, required=False)
    objective = forms.ChoiceField(choices=Objective.choices)
    type = forms.ChoiceField(choices=CampaignType.choices, label="Type")
    status = forms.ChoiceField(choices=CampaignStatus.choices, initial=CampaignStatus.DRAFT)
    starts_on = forms.DateField(
        required=False, label="Starts on", widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        required=False, label="Ends on", widget=forms.DateInput(attrs={"type": "date"})
    )
    budget = forms.DecimalField(
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=0,
        error_messages={"min_value": "The budget cannot be negative."},
    )
    currency = forms.CharField(
        max_length=3, min_length=3, help_text="Three-letter ISO code, e.g. USD or EUR"
    )
    audience_notes = forms.CharField(
        required=False, label="Audience notes", widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_currency(self) -> str:
        value: str = self.cleaned_data["currency"].upper()
        if not value.isalpha():
            raise ValidationError("Use a three-letter currency code such as USD or EUR.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date.")
        return data

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict[str, Any]:
        return {name: getattr(campaign, name) for name in cls.base_fields}

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the matching fields (others on the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
