"""Shape only: who may write and the rules belong to reports.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import EditTokenMixin
from organisations.models import Sector
from reports import selectors
from reports.labels import state_label
from reports.models import ProgressReport, ReportingSchedule
from reports.services import COMMENT_MAX_LENGTH, MESSAGE_MAX_LENGTH

SHOW_LABELS = {
    selectors.SHOW_ALL: _("All units"),
    selectors.SHOW_WITH_PLAN: _("With a creation plan"),
    selectors.SHOW_WITHOUT_PLAN: _("Without a creation plan"),
    selectors.SHOW_OVERDUE: _("With overdue steps"),
    selectors.SHOW_NOT_STARTED: _("Not started"),
    selectors.SHOW_APPLIED: _("Applied"),
    selectors.SHOW_NAMED: _("Named sites"),
}


class AssociationSearchForm(forms.Form):
    """The search of the province's list of workspaces. A form rather than the raw
    parameter: its field refuses what the database cannot compare (a NUL character)."""

    q = forms.CharField(required=False, max_length=100)

    def query(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


class UnitFilterForm(forms.Form):
    """The filters of the list behind the workspace's numbers; a value outside the
    choices makes the form invalid and the list unfiltered."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Unit name contains…"))
    show = forms.ChoiceField(label=_("Show"), required=False, choices=list(SHOW_LABELS.items()))
    state = forms.ChoiceField(
        label=_("Application state"),
        required=False,
        choices=[("", _("Any application state")), *((str(s), state_label(s)) for s in selectors.COUNTED_STATES)],
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])

    def filters(self) -> selectors.UnitFilters:
        if not self.is_valid():
            return selectors.UnitFilters()
        data = self.cleaned_data
        return selectors.UnitFilters(
            show=data["show"] or selectors.SHOW_ALL, state=data["state"], query=data["q"].strip(), sector=data["sector"]
        )


class RemindForm(forms.Form):
    """The units chosen on the list, and on the confirmation page the message."""

    units = forms.TypedMultipleChoiceField(
        label=_("Units"),
        coerce=int,
        error_messages={
            "required": _("Choose at least one unit that is behind."),
            "invalid_choice": _("Choose units from the list."),
        },
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what you ask of the units. They receive it in the platform and by e-mail."),
    )

    def __init__(self, *args, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(unit.pk, unit.name) for unit in offered]


class ScheduleForm(EditTokenMixin, forms.ModelForm):
    starts_on = forms.DateField(
        label=_("Reporting starts"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("The first month reported on, e.g. 2026-12. Nothing before it is due or late."),
        error_messages={
            "required": _("Choose the first month reported on."),
            "invalid": _("Enter a month as year-month, e.g. 2026-12."),
        },
    )

    class Meta:
        model = ReportingSchedule
        fields = ["starts_on", "frequency", "grace_days"]
        error_messages = {
            "frequency": {"invalid_choice": _("Choose monthly, quarterly or half-yearly.")},
            "grace_days": {
                "required": _("Give the number of days allowed."),
                "invalid": _("Enter a whole number of days, e.g. 10."),
            },
        }


class ReportForm(EditTokenMixin, forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["narrative", "practices", "problems"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "practices": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "narrative": {"required": _("Describe the progress of the work.")},
        }
        help_texts = {
            "narrative": _("What your area did in this period: guidance, visits, training, results."),
            "practices": _("Practices of your units worth spreading."),
            "problems": _("What holds the work back, and what you will do next."),
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the comment first.")},
        help_text=_("The association reads your comment on its report."),
    )


class PeriodFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Search"), help_text=_("Association name contains…"))
    status = forms.ChoiceField(
        label=_("Report"),
        required=False,
        choices=[
            ("", _("Every association")),
            ("submitted", _("Reported")),
            ("missing", _("Not reported")),
            ("late", _("Late")),
        ],
    )
