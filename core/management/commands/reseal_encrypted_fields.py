"""After a key rotation (a new key put first in FIELD_ENCRYPTION_KEYS), seal every
encrypted value again under the new key, so that the old key can then be removed.
Also seals values still plain. Safe to run again; runs in batches."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from audit.services import record_event
from core.crypto import EncryptedCharField
from core.pii import reseal_rows


def encrypted_fields():
    """(model, field name) of every EncryptedCharField of the project."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                yield model, field.name


class Command(BaseCommand):
    help = "Seal every encrypted field again under the first key of FIELD_ENCRYPTION_KEYS (after a key rotation)."

    def handle(self, *args, **options):
        counts = {}
        for model, name in encrypted_fields():
            label = f"{model._meta.label}.{name}"
            counts[label] = reseal_rows(model, name)
            self.stdout.write(f"{label}: {counts[label]}")
        with transaction.atomic():
            record_event(actor=None, action="crypto.reseal", details={"rows": counts})
