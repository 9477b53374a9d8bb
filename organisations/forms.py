from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import EditTokenMixin
from core.pii import MaskedNumbersFormMixin
from organisations.models import Kind, Organisation, Sector, Status


class OrganisationForm(EditTokenMixin, MaskedNumbersFormMixin, forms.ModelForm):
    """Shape only; placement and permission rules are the services'."""

    masked_numbers = ("contact_phone",)

    class Meta:
        model = Organisation
        fields = ["name", "code", "kind", "sector", "address", "region_code", "contact_name", "contact_phone"]

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(value, label) for value, label in Kind.choices if value in kinds]
        self.fields["sector"].choices = [("", _("— none (not a unit) —")), *Sector.choices]
        self.fields["region_code"].help_text = _("Six digits of GB/T 2260, e.g. 130100 for 石家庄市.")


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name contains…"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices])


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Please give the reason for the refusal.")},
    )
