from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def check_production_secret_key(app_configs, **kwargs):
    """A production start with the public demo key would let anyone forge sessions."""
    if settings.PRODUCTION and ("insecure" in settings.SECRET_KEY or len(set(settings.SECRET_KEY)) < 5):
        return [Error("SECRET_KEY is the demo key or too weak.", id="core.E001")]
    return []


@register()
def check_database_in_production(app_configs, **kwargs):
    if settings.PRODUCTION and settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        return [Error("Production runs on PostgreSQL: set DATABASE_URL to a postgres:// URL.", id="core.E002")]
    return []


@register()
def check_platform_url(app_configs, **kwargs):
    """Certificates carry a QR code of the public verification page: a phone can open it
    only if PLATFORM_URL is an absolute address."""
    if settings.PRODUCTION and not settings.PLATFORM_URL.startswith(("https://", "http://")):
        return [Error("PLATFORM_URL must be the platform's absolute public address (https://…).", id="core.E003")]
    return []


@register()
def check_audit_retention(app_configs, **kwargs):
    """Audit records are kept at least 180 days (等保 2.0 level 3); a shorter retention
    would let `purge_audit` delete what must be kept."""
    from audit.retention import MINIMUM_RETENTION_DAYS

    days = settings.AUDIT_RETENTION_DAYS
    if not isinstance(days, int) or days < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS is {days!r}: audit records are kept at least {MINIMUM_RETENTION_DAYS} days.",
                id="audit.E001",
            )
        ]
    return []
