"""Forms for creator pages."""

from __future__ import annotations

from typing import Any

from django import forms

from infludesk.core.listing import choices_with_any
from infludesk.creators.models import Platform, Tier


class CreatorFilterForm(forms.Form):
    """The creator list's filters; all optional, read from the query string."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or @handle"}),
    )
    platform = forms.ChoiceField(label="Platform", required=False, choices=[])
    tier = forms.ChoiceField(label="Tier", required=False, choices=[])
    country = forms.CharField(
        label="Country",
        required=False,
        max_length=2,
        min_length=2,
        widget=forms.TextInput(attrs={"placeholder": "US", "size": 3}),
        help_text="Two-letter ISO code",
    )
    followers_min = forms.IntegerField(label="Followers from", required=False, min_value=0)
    followers_max = forms.IntegerField(label="Followers up to", required=False, min_value=0)
    er_min = forms.DecimalField(
        label="ER at least (%)", required=False, min_value=0, max_digits=9, decimal_places=4
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = choices_with_any(Platform.choices)  # type: ignore[attr-defined]
        self.fields["tier"].choices = choices_with_any(Tier.choices)  # type: ignore[attr-defined]

    def clean_country(self) -> str:
        value: str = self.cleaned_data.get("country") or ""
        if value and not value.isalpha():
            raise forms.ValidationError("Use a two-letter country code such as US or DE.")
        return value.upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("followers_min"), data.get("followers_max")
        if low is not None and high is not None and high < low:
            self.add_error("followers_max", "Must be at least the 'followers from' value.")
        return data
