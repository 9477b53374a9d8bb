"""Concurrent edits of one record never silently overwrite each other.

An edit form carries, in a hidden field, a fingerprint of the values of the fields it
edits as they were when the form was shown (`edit_token`). The service that saves the
form locks the row (`select_for_update`), recomputes the fingerprint from the row as it
is now and, when the two differ, refuses the save with `EditConflict` instead of writing
over what somebody else saved in the meantime. The form is shown again with the user's
typed values, the saved values next to them and the new fingerprint, so that a second
save after merging goes through.

A fingerprint rather than a version column: no migration, and a change to a field the
form does not edit (a state, a counter) does not refuse the save. A save that would write
exactly what the row already holds is no overwrite and goes through whatever its token.
Services take `edit_token=None` from callers that are not forms (imports, commands,
and a request that does not carry the hidden field at all): None means "no check". Every
page the platform serves carries the field, and an offline draft replayed later carries
the token it was typed against, so it is refused like any other stale save.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

TOKEN_FIELD = "edit_token"


def _text(value) -> str:
    """One value as the fingerprint reads it: the same text whether it comes from the row
    or from a form's cleaned data (a related object as its key, 5 and 5.0 alike)."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (models.QuerySet, list, tuple, set, frozenset)):
        return ",".join(sorted(_text(item) for item in value))
    return str(value)


