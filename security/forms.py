from django import forms
from django.utils.translation import gettext_lazy as _

from security.models import SignInThrottle


class LockFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=150, help_text=_("User name or address"))
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Accounts and addresses")), *SignInThrottle.Kind.choices]
    )


class SessionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=150, help_text=_("User name or name"))
