from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import State
from applications.selectors import areas_for
from campaigns.models import Campaign
from core.roles import PROVINCE_ROLES
from designations.models import DesignationStatus
from exports.tables import TABLES, Filters
from organisations.models import Organisation, Sector


class ExportForm(forms.Form):
    """What to export and which rows: the table and its filters. The choices of campaign
    and area are those of the user's scope, so that a key from elsewhere is refused as
    an invalid choice; the same form checks the parameters again in the worker."""

    table = forms.ChoiceField(label=_("Table"), choices=[(key, t.label) for key, t in TABLES.items()])
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.none(), empty_label=_("All campaigns")
    )
    area = forms.ModelChoiceField(
        label=_("City or system"), required=False, queryset=Organisation.objects.none(), empty_label=_("All areas")
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    state = forms.ChoiceField(
        label=_("Application state"),
        required=False,
        choices=[("", _("Any state")), *State.choices],
        help_text=_("For applications and scores only."),
    )
    site_status = forms.ChoiceField(
        label=_("Named site status"),
        required=False,
        choices=[("", _("Any state")), *DesignationStatus.choices],
        help_text=_("For named sites only."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).order_by("-start_date", "-pk")
        if user.role in PROVINCE_ROLES:
            self.fields["area"].queryset = areas_for(user)
        else:
            # An association exports its own subtree: there is no other area to choose.
            del self.fields["area"]

    def clean(self):
        data = super().clean()
        table = TABLES.get(data.get("table"))
        if table is None:
            return data
        if data.get("campaign") and not table.uses_campaign:
            self.add_error("campaign", _("Units do not belong to a campaign: leave the campaign empty."))
        if data.get("state") and not table.uses_state:
            self.add_error("state", _("Only applications and scores have an application state: leave it empty."))
        if data.get("sector") and not table.uses_sector:
            self.add_error("sector", _("Progress reports are filed by associations, not by sector: leave it empty."))
        if data.get("site_status") and not table.uses_site_status:
            self.add_error("site_status", _("Only named sites have this status: leave it empty."))
        return data

    def params(self) -> dict:
        """The cleaned choice as JSON for the job (keys, not objects)."""
        data = self.cleaned_data
        area = data.get("area")
        return {
            "table": data["table"],
            "campaign": data["campaign"].pk if data.get("campaign") else None,
            "area": area.pk if area else None,
            "sector": data.get("sector") or "",
            "state": data.get("state") or "",
            "site_status": data.get("site_status") or "",
        }

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            campaign=data.get("campaign"),
            area=data.get("area"),
            sector=data.get("sector") or "",
            state=data.get("state") or "",
            site_status=data.get("site_status") or "",
        )


def form_from_params(params: dict, *, user) -> ExportForm:
    """The form bound to a job's parameters, checked against `user`'s scope now."""
    data = {key: "" if params.get(key) is None else str(params.get(key)) for key in ExportForm.base_fields}
    return ExportForm(data, user=user)
