"""Shape only: who may write and what the rules are belong to plans.services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.concurrency import EditTokenMixin, fingerprint_of
from organisations.models import Sector
from plans.models import Plan, PlanStep, StepStatus
from plans.services import COMMENT_MAX_LENGTH

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Enter a date such as 2026-06-30.")}


class PlanForm(EditTokenMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["goals", "content"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 4}),
            "content": forms.Textarea(attrs={"rows": 8}),
        }
        error_messages = {
            "goals": {"required": _("Write the goals of the plan.")},
            "content": {"required": _("Write what the unit will do.")},
        }


class StepForm(EditTokenMixin, forms.ModelForm):
    """A new step, or the fields of an existing one (StepEditForm adds its status)."""

    class Meta:
        model = PlanStep
        fields = ["title", "deadline", "owner", "description"]
        widgets = {"deadline": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "title": {"required": _("Say what the step is.")},
            "deadline": {"required": _("Give the date by which the step is to be done."), **DATE_ERRORS},
            "owner": {"required": _("Name the person responsible for the step.")},
        }
        help_texts = {"owner": _("The person who answers for this step, e.g. 王红（工会主席）.")}


class StepEditForm(StepForm):
    status = forms.ChoiceField(
        label=pgettext_lazy("plan step", "Status"),
        choices=StepStatus.choices,
        error_messages={"invalid_choice": _("Choose one of the statuses offered.")},
    )

    class Meta(StepForm.Meta):
        fields = ["title", "deadline", "owner", "description", "progress"]
        widgets = {**StepForm.Meta.widgets, "progress": forms.Textarea(attrs={"rows": 2})}

    field_order = ["title", "deadline", "owner", "description", "status", "progress"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["status"] = self.instance.status


class StepProgressForm(EditTokenMixin, forms.Form):
    """The inline form of one step's row: its status and a note on how far it is."""

    status = forms.ChoiceField(
        label=pgettext_lazy("plan step", "Status"),
        choices=StepStatus.choices,
        error_messages={"invalid_choice": _("Choose one of the statuses offered.")},
    )
    progress = forms.CharField(
        label=_("Progress note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
    )

    @classmethod
    def for_step(cls, step, data=None):
        """The form of `step`'s row; its prefix keeps the ids of the rows apart."""
        return cls(
            data,
            prefix=f"step-{step.pk}",
            initial={"status": step.status, "progress": step.progress},
            edit_token=fingerprint_of(step, ["status", "progress"]),
        )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the comment first.")},
        help_text=_("The unit reads your comment on its plan."),
    )


OVERDUE_CHOICES = [
    ("", _("With or without overdue steps")),
    ("yes", _("With overdue steps")),
    ("no", _("No overdue step")),
]


class PlanFilterForm(forms.Form):
    """The filters of the list of plans. `campaigns` and `associations` are the ones the
    viewer may see; a value outside them makes the form invalid (and the list unfiltered)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Unit name contains…"))
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    association = forms.ChoiceField(label=_("City or system"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    overdue = forms.ChoiceField(label=_("Overdue steps"), required=False, choices=OVERDUE_CHOICES)

    def __init__(self, *args, campaigns, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaigns = {str(c.pk): c for c in campaigns}
        self.associations = {str(a.pk): a for a in associations}
        self.fields["campaign"].choices = [
            ("", _("Current campaign")),
            *((k, str(c)) for k, c in self.campaigns.items()),
        ]
        self.fields["association"].choices = [
            ("", _("All cities and systems")),
            *((k, association_label(a)) for k, a in self.associations.items()),
        ]

    def chosen_campaign(self):
        if self.is_valid() and self.cleaned_data["campaign"]:
            return self.campaigns[self.cleaned_data["campaign"]]
        return None

    def chosen_association(self):
        if self.is_valid() and self.cleaned_data["association"]:
            return self.associations[self.cleaned_data["association"]]
        return None


def association_label(organisation) -> str:
    """A county is named with its city (长安区 exists in more than one place)."""
    parent = organisation.parent
    if parent is not None and parent.parent_id is not None:
        return f"{parent.name} · {organisation.name}"
    return organisation.name
