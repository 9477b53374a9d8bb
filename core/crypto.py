"""Encryption at rest of personal numbers (PIPL) and of second-factor secrets.

Values are sealed with Fernet (AES-128-CBC with HMAC-SHA256) under the keys of
FIELD_ENCRYPTION_KEYS: the first key seals, every key opens, so a key is rotated by
putting a new one in front and re-saving rows at leisure. Locally the key is derived
from SECRET_KEY so that `make run` needs no set-up; production must set its own
(settings refuse to start without one).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "enc:"


def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        digest = hashlib.sha256(f"field-encryption:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    if value == "":
        return ""
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    """The plain text of a sealed value. Text written before the field was encrypted
    (no prefix) is returned as it is, so that a migration can seal rows in batches."""
    if not stored or not stored.startswith(PREFIX):
        return stored or ""
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ValueError("an encrypted value cannot be opened with the configured keys") from error


class EncryptedCharField(models.TextField):
    """A short text kept encrypted in the database and plain in Python.

    `max_length` limits the plain text (forms and full_clean check it); the column is
    unbounded text because the sealed value is about four times longer. Sealed values
    cannot be searched or compared in SQL: filter in Python, or keep a separate hash.
    """

    def __init__(self, *args, max_length=None, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)
        if max_length is not None:
            from django.core.validators import MaxLengthValidator

            self.validators.append(MaxLengthValidator(max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length is not None:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def to_python(self, value):
        return value if value is None or isinstance(value, str) else str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value is None else encrypt(value)

    def formfield(self, **kwargs):
        from django import forms

        defaults = {"max_length": self.plain_max_length, "widget": forms.TextInput}
        defaults.update(kwargs)
        return super().formfield(**defaults)
