"""Account phones are kept encrypted (PIPL): the column becomes text holding the sealed
value, then the existing plain numbers are sealed in batches. One migration (not a
schema and a data migration) because the next number of this app is spoken for; the
data step is reversible and may be run again."""

from django.db import migrations

import core.crypto
from core.pii import seal_rows, unseal_rows


def seal_account_phones(apps, schema_editor):
    seal_rows(apps.get_model("accounts", "User"), "phone")


def open_account_phones(apps, schema_editor):
    unseal_rows(apps.get_model("accounts", "User"), "phone")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_add_password_change_rules"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=core.crypto.EncryptedCharField(blank=True, max_length=30, verbose_name="phone"),
        ),
        migrations.RunPython(seal_account_phones, open_account_phones),
    ]
