from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from security import captcha
from security.models import SignInThrottle

CAPTCHA_WRONG = _("The characters do not match the picture. Type the characters of the new picture.")


class LockFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=150, help_text=_("User name or address"))
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Accounts and addresses")), *SignInThrottle.Kind.choices]
    )


class SessionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=150, help_text=_("User name or name"))


class FreshTextInput(forms.TextInput):
    """A text box that is empty each time the form is shown again: a picture answers
    once, so an answer typed for the last one is of no use."""

    def format_value(self, value):
        return None


def captcha_field() -> forms.CharField:
    """The box for the characters of the picture drawn by security.views.captcha, worded
    as on the sign-in form (templates: security/captcha_field.html)."""
    return forms.CharField(
        label=_("Characters in the picture"),
        max_length=12,
        strip=True,
        widget=FreshTextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Type the characters shown in the picture.")},
        help_text=_("Letters are not case-sensitive."),
    )


class CaptchaFirstMixin:
    """For a form with a `captcha_field()` named "captcha" that anyone may send: the
    answer is checked before anything else, against the picture of the `session` given
    to the form, which answers once, right or wrong (security.captcha.check). A missing or
    wrong answer is then the form's only error and no other field is looked at, so that
    nothing the form or the service behind it would tell about stored data (whether a
    user name is taken) reaches anyone who has not read a picture, and each such answer
    costs one picture."""

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def full_clean(self):
        if self.is_bound and not self._captcha_solved():
            return
        super().full_clean()

    def _captcha_solved(self) -> bool:
        answer = str(self.data.get(self.add_prefix("captcha"), "")).strip()
        if captcha.check(self.session, answer):
            return True
        self._errors, self.cleaned_data = ErrorDict(renderer=self.renderer), {}
        if answer:
            error = forms.ValidationError(CAPTCHA_WRONG, code="captcha")
        else:
            error = forms.ValidationError(self.fields["captcha"].error_messages["required"], code="required")
        self.add_error("captcha", error)
        return False
