from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditRecord
from core.roles import Role

TEXT = {"class": "form-control"}


class AuditFilterForm(forms.Form):
    """The audit administrator's search: who, what, on which object, with which result,
    when. Every field is optional; the same form checks an export's parameters again
    in the worker."""

    user = forms.CharField(
        label=_("User name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("The exact user name."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *Role.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("For example auth.login; end with a dot (auth.) for a whole group."),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("For example applications.application."),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64, widget=forms.TextInput(attrs=TEXT))
    object_text = forms.CharField(
        label=_("Object name contains"), required=False, max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("Any result")), *AuditRecord.Result.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", ValidationError(_("The end date is before the start date."), code="order"))
        for name, value in data.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, ValidationError(_("Remove the control characters."), code="control"))
        return data

    def params(self) -> dict:
        """The cleaned search as JSON (for an export job)."""
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }

    def filter(self, records):
        """`records` narrowed to the cleaned search."""
        data = self.cleaned_data
        if data.get("user"):
            records = records.filter(actor_name=data["user"])
        if data.get("role"):
            records = records.filter(actor_role=data["role"])
        action = data.get("action")
        if action:
            records = (
                records.filter(action__startswith=action) if action.endswith(".") else records.filter(action=action)
            )
        if data.get("object_type"):
            records = records.filter(object_type=data["object_type"])
        if data.get("object_id"):
            records = records.filter(object_id=data["object_id"])
        if data.get("object_text"):
            records = records.filter(object_repr__icontains=data["object_text"])
        if data.get("result"):
            records = records.filter(result=data["result"])
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            records = records.filter(at__gte=datetime.combine(data["date_from"], time.min, zone))
        if data.get("date_to"):
            records = records.filter(at__lt=datetime.combine(data["date_to"] + timedelta(days=1), time.min, zone))
        return records
