"""The phones of the contact page's people are kept encrypted (they may be mobiles):
the column becomes text holding the sealed value, then the existing plain numbers are
sealed in batches (reversible, and may be run again). The office's own line
(ContactInfo.phone) is not a person's number and stays plain."""

from django.db import migrations

import core.crypto
from core.pii import seal_rows, unseal_rows


def seal_contact_person_phones(apps, schema_editor):
    seal_rows(apps.get_model("notices", "ContactPerson"), "phone")


def open_contact_person_phones(apps, schema_editor):
    unseal_rows(apps.get_model("notices", "ContactPerson"), "phone")


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contactperson",
            name="phone",
            field=core.crypto.EncryptedCharField(
                blank=True,
                help_text="Shown to everyone on the public contact page: give an office line rather than a private mobile.",
                max_length=50,
                verbose_name="phone",
            ),
        ),
        migrations.RunPython(seal_contact_person_phones, open_contact_person_phones),
    ]
