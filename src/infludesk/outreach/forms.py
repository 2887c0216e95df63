from __future__ import annotations

from django import forms

from infludesk.outreach.models import EmailTemplate


class EmailTemplateForm(forms.ModelForm[EmailTemplate]):
    class Meta:
        model = EmailTemplate
        fields = ["name", "subject", "body", "follow_up_after_days"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}


class ComposeForm(forms.Form):
    subject = forms.CharField(max_length=300)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}))
    follow_up_after_days = forms.IntegerField(
        min_value=1, max_value=60, required=False, help_text="Remind after N days without reply."
    )


class ReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Reply text")
