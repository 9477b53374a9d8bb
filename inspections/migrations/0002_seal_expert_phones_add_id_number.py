"""Experts' phones are kept encrypted (PIPL) and experts get an optional ID-card number,
encrypted too (needed to pay the inspection fee): the phone column becomes text holding
the sealed value, then the existing plain numbers are sealed in batches (reversible, and
may be run again)."""

from django.db import migrations

import core.crypto
import core.pii
from core.pii import seal_rows, unseal_rows


def seal_expert_phones(apps, schema_editor):
    seal_rows(apps.get_model("inspections", "Inspector"), "phone")


def open_expert_phones(apps, schema_editor):
    unseal_rows(apps.get_model("inspections", "Inspector"), "phone")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_create_pool_inspection_and_scoresheet_models"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inspector",
            name="phone",
            field=core.crypto.EncryptedCharField(blank=True, max_length=20, verbose_name="phone"),
        ),
        migrations.AddField(
            model_name="inspector",
            name="id_number",
            field=core.crypto.EncryptedCharField(
                blank=True,
                help_text="18 characters, needed to pay the inspection fee. Stored encrypted and shown masked.",
                max_length=18,
                validators=[core.pii.validate_id_number],
                verbose_name="ID card number",
            ),
        ),
        migrations.RunPython(seal_expert_phones, open_expert_phones),
    ]
