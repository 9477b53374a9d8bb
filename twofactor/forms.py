import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import Role
from twofactor import selectors


class CodeForm(forms.Form):
    """A six-digit code of the authenticator app (the shape only: the service checks it)."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        help_text=_("The six digits your app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        code = "".join(unicodedata.normalize("NFKC", self.cleaned_data["code"]).split())
        if len(code) != 6 or not (code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Type the six digits your app shows."), code="shape")
        return code


class VerifyForm(forms.Form):
    """The second step of signing in: a code of the app or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=40,
        help_text=_("The six digits your app shows now. Lost your phone? Type one of your recovery codes instead."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if any(ord(ch) < 32 for ch in code):
            raise forms.ValidationError(_("This code is not right, or it has been used already."), code="shape")
        return code


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("For the audit log, e.g. “phone lost, identity checked by telephone”."),
    )


class SecondFactorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("User name or name"))
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (selectors.ENABLED, pgettext_lazy("two-factor status", "On")),
            (selectors.NOT_ENABLED, pgettext_lazy("two-factor status", "Off")),
            (selectors.MUST_ENROL, _("Must enrol again")),
        ],
    )
