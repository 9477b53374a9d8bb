"""Each record names the key that sealed it (audit.chain). The records already in the
log were sealed with plain SHA-256: they get the key id "sha256", which verification
accepts only before the first keyed record. Filled by the column's one-off default,
which fires no row trigger.

SQLite adds the column by rebuilding the table, which drops the trigger of migration
0004: it is made again here.
"""

import importlib

from django.db import migrations, models

refusal = importlib.import_module("audit.migrations.0004_refuse_changes_in_the_database")


def restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(refusal.SQLITE_DROP)
        schema_editor.execute(refusal.SQLITE_CREATE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_refuse_changes_in_the_database")]

    operations = [
        # Undoing the column rebuilds the table too: the trigger is made again after it.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_trigger),
        migrations.AddField(
            model_name="auditrecord",
            name="key_id",
            field=models.CharField(blank=True, default="sha256", max_length=32, verbose_name="key id"),
            preserve_default=False,
        ),
        migrations.RunPython(restore_sqlite_trigger, migrations.RunPython.noop),
    ]
