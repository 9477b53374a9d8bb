"""Forms of the yearly review. Shape only: who may do what, which fields a decision
needs and which sites a round asks are designations.services.review's rules."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DATE_WIDGET
from core.concurrency import EditTokenMixin
from designations.models import Outcome, ReportStatus
from materials.forms import FileHelpMixin, file_field

DEFAULT_DAYS_TO_REPORT = 30


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    opened_on = forms.DateField(
        label=_("Opened on"),
        widget=DATE_WIDGET,
        help_text=_("Sites named on or before the same day one year earlier are asked to report."),
    )
    deadline = forms.DateField(label=_("Reports due"), widget=DATE_WIDGET)
    instructions = forms.CharField(
        label=_("What the report should cover"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Every unit reads this with its report, and in the notification it receives."),
    )

    def __init__(self, *args, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault(
            "initial",
            {
                "title": _("Yearly review of the named sites, %(year)d") % {"year": today.year},
                "opened_on": today,
                "deadline": today + datetime.timedelta(days=DEFAULT_DAYS_TO_REPORT),
            },
        )
        super().__init__(*args, **kwargs)


class ReportFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Unit name contains…"))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ReportStatus.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("Any decision")), *Outcome.choices]
    )


class ReportForm(EditTokenMixin, forms.Form):
    text = forms.CharField(
        label=_("What the site did this year"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Activities, people served, changes in the team and the conditions; attach the materials below."),
    )


class ReportFileForm(FileHelpMixin, forms.Form):
    file = file_field()


class DecisionForm(forms.Form):
    """The province's decision. Revoking is offered only to those who may revoke; a
    forged choice is refused here and, again, by the service."""

    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    rectification = forms.CharField(
        label=_("What to rectify"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to keep the title with rectification."),
    )
    rectify_by = forms.DateField(
        label=_("Rectify by"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Required to keep the title with rectification."),
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The unit reads them. Required to revoke the title."),
    )
    doc_number = forms.CharField(
        label=_("Document number of the revocation"),
        required=False,
        max_length=100,
        help_text=_("Required to revoke the title, e.g. 冀研字〔2027〕3号."),
    )

    def __init__(self, *args, can_revoke: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_revoke:
            self.fields["outcome"].choices = [c for c in Outcome.choices if c[0] != Outcome.REVOKE]
            self.fields["reason"].help_text = _("The unit reads them.")
