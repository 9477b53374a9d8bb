"""Organisations' contact phones are kept encrypted (PIPL): the column becomes text
holding the sealed value, then the existing plain numbers are sealed in batches
(reversible, and may be run again)."""

from django.db import migrations

import core.crypto
from core.pii import seal_rows, unseal_rows


def seal_contact_phones(apps, schema_editor):
    seal_rows(apps.get_model("organisations", "Organisation"), "contact_phone")


def open_contact_phones(apps, schema_editor):
    unseal_rows(apps.get_model("organisations", "Organisation"), "contact_phone")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_add_organisation_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="contact_phone",
            field=core.crypto.EncryptedCharField(blank=True, max_length=30, verbose_name="contact phone"),
        ),
        migrations.RunPython(seal_contact_phones, open_contact_phones),
    ]
