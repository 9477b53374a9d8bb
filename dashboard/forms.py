"""The dashboard's filter form (a GET form: every chart follows it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Sector

MONTH_FORMAT = "%Y-%m"


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format=MONTH_FORMAT)


class DashboardFilterForm(forms.Form):
    """Campaign, city or system, sector and the months of submission. `campaigns` and
    `areas` are what the viewer may choose from; any other value is an error on its field
    (and that filter is then left out), never a server error."""

    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    area = forms.ChoiceField(label=_("City or system"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    month_from = forms.DateField(
        label=_("Submitted from (month)"),
        required=False,
        input_formats=[MONTH_FORMAT],
        widget=MonthInput(),
        error_messages={"invalid": _("Enter a month as YYYY-MM, e.g. 2026-03.")},
    )
    month_to = forms.DateField(
        label=_("Submitted to (month)"),
        required=False,
        input_formats=[MONTH_FORMAT],
        widget=MonthInput(),
        error_messages={"invalid": _("Enter a month as YYYY-MM, e.g. 2026-03.")},
    )

    def __init__(self, *args, campaigns, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaigns = {str(c.pk): c for c in campaigns}
        self.areas = {str(a.pk): a for a in areas}
        self.fields["campaign"].choices = [
            ("", _("Current campaign")),
            *((k, str(c)) for k, c in self.campaigns.items()),
        ]
        self.fields["area"].choices = [("", _("All cities and systems")), *((k, a.name) for k, a in self.areas.items())]
        for name in ("campaign", "area", "sector"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        start, end = data.get("month_from"), data.get("month_to")
        if start and end and start > end:
            self.add_error("month_to", _("The last month cannot come before the first."))
        return data

    def valid_value(self, name):
        """The cleaned value of `name`, or its empty value when that field has an error."""
        if not self.is_bound or (not self.is_valid() and name in self.errors):
            return None
        return self.cleaned_data.get(name) or None
