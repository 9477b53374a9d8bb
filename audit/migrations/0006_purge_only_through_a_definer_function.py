"""PostgreSQL: records past their retention leave the log only through the database
function audit_purge_expired, never through a setting a session can change.

Migration 0004 let a DELETE through when the transaction had set `audit.purge` to 'on',
which any role with a DELETE grant could do. Now the trigger lets a DELETE through only
when it runs as the role `sfd_audit_purger` (NOLOGIN: nobody signs in as it), and the
one thing that runs as it is the function below, SECURITY DEFINER and owned by it:

    audit_purge_expired(up_to_id bigint, keep_days integer) RETURNS bigint

deletes the records up to `up_to_id` (a prefix of the chain), refuses a retention of
fewer than 180 days and refuses when any of those records is not older than `keep_days`
by the database's clock. EXECUTE is revoked from PUBLIC: the deployment grants it to the
application's role (README, "Deploying"). The migrating role makes `sfd_audit_purger`
when it is missing (it needs CREATEROLE for that, or the role made beforehand, as
`make prod` does) and must be a member of it to hand it the function.

SQLite (local development and tests): unchanged, DELETE is left to the application's
refusal (migration 0004).
"""

import importlib

from django.db import migrations

refusal = importlib.import_module("audit.migrations.0004_refuse_changes_in_the_database")

PURGER = "sfd_audit_purger"
MINIMUM_RETENTION_DAYS = 180

CREATE_PURGER = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PURGER}') THEN
        CREATE ROLE {PURGER} NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- made at the same moment by another database's migration
END
$$
"""
REFUSE = f"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_user = '{PURGER}' THEN
        RETURN OLD;
    END IF;
    -- No percent sign here: the statement goes through the driver's placeholder parsing.
    RAISE EXCEPTION USING
        MESSAGE = 'audit records cannot be changed or deleted: ' || TG_OP,
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
PURGE = f"""
CREATE OR REPLACE FUNCTION audit_purge_expired(up_to_id bigint, keep_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $$
DECLARE
    removed bigint;
BEGIN
    IF keep_days IS NULL OR keep_days < {MINIMUM_RETENTION_DAYS} THEN
        RAISE EXCEPTION USING
            MESSAGE = 'audit records are kept at least {MINIMUM_RETENTION_DAYS} days',
            ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (
        SELECT 1 FROM audit_auditrecord
        WHERE id <= up_to_id AND at >= now() - make_interval(days => keep_days)
    ) THEN
        RAISE EXCEPTION USING
            MESSAGE = 'only records past the retention are purged',
            ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM audit_auditrecord WHERE id <= up_to_id;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END;
$$
"""  # noqa: S608 (constants only; the schema comes quoted from PostgreSQL)
GRANTS = (
    f"GRANT USAGE ON SCHEMA {{schema}} TO {PURGER}",
    f"GRANT SELECT, DELETE ON audit_auditrecord TO {PURGER}",
    # A new owner needs CREATE on the schema at the moment it receives the function; it
    # keeps the function, not the right to create anything else.
    f"GRANT CREATE ON SCHEMA {{schema}} TO {PURGER}",
    f"ALTER FUNCTION audit_purge_expired(bigint, integer) OWNER TO {PURGER}",
    f"REVOKE CREATE ON SCHEMA {{schema}} FROM {PURGER}",
    "REVOKE ALL ON FUNCTION audit_purge_expired(bigint, integer) FROM PUBLIC",
)
DROP = (
    "DROP FUNCTION IF EXISTS audit_purge_expired(bigint, integer)",
    f"REVOKE ALL ON audit_auditrecord FROM {PURGER}",
)


def purge_through_the_function(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
    schema_editor.execute(CREATE_PURGER)
    schema_editor.execute(REFUSE)
    schema_editor.execute(PURGE.format(schema=schema))
    for statement in GRANTS:
        schema_editor.execute(statement.format(schema=schema))


def purge_through_the_setting(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement)
    schema_editor.execute(refusal.PG_CREATE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_record_key_id")]

    operations = [migrations.RunPython(purge_through_the_function, purge_through_the_setting)]
