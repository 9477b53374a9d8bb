from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.models import User
from accounts.roles import Role
from organisations.models import Organisation, Sector, Status, region_code_validator


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is wrong. Both are case-sensitive."),
        "inactive": _("This account is disabled. Ask your association or the provincial office."),
        "pending": _(
            "Your unit's registration is awaiting approval by its association. You can sign in once it is approved."
        ),
        "refused": _("Your unit's registration was refused: %(reason)s"),
    }

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


class UnitRegistrationForm(PasswordPairMixin, forms.Form):
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
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = Organisation.objects.associations().active().order_by("path")


class UserForm(forms.ModelForm):
    """An account's profile and role; its organisation comes from the page it is made on."""

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
