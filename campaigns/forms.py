"""Input shape for campaigns and standard versions. Rules that span several fields or
rows (threshold against the computed maximum, frozen versions) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignStatus, Indicator, StandardVersion
from core.concurrency import EditTokenMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(EditTokenMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "doc_number",
            "issuer",
            "start_date",
            "end_date",
            "status",
            "description",
            "review_limit_days",
            "recommendations_enabled",
            "team_size",
            "aggregation_method",
            "spread_limit",
            "registration_pattern",
            "certificate_pattern",
            "named_title",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class CampaignFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CampaignStatus.choices]
    )


class VersionSettingsForm(EditTokenMixin, forms.ModelForm):
    """The version's own fields; its edit token (campaigns.services.draft_token) covers the
    whole draft: these fields, every indicator and the veto items."""

    class Meta:
        model = StandardVersion
        fields = ["label", "threshold_total", "category_min_ratio", "notes"]
        widgets = {
            "threshold_total": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
            "category_min_ratio": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class IndicatorForm(forms.ModelForm):
    """One indicator of a draft; the page holds one per indicator, prefixed by its id."""

    class Meta:
        model = Indicator
        fields = ["text", "max_score", "guidance", "evidence"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "max_score": forms.NumberInput(attrs={"step": "0.5", "min": "0.5"}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }


class VetoItemForm(forms.Form):
    text = forms.CharField(
        label=_("Veto condition"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


VetoItemFormSet = forms.formset_factory(VetoItemForm, extra=1, can_delete=True, max_num=50, absolute_max=50)


def veto_texts(formset) -> list[str]:
    """The veto conditions a valid formset keeps, in page order: blank and deleted rows dropped."""
    return [
        form.cleaned_data["text"]
        for form in formset.forms
        if form.cleaned_data.get("text") and not form.cleaned_data.get("DELETE")
    ]
