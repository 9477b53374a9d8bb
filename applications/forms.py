from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Decision, State
from core.concurrency import EditTokenMixin
from organisations.models import Organisation, Sector


class IndicatorForm(EditTokenMixin, forms.Form):
    """One row of the self-assessment; the score is parsed by the service (empty = not yet).
    Its edit token is applications.services.indicator_token of the row."""

    score = forms.CharField(label=_("Self-score"), required=False, max_length=8)
    account = forms.CharField(
        label=_("What the unit has done"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SubmitForm(forms.Form):
    confirm_below_threshold = forms.BooleanField(
        label=_("I know our self-score is below the naming threshold and want to apply anyway."), required=False
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to return or reject: the unit reads them."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in {Decision.RETURN, Decision.REJECT} and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give the reasons."))
        return data


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Unit name contains…"))
    area = forms.ModelChoiceField(
        label=_("City or system"), required=False, queryset=Organisation.objects.none(), empty_label=_("All areas")
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *State.choices])
    waiting = forms.ChoiceField(
        label=_("Waiting"),
        required=False,
        choices=[("", _("Any waiting time")), ("over", _("Over the time limit"))],
    )

    def __init__(self, *args, areas, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        if states is not None:
            self.fields["state"].choices = [("", _("Any state")), *[(s.value, s.label) for s in states]]
