"""Start-up checks of the audit chain's keys and of the database account (core.checks
has the retention's)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# HMAC-SHA256 keys of fewer bytes than its output would be the weak point of the seal.
MINIMUM_KEY_BYTES = 32
KEY_ID_LENGTH = 32  # AuditRecord.key_id


@register()
def check_audit_keys(app_configs, **kwargs):
    """The current key must be configured, every id usable, and in production every key
    long enough (settings refuse to start without any key at all)."""
    from audit.chain import LEGACY_KEY_ID

    keys, current = settings.AUDIT_HMAC_KEYS, settings.AUDIT_HMAC_KEY_ID
    errors = []
    if current not in keys:
        errors.append(
            Error(f"AUDIT_HMAC_KEY_ID {current!r} is not among the keys of AUDIT_HMAC_KEYS.", id="audit.E002")
        )
    for key_id, key in keys.items():
        if not key_id or key_id == LEGACY_KEY_ID or len(key_id) > KEY_ID_LENGTH or ":" in key_id:
            errors.append(
                Error(
                    f"The audit key id {key_id!r} is not usable: 1 to {KEY_ID_LENGTH} characters, "
                    f"not {LEGACY_KEY_ID!r}.",
                    id="audit.E003",
                )
            )
        if settings.PRODUCTION and len(key) < MINIMUM_KEY_BYTES:
            errors.append(
                Error(
                    f"The audit key {key_id!r} has {len(key)} bytes: at least {MINIMUM_KEY_BYTES} random bytes.",
                    hint='Make one with: python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"',
                    id="audit.E004",
                )
            )
    return errors


@register(Tags.database, deploy=True)
def check_application_database_role(app_configs, databases=None, **kwargs):
    """In production the application must not connect to PostgreSQL as a superuser or as
    the owner of the audit table: either could disable the triggers that keep audit
    records unchanged (README, "Deploying": the owner runs the migrations). It reads the
    database, so it runs with `check --deploy --database default`, as the production
    start does."""
    if not settings.PRODUCTION or not databases:
        return []
    from django.db import DatabaseError, connections

    errors = []
    for alias in databases:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT r.rolsuper, r.rolbypassrls, pg_has_role(current_user, c.relowner, 'USAGE') "
                    "FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('audit_auditrecord') "
                    "WHERE r.rolname = current_user"
                )
                superuser, bypass, owner = cursor.fetchone()
        except DatabaseError:  # not reachable or not migrated: other checks say so
            continue
        if superuser or bypass or owner:
            errors.append(
                Error(
                    "The application connects to PostgreSQL as a superuser or as the owner of the audit "
                    "table, which can disable its triggers.",
                    hint='Connect as the application role of README "Deploying"; migrate as the owner role '
                    "(MIGRATION_DATABASE_URL).",
                    id="audit.E005",
                )
            )
    return errors
