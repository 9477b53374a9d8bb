"""Forms of the expert pool: shape only. Which account may be linked, which area fits and
what counts as a duplicate are inspections.services.pool's rules."""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from core.concurrency import EditTokenMixin
from core.pii import MaskedNumbersFormMixin, normalise_id_number, validate_id_number
from core.roles import Role
from inspections.models import Inspector
from inspections.services.pool import AREA_KINDS, POOL_FIELDS
from organisations.models import Kind, Organisation

mobile_validator = RegexValidator(r"^1\d{10}$", _("Enter a mobile number: 11 digits starting with 1."), code="mobile")
# How many organisations a conflict search names when the text is ambiguous.
SHOWN_MATCHES = 5
PROVINCIAL = "provincial"


def area_queryset():
    return Organisation.objects.filter(kind__in=AREA_KINDS).active().order_by("path")


def login_account_queryset(inspector: Inspector | None = None):
    """Enabled inspector accounts not linked to an entry, and the entry's own account."""
    free = Q(inspector_profile__isnull=True)
    if inspector is not None and inspector.user_id:
        free |= Q(pk=inspector.user_id)
    return User.objects.filter(free, role=Role.INSPECTOR, is_active=True).order_by("username")


class LoginAccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.username} · {obj.display_name}" if obj.display_name else obj.username


class InspectorForm(EditTokenMixin, MaskedNumbersFormMixin, forms.ModelForm):
    masked_numbers = ("phone", "id_number")
    edit_token_fields = (*POOL_FIELDS, "user")  # what services.pool.update_inspector checks

    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=11,
        validators=[mobile_validator],
        help_text=_("11 digits starting with 1. Lists show it masked."),
    )
    id_number = forms.CharField(
        label=_("ID card number"),
        required=False,
        # Room for the spaces people type between groups; the number itself has 18.
        max_length=24,
        help_text=_("18 characters, needed to pay the inspection fee. Stored encrypted and shown masked."),
    )

    class Meta:
        model = Inspector
        fields = ["name", "employer", "title", "area", "specialities", "phone", "id_number", "email", "user", "notes"]
        field_classes = {"user": LoginAccountChoiceField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = area_queryset()
        self.fields["area"].empty_label = _("Provincial level")
        self.fields["specialities"].help_text = _("e.g. 心理咨询、人文关怀")
        self.fields["user"].queryset = login_account_queryset(self.instance if self.instance.pk else None)
        self.fields["user"].empty_label = _("None")
        self.fields["user"].help_text = _(
            "Optional: the inspector account the expert signs in with to score. "
            "Only enabled inspector accounts not linked to another expert are offered."
        )

    def clean_phone(self):
        return self.cleaned_data["phone"].strip()

    def clean_id_number(self):
        value = normalise_id_number(self.cleaned_data["id_number"])
        if value:
            validate_id_number(value)
        return value


class LoginCreateForm(forms.Form):
    username = forms.CharField(
        label=_("User name of the new login"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only, e.g. zhangwei_expert."),
        error_messages={"required": _("Give the user name the expert will sign in with.")},
    )


def resolve_organisation(text: str) -> tuple[Organisation | None, list[Organisation]]:
    """The one organisation `text` names, and the candidates when it names several.

    An exact name wins over names that contain the text, and digits alone are the
    organisation's number. The province is never a candidate. Returns (organisation,
    []) when exactly one matches, (None, candidates) otherwise (an empty list: none)."""
    text = text.strip()
    candidates = Organisation.objects.exclude(kind=Kind.PROVINCE).select_related("parent")
    if text.isdigit():
        by_number = list(candidates.filter(pk=int(text)))
        if by_number:
            return by_number[0], []
    for lookup in ("name", "name__icontains"):
        matches = list(candidates.filter(**{lookup: text}).order_by("path")[: SHOWN_MATCHES + 1])
        if len(matches) == 1:
            return matches[0], []
        if matches:
            return None, matches
    return None, []


class ConflictForm(forms.Form):
    organisation = forms.CharField(
        label=_("Unit or association"),
        max_length=200,
        help_text=_(
            "Type its name (or a part of it) or its number; the expert never inspects it or anything below it."
        ),
    )
    reason = forms.CharField(
        label=pgettext_lazy("conflict", "Reason"),
        required=False,
        max_length=200,
        help_text=_("e.g. works there, a relative works there"),
    )

    def clean_organisation(self):
        text = self.cleaned_data["organisation"]
        organisation, candidates = resolve_organisation(text)
        if organisation is not None:
            return organisation
        if not candidates:
            raise forms.ValidationError(
                _("No organisation is called “%(text)s”. Check the name."), code="not_found", params={"text": text}
            )
        names = "、".join(
            f"{candidate.name}（{candidate.parent.name if candidate.parent else ''} · {candidate.pk}）"
            for candidate in candidates[:SHOWN_MATCHES]
        )
        raise forms.ValidationError(
            _("Several organisations match “%(text)s”: %(names)s. Be more precise, or type the number."),
            code="several",
            params={"text": text, "names": names},
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_("Filled in from the template: one expert per row, at most 5,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ImportConfirmForm(forms.Form):
    ALL, GOOD = "all", "good"

    token = forms.CharField(widget=forms.HiddenInput, max_length=32)
    mode = forms.ChoiceField(choices=[(ALL, ALL), (GOOD, GOOD)])
    # The number of good rows the user saw: a different count at confirmation means the
    # pool changed meanwhile, and the report is shown again.
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name or work unit"))
    area = forms.ChoiceField(label=_("City or system"), required=False)
    speciality = forms.CharField(label=_("Speciality"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("active", pgettext_lazy("expert pool", "In the pool")),
            ("inactive", pgettext_lazy("expert pool", "Out of the pool")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [
            ("", _("All cities and systems")),
            (PROVINCIAL, _("Provincial level")),
            *((str(pk), name) for pk, name in area_queryset().values_list("pk", "name")),
        ]
