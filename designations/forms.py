from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DATE_WIDGET
from designations.models import DesignationStatus
from organisations.models import Organisation, Sector


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    doc_number = forms.CharField(
        label=_("Document number"), max_length=100, help_text=_("The 文号 of the announcement, e.g. 冀研字〔2026〕8号.")
    )
    issued_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    issuer = forms.CharField(label=_("Issuing body"), max_length=200)

    def __init__(self, *args, campaign=None, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": _("Decision on naming the humanistic-care and psychological-counselling demonstration sites"),
                "issued_on": timezone.localdate(),
                "issuer": campaign.issuer if campaign else "",
            },
        )
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasons"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The unit reads them; it may apply again in a later round."),
    )


class ScoredFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Unit name contains…"))
    area = forms.ModelChoiceField(
        label=_("City or system"), required=False, queryset=Organisation.objects.none(), empty_label=_("All areas")
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    meets = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=[("", _("Any recommendation")), ("yes", _("Meets the standard")), ("no", _("Does not meet it"))],
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class SiteFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Unit name contains…"))
    area = forms.ModelChoiceField(
        label=_("City or system"), required=False, queryset=Organisation.objects.none(), empty_label=_("All areas")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *DesignationStatus.choices]
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
