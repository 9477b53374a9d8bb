"""Personal numbers (PIPL): which fields hold them, who may see one whole, how forms keep
them masked, how the ID-card number is checked, and how migrations seal existing rows.

A personal number is stored sealed (core.crypto.EncryptedCharField), shown masked
everywhere (templates: `{% load pii %}{% personal_number obj "phone" %}`), and shown
whole only through the "unmask" view (core.pii_views), which asks `can_unmask` and writes
one audit row "pii.unmask" each time. The table of who may unmask what is
docs/security.md, §Personal information; it is the PERSONAL_NUMBERS list below.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import CharField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from core.crypto import PREFIX, decrypt
from core.masking import mask_id_number, mask_phone
from core.roles import PROVINCE_ROLES, Role

PHONE, ID_NUMBER = "phone", "id_number"
MASKS = {PHONE: mask_phone, ID_NUMBER: mask_id_number}


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _province_or_own_area(user, organisation) -> bool:
    """The province; the association whose subtree holds `organisation`."""
    if user.role in PROVINCE_ROLES:
        return True
    return user.role == Role.ASSOCIATION and bool(user.organisation_id) and user.organisation.contains(organisation)


def may_unmask_account_phone(user, account) -> bool:
    """An account's own mobile: its owner, the province, the association of its area.
    IT roles manage accounts without reading their numbers."""
    return account.pk == user.pk or _province_or_own_area(user, account.organisation)


def may_unmask_organisation_phone(user, organisation) -> bool:
    """A unit's contact phone: the province, the association above it, the unit itself."""
    if user.role == Role.UNIT:
        return organisation.pk == user.organisation_id
    return _province_or_own_area(user, organisation)


def may_unmask_expert_phone(user, inspector) -> bool:
    """An expert's mobile: the provincial office, which plans inspections; the expert."""
    return user.role in PROVINCE_ROLES or (inspector.user_id is not None and inspector.user_id == user.pk)


def may_unmask_expert_id_number(user, inspector) -> bool:
    """An expert's ID-card number, needed only to pay the inspection fee (劳务费): the
    provincial administrator; the expert."""
    return user.role == Role.PROVINCE_ADMIN or (inspector.user_id is not None and inspector.user_id == user.pk)


@dataclass(frozen=True)
class PersonalNumber:
    key: str  # in the unmask URL
    model: str  # app_label.ModelName
    field: str
    kind: str  # PHONE or ID_NUMBER
    may_unmask: Callable

    def get_model(self):
        from django.apps import apps

        return apps.get_model(self.model)


PERSONAL_NUMBERS = (
    PersonalNumber("account-phone", "accounts.User", "phone", PHONE, may_unmask_account_phone),
    PersonalNumber(
        "organisation-phone", "organisations.Organisation", "contact_phone", PHONE, may_unmask_organisation_phone
    ),
    PersonalNumber("expert-phone", "inspections.Inspector", "phone", PHONE, may_unmask_expert_phone),
    PersonalNumber("expert-id-number", "inspections.Inspector", "id_number", ID_NUMBER, may_unmask_expert_id_number),
)
BY_KEY = {number.key: number for number in PERSONAL_NUMBERS}
BY_FIELD = {(number.model.lower(), number.field): number for number in PERSONAL_NUMBERS}


def personal_number_of(obj, field: str) -> PersonalNumber:
    """The entry of PERSONAL_NUMBERS for `obj`'s `field`; KeyError for any other field."""
    return BY_FIELD[(obj._meta.label_lower, field)]


def can_unmask(user, obj, field: str) -> bool:
    """May `user` see `obj`'s `field` whole? Scope (the model's visible_to) is checked by
    the view on top of this: the predicate alone never opens another area's object."""
    if not _signed_in(user):
        return False
    return personal_number_of(obj, field).may_unmask(user, obj)


def mask_for(obj, field: str) -> Callable | None:
    """The mask of `obj`'s `field` when it holds a personal number, else None."""
    number = BY_FIELD.get((obj._meta.label_lower, field))
    return MASKS[number.kind] if number else None


def masked(obj, field: str) -> str:
    number = personal_number_of(obj, field)
    return MASKS[number.kind](getattr(obj, field))


# GB 11643-1999: weights of the first 17 characters and the check character of the sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def normalise_id_number(value: str) -> str:
    """Without spaces, with a capital X: as people type "1301 0219...x"."""
    return "".join((value or "").split()).upper()


