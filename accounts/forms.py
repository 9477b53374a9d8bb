import copy

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.models import User
from accounts.password_validation import check_password_age
from core.concurrency import EditTokenMixin
from core.pii import MaskedNumbersFormMixin
from core.roles import Role
from organisations.models import Organisation, Sector, Status, region_code_validator
from security import captcha, limits
from security.forms import CaptchaFirstMixin, captcha_field
from security.models import SignInFailure


class LoginForm(AuthenticationForm):
    """The sign-in form, with the limits of security.limits: a client that a lock refuses
    is refused before its password is even checked; when its failures call for it, the
    characters of a picture must be typed as well (a wrong answer counts against the
    address or the known browser, never the account). A right password clears nothing:
    the view calls security.limits.sign_in_completed once every factor has passed."""

    error_messages = {
        "invalid_login": _("The user name or password is wrong. Both are case-sensitive."),
        "inactive": _("This account is disabled. Ask your association or the provincial office."),
        "pending": _(
            "Your unit's registration is awaiting approval by its association. You can sign in once it is approved."
        ),
        "refused": _("Your unit's registration was refused: %(reason)s"),
        **limits.LOCK_MESSAGES,
        "captcha_wrong": _("The characters do not match the picture. Type the characters of the new picture."),
    }
    captcha = forms.CharField(
        label=_("Characters in the picture"),
        max_length=12,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Type the characters shown in the picture.")},
        help_text=_("Letters are not case-sensitive."),
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Raw input, before the fields' own checks: a NUL byte would break PostgreSQL's query.
        username = str(self.data.get("username", "")) if self.is_bound else limits.remembered_username(request)
        self.client = limits.client_for(request, username)
        self.captcha_required = limits.captcha_required(self.client)
        if not self.captcha_required:
            del self.fields["captcha"]

    def _ask_for_captcha(self):
        # The form is shown again after a failure: with the picture from now on, if it needs one.
        if not self.captcha_required and limits.captcha_required(self.client):
            self.captcha_required = True
            self.fields["captcha"] = copy.deepcopy(self.base_fields["captcha"])

    def _lock_error(self, lock):
        code = limits.lock_code(lock)
        return forms.ValidationError(self.error_messages[code], code=code, params={"time": limits.lock_until(lock)})

    def _failed(self, reason):
        limits.remember_username(self.request, self.client.username)
        return limits.record_failure(self.client, reason=reason)

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data  # the missing field says so itself
        self.client = limits.with_username(self.client, self.request, username)
        lock = limits.active_lock(self.client)
        if lock is not None:
            limits.record_refusal(username=username, reason="locked")
            raise self._lock_error(lock)
        if self.captcha_required:
            answered = self.cleaned_data.get("captcha", "")
            if not captcha.check(self.request.session, answered) and answered:
                limits.record_refusal(username=username, reason="captcha")
                began = self._failed(SignInFailure.Reason.CAPTCHA)
                if began is not None:
                    raise self._lock_error(began)
                self.add_error("captcha", forms.ValidationError(self.error_messages["captcha_wrong"], code="captcha"))
            if "captcha" in self.errors or not answered:
                return self.cleaned_data
        try:
            super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                began = self._failed(SignInFailure.Reason.PASSWORD)
                if began is not None:
                    raise self._lock_error(began) from error
                self._ask_for_captcha()
            raise
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        status = user.organisation.status
        if status == Status.PENDING:
            raise forms.ValidationError(self.error_messages["pending"], code="pending")
        if status == Status.REFUSED:
            raise forms.ValidationError(
                self.error_messages["refused"], code="refused", params={"reason": user.organisation.refusal_reason}
            )


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."), code="password_mismatch")
        return second


class UnitRegistrationForm(CaptchaFirstMixin, PasswordPairMixin, forms.Form):
    """Anyone may send it: the characters of a picture come first, and nothing else is
    checked until they match (CaptchaFirstMixin; the view passes the session)."""

    unit_name = forms.CharField(label=_("Unit name"), max_length=200)
    association = forms.ModelChoiceField(
        label=_("Association"),
        queryset=Organisation.objects.none(),
        help_text=_("The city, county, industry system or provincial department your unit belongs to."),
        empty_label=_("Choose…"),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Choose…")), *Sector.choices])
    address = forms.CharField(label=_("Address"), max_length=255)
    region_code = forms.CharField(
        label=_("Region code"),
        max_length=6,
        validators=[region_code_validator],
        help_text=_("Six digits of GB/T 2260, e.g. 130102 for 长安区."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    email = forms.EmailField(label=_("E-mail"))
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    field_order = [
        "unit_name",
        "association",
        "sector",
        "address",
        "region_code",
        "contact_name",
        "contact_phone",
        "email",
        "username",
        "password1",
        "password2",
        "captcha",
    ]
    captcha = captcha_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = Organisation.objects.associations().active().order_by("path")


class UserForm(EditTokenMixin, MaskedNumbersFormMixin, forms.ModelForm):
    """An account's profile and role; its organisation comes from the page it is made on."""

    masked_numbers = ("phone",)
    edit_token_fields = ("display_name", "email", "phone", "role")  # what accounts.services.update_user writes

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "phone", "role"]

    def __init__(self, *args, actor, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        roles = permissions.roles_for(actor, organisation)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        if self.instance.pk:
            self.fields["username"].disabled = True


class NewUserForm(PasswordPairMixin, UserForm):
    pass


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("User name, name or organisation")
    )
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("active", _("Enabled")), ("disabled", _("Disabled"))],
    )


class OwnPasswordChangeForm(PasswordChangeForm):
    """A signed-in user changes its own password: the rules of AUTH_PASSWORD_VALIDATORS,
    and not sooner than settings.PASSWORD_MIN_AGE_HOURS after its last change unless the
    change is forced (accounts.password_validation.check_password_age); that refusal, with
    the time of the next possible change, stands next to the new password."""

    def clean_new_password1(self):
        check_password_age(self.user)
        return self.cleaned_data["new_password1"]
