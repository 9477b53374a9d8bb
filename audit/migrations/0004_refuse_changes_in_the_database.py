"""Below the ORM, the database itself refuses to change or delete audit records.

PostgreSQL: a trigger refuses every UPDATE, and every DELETE except inside a transaction
that has set `audit.purge` to 'on' (SET LOCAL, done only by audit.retention's purge of
records past their retention). TRUNCATE fires no row trigger; it is what Django's test
flush uses, and only the database owner may issue it.

SQLite (local development and tests only; production refuses it): a trigger refuses
every UPDATE. DELETE is left to the application's refusal, because Django empties a
SQLite test database with DELETE statements (documented deviation).
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('audit.purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    -- No percent sign here: the statement goes through the driver's placeholder parsing.
    RAISE EXCEPTION USING
        MESSAGE = 'audit records cannot be changed or deleted: ' || TG_OP,
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
PG_TRIGGER = """
CREATE TRIGGER audit_record_refuse_change BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
"""
PG_DROP = (
    "DROP TRIGGER IF EXISTS audit_record_refuse_change ON audit_auditrecord",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
)
SQLITE_CREATE = """
CREATE TRIGGER audit_record_refuse_update BEFORE UPDATE ON audit_auditrecord
BEGIN
    SELECT RAISE(ABORT, 'audit records cannot be changed');
END
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_record_refuse_update;"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
        schema_editor.execute(PG_TRIGGER)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in PG_DROP:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_seal_existing_records")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