def _model_field(obj, name):
    """The model field `name` of `obj` (a model or an instance), not a reverse relation
    (a form field may share a reverse relation's name: a notice's "attachments")."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return None if field.auto_created and not field.concrete else field


def values_of(obj, names: Iterable[str]) -> dict:
    """The current values of `names` on `obj`, related objects by key (no query for a
    foreign key; one for a many-to-many)."""
    values = {}
    for name in names:
        field = _model_field(obj, name)
        if field is not None and field.many_to_many:
            values[name] = list(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field is not None and field.is_relation:
            values[name] = getattr(obj, field.attname)
        else:
            values[name] = getattr(obj, name)
    return values


def fingerprint(values: Mapping) -> str:
    """A short digest of `values` ({name: value}); equal values give equal digests."""
    text = json.dumps(sorted((name, _text(value)) for name, value in values.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def fingerprint_of(obj, names: Iterable[str]) -> str:
    return fingerprint(values_of(obj, names))


def _display(obj, name: str) -> str:
    """A saved value as a person reads it: a choice by its label, a related object by name."""
    from core import pii  # pii imports accounts: read it only when needed

    field = _model_field(obj, name)
    if field is None:
        return _text(getattr(obj, name))
    if (obj._meta.label_lower, name) in pii.BY_FIELD:
        # A personal number is shown masked here as everywhere (the unmask view is audited).
        return pii.masked(obj, name) if getattr(obj, name) else ""
    if field.many_to_many:
        return "、".join(str(item) for item in getattr(obj, name).all()) if obj.pk else ""
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if field.is_relation:
        related = getattr(obj, name)
        return "" if related is None else str(related)
    return _text(getattr(obj, name))


def last_change(obj) -> tuple[str, datetime | None]:
    """Who last changed `obj` and when, from the audit log, else from an `updated_at` field."""
    from audit.models import AuditRecord  # audit imports core: read it only when needed

    record = (
        AuditRecord.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-at", "-pk")
        .only("actor_name", "at")
        .first()
    )
    updated_at = getattr(obj, "updated_at", None)
    if record is not None and (updated_at is None or record.at >= updated_at):
        return record.actor_name, record.at
    return "", updated_at if isinstance(updated_at, datetime) else None


class EditConflict(ValidationError):
    """The row changed since the form was shown. Carries the row's current fingerprint
    (`token`) and its saved values (`current`: [(name, text)]) for the form to show."""

    def __init__(self, message, *, token: str, current: list[tuple[str, str]], params=None):
        super().__init__(message, code="edit_conflict", params=params)
        self.token = token
        self.current = current


def conflict_message(who: str, when: datetime | None) -> tuple[str, dict]:
    if who and when:
        text = _(
            "This record was changed by %(user)s at %(time)s while you were editing it. What you typed is "
            "kept below: compare it with the saved version shown here and save again."
        )
    elif when:
        text = _(
            "This record was changed by someone else at %(time)s while you were editing it. What you typed "
            "is kept below: compare it with the saved version shown here and save again."
        )
    else:
        text = _(
            "This record was changed by someone else while you were editing it. What you typed is kept "
            "below: compare it with the saved version shown here and save again."
        )
    time = timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else ""
    return text, {"user": who, "time": time}


def check_unchanged(obj, *, token: str | None, values: Mapping, names: Iterable[str] | None = None, history=None):
    """Refuse, with EditConflict, a save of `values` onto `obj` when the fields `names`
    (default: the keys of `values`) no longer hold what the form was shown with (`token`).
    Call it on the row locked with select_for_update, before changing it. `history` is the
    object whose audit trail says who changed it (default `obj`). None as `token` checks
    nothing (a caller that is not a form)."""
    if token is None:
        return
    names = list(names if names is not None else values.keys())
    check_values(
        token=token,
        current=values_of(obj, names),
        new={name: values[name] for name in names if name in values},
        history=history if history is not None else obj,
        display=lambda name: _display(obj, name),
    )


def check_values(*, token: str | None, current: Mapping, new: Mapping, history, display=None, label=None) -> None:
    """check_unchanged() for a form that edits more than one row (a standard's draft with
    its indicators): `current` and `new` map the same keys to the saved and the submitted
    values. The saved values shown are those that differ from the submitted ones, named
    by `label(key)` when given (keys stay language-independent: the token hashes them)."""
    if token is None:
        return
    current_token = fingerprint(current)
    if token == current_token:
        return
    if set(new) == set(current) and fingerprint(new) == current_token:
        return  # the save writes what is already there: nothing of anybody's is lost
    who, when = last_change(history)
    message, params = conflict_message(who, when)
    shown = [
        (label(name) if label else name, display(name) if display else _text(value))
        for name, value in current.items()
        if name not in new or _text(new[name]) != _text(value)
    ]
    raise EditConflict(message, params=params, token=current_token, current=shown)


class EditTokenMixin:
    """For a form that edits an existing record: adds the hidden `edit_token` field. A
    ModelForm computes it from its instance over its own model fields (or
    `edit_token_fields`); any form may be given `edit_token=` instead. A form without
    either (a creation form) has no such field."""

    edit_token_fields: tuple[str, ...] | None = None

    def __init__(self, *args, edit_token: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_conflict = None
        instance = getattr(self, "instance", None)
        if edit_token is None and instance is not None and instance.pk:
            edit_token = fingerprint_of(instance, self.edit_token_names())
        if edit_token is not None:
            self.fields[TOKEN_FIELD] = forms.CharField(
                # Absent or empty (a script posting the fields alone): None, no check.
                widget=forms.HiddenInput,
                required=False,
                max_length=64,
                initial=edit_token,
                empty_value=None,
            )

    def edit_token_names(self) -> list[str]:
        if self.edit_token_fields is not None:
            return list(self.edit_token_fields)
        model = self._meta.model
        return [name for name in self.fields if name != TOKEN_FIELD and _model_field(model, name) is not None]

    def set_edit_token(self, token: str) -> None:
        """The token the form carries from now on (a row saved by autosave moves on)."""
        if self.is_bound and TOKEN_FIELD in self.fields:
            data = self.data.copy()
            data[self.add_prefix(TOKEN_FIELD)] = token
            self.data = data

    def show_edit_conflict(self, error: EditConflict) -> None:
        """Carry the row's current fingerprint in the re-shown form (the user's typed values
        stay) and list the saved values for the template to show next to them."""
        self.set_edit_token(error.token)
        self.edit_conflict = [
            (self.fields[name].label if name in self.fields else name, text) for name, text in error.current
        ]


class AdminEditTokenForm(forms.ModelForm):
    """The same guard for the change forms of the platform's Django admin (users and
    organisations, for the system administrator): the token is a declared hidden field,
    and the check runs in clean(), on the row locked inside the admin's transaction, so
    that a refusal is shown at the top of the form with the typed values kept."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial[TOKEN_FIELD] = fingerprint_of(self.instance, self._token_names())

    def _token_names(self) -> list[str]:
        model = self._meta.model
        return [
            name
            for name, field in self.fields.items()
            if name != TOKEN_FIELD and not field.disabled and _model_field(model, name) is not None
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            names = self._token_names()
            locked = type(self.instance)._default_manager.select_for_update().get(pk=self.instance.pk)
            try:
                check_unchanged(
                    locked,
                    token=cleaned.get(TOKEN_FIELD),
                    values={name: cleaned[name] for name in names if name in cleaned},
                    names=names,
                )
            except EditConflict as error:
                data = self.data.copy()
                data[self.add_prefix(TOKEN_FIELD)] = error.token
                self.data = data
                raise
        return cleaned


class ConcurrentEditAdminMixin:
    """For a ModelAdmin: its change form carries and checks the edit token."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(f"EditToken{base.__name__}", (AdminEditTokenForm, base), {})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or any(TOKEN_FIELD in (options.get("fields") or ()) for _name, options in fieldsets):
            return fieldsets
        return [*fieldsets, (None, {"fields": (TOKEN_FIELD,)})]
