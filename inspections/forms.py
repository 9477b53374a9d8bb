from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DATE_WIDGET
from core.concurrency import EditTokenMixin
from core.forms import ModelMultipleChoiceField
from inspections.models import InspectionStatus, Inspector
from organisations.models import Organisation


class InspectionForm(EditTokenMixin, forms.Form):
    """The visit and, for a hand-chosen team, its members. Which inspectors may inspect the
    unit is the service's rule: the fields accept the whole active pool, so that a
    forged choice reaches the rule and is refused with its reason."""

    visit_date = forms.DateField(label=_("Date of the visit"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=200, help_text=_("Where the team meets the unit."))
    notes = forms.CharField(
        label=_("Notes for the team"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    leader = forms.ModelChoiceField(label=_("Team leader"), required=False, queryset=Inspector.objects.none())
    members = ModelMultipleChoiceField(
        label=_("Members"), required=False, queryset=Inspector.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pool = Inspector.objects.filter(is_active=True).select_related("user__organisation", "area")
        self.fields["leader"].queryset = pool
        self.fields["members"].queryset = pool


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class InspectionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Unit name contains…"))
    area = forms.ModelChoiceField(
        label=_("City or system"), required=False, queryset=Organisation.objects.none(), empty_label=_("All areas")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Waiting for a team")), *InspectionStatus.choices],
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class ScoreForm(EditTokenMixin, forms.Form):
    """One indicator of a scoresheet; the score is parsed and checked by the service.
    Its edit token is inspections.services.scoring.score_token of the row."""

    score = forms.CharField(label=_("Score"), required=False, max_length=8)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VetoForm(EditTokenMixin, forms.Form):
    vetoes = forms.MultipleChoiceField(label=_("Veto items found"), required=False, choices=())
    veto_note = forms.CharField(
        label=_("What the veto rests on"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vetoes"].choices = [(str(item.pk), item.text) for item in items]


class PhotoForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    photo = forms.FileField(label=_("Photo taken on site"))


class VisitDateForm(forms.Form):
    visit_date = forms.DateField(
        label=_("Day the visit took place"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the day of the visit."), "invalid": _("Enter a date, e.g. 2026-12-01.")},
    )
    reason = forms.CharField(
        label=_("Why the visit took place on another day"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please give the reasons.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