def validate_id_number(value: str) -> None:
    """An 18-character resident ID-card number (GB 11643-1999): 17 digits, a real birth
    date at characters 7 to 14, and the check character (a digit or X) that matches."""
    value = normalise_id_number(value)
    if len(value) != 18 or not value[:17].isascii() or not value[:17].isdigit() or value[17] not in "0123456789X":
        raise ValidationError(
            _("An ID-card number has 18 characters: 17 digits and a last digit or X."), code="id_number_format"
        )
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > datetime.date.today():
        raise ValidationError(
            _("Characters 7 to 14 of an ID-card number are a date of birth; this one is not a real date."),
            code="id_number_birth_date",
        )
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != value[17]:
        raise ValidationError(
            _("This ID-card number is mistyped: its last character does not match the others. Check it."),
            code="id_number_checksum",
        )


class MaskedNumbersFormMixin:
    """For a ModelForm that edits personal numbers: the inputs show the saved numbers
    masked (the form is no way round the audited unmask), and a masked value sent back
    unchanged keeps the saved number. Typing a new number replaces it; emptying the
    input removes it. `masked_numbers` names the fields."""

    masked_numbers: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return
        for name in self.masked_numbers:
            saved = getattr(instance, name) or ""
            if not saved or name not in self.fields:
                continue
            shown = masked(instance, name)
            self.initial[name] = shown
            self.fields[name].widget.attrs.setdefault("data-masked-number", "")
            key = self.add_prefix(name)
            if self.is_bound and self.data.get(key) == shown:
                self.data = self.data.copy()
                self.data[key] = saved
                self._masked_sent_back[key] = shown

    @property
    def _masked_sent_back(self) -> dict[str, str]:
        if not hasattr(self, "_masked_inputs"):
            self._masked_inputs = {}
        return self._masked_inputs

    def full_clean(self):
        super().full_clean()
        if self._errors:
            # The form goes back to the user: its inputs show the masked numbers again,
            # never the saved ones that validation needed.
            self.data = self.data.copy()
            for key, shown in self._masked_sent_back.items():
                self.data[key] = shown


# Migrations: seal the rows written before a field was encrypted, and open them again
# when the migration is reversed. They compare the stored text through a plain cast, as
# a lookup on the encrypted field itself would encrypt the value it compares with.
BATCH_SIZE = 500


def _stored(model, field: str):
    return model._default_manager.annotate(stored=Cast(field, output_field=CharField()))


def seal_rows(model, field: str, *, batch_size: int = BATCH_SIZE) -> int:
    """Encrypt every non-empty plain value of `model.field`, `batch_size` rows at a time;
    rows already sealed are left alone, so it may be run again. Returns the rows sealed."""
    sealed = 0
    while True:
        batch = list(
            _stored(model, field)
            .exclude(stored="")
            .exclude(stored__isnull=True)
            .exclude(stored__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", "stored")[:batch_size]
        )
        if not batch:
            return sealed
        for pk, plain in batch:
            model._default_manager.filter(pk=pk).update(**{field: plain})  # the field encrypts it
        sealed += len(batch)


def unseal_rows(model, field: str, *, batch_size: int = BATCH_SIZE) -> int:
    """The reverse of seal_rows: write every sealed value of `model.field` back plain."""
    opened = 0
    while True:
        batch = list(
            _stored(model, field)
            .filter(stored__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", "stored")[:batch_size]
        )
        if not batch:
            return opened
        for pk, stored in batch:
            # A CharField value is written as it is: the encrypted field would seal it again.
            model._default_manager.filter(pk=pk).update(**{field: Value(decrypt(stored), output_field=CharField())})
        opened += len(batch)


def reseal_rows(model, field: str, *, batch_size: int = BATCH_SIZE) -> int:
    """Seal every value of `model.field` again under the first key of
    FIELD_ENCRYPTION_KEYS (after a key rotation), plain rows included."""
    done = 0
    last = 0
    while True:
        batch = list(
            _stored(model, field)
            .exclude(stored="")
            .exclude(stored__isnull=True)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "stored")[:batch_size]
        )
        if not batch:
            return done
        for pk, stored in batch:
            model._default_manager.filter(pk=pk).update(**{field: decrypt(stored)})
        last = batch[-1][0]
        done += len(batch)
