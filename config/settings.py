"""Every setting comes from the environment, read here and nowhere else.

The defaults are the local set-up of `make run`: SQLite under var/, files on local
disk, DEBUG on. With APP_ENV=production nothing insecure has a default: a missing
SECRET_KEY or DATABASE_URL stops the start-up, and system checks refuse bad values.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when APP_ENV=production")
    return value


APP_ENV = os.environ.get("APP_ENV", "local")
if APP_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("APP_ENV must be 'local' or 'production'")
PRODUCTION = APP_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
# The local key is public on purpose: it only ever signs demo sessions on a laptop.
SECRET_KEY = (
    env_required("SECRET_KEY")
    if PRODUCTION
    else os.environ.get("SECRET_KEY", "local-insecure-demo-key-never-use-in-production")
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "core",
    "audit",
    "organisations",
    "accounts",
    "campaigns",
    "notices",
    "notifications",
    "plans",
    "materials",
    "applications",
    "inspections",
    "designations",
    "showcase",
    "jobs",
    "reports",
    "dashboard",
    "imports",
    "exports",
    "security",
    "twofactor",
    "backups",
    "workdays",
    "home",
    "demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the sessions: a session that cannot be loaded or saved is a 503 page too.
    "core.middleware.DatabaseUnavailableMiddleware",
    # Outside the sessions, to see the cookie set at sign-in.
    "core.middleware.PrivateCacheMiddleware",
    # Before everything that may write an audit row, so that every row knows the address.
    "core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.middleware.SessionLimitsMiddleware",
    "twofactor.middleware.SecondFactorRequiredMiddleware",
    "security.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.platform",
            ],
        },
    },
]

_default_db = "" if PRODUCTION else f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_required("DATABASE_URL") if PRODUCTION else os.environ.get("DATABASE_URL") or _default_db,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; busy timeout waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests get a file of their own rather than an in-memory database: a background worker
    # beside a browser test's live server writes while the server reads, which SQLite's
    # shared-cache memory databases refuse ("database table is locked").
    DATABASES["default"]["TEST"] = {"NAME": f"{DATABASES['default']['NAME']}.test"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails the request (a 503 page, /readyz) within
    # seconds instead of holding an application server's worker until the proxy gives up.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.AccountBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.PatternPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.password_validation.MaximumLengthValidator", "OPTIONS": {"max_length": 64}},
    {"NAME": "accounts.password_validation.UsernameNotContainedValidator"},
    {"NAME": "accounts.password_validation.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Locally there is no collectstatic: WhiteNoise and runserver find files in the source folders.
STATIC_ROOT = (
    Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles")) if PRODUCTION or "STATIC_ROOT" in os.environ else None
)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: downloads go through views that check scope

# Media storage: local disk by default; S3-compatible object storage when MEDIA_STORAGE=s3.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "s3":
    _media_backend = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_required("S3_BUCKET"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "local":
    _media_backend = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'")
STORAGES = {
    "default": _media_backend,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MATERIAL_MAX_BYTES = int(os.environ.get("MATERIAL_MAX_BYTES", str(100 * 1024 * 1024)))
NOTICE_ATTACHMENT_MAX_BYTES = int(os.environ.get("NOTICE_ATTACHMENT_MAX_BYTES", str(100 * 1024 * 1024)))
# Files one user may upload per window, over every form that takes files (core.ratelimit).
UPLOAD_RATE_LIMIT = int(os.environ.get("UPLOAD_RATE_LIMIT", "60"))
UPLOAD_RATE_WINDOW_SECONDS = int(os.environ.get("UPLOAD_RATE_WINDOW_SECONDS", str(10 * 60)))
# Self-registration (accounts.views.register): registration POSTs one client address may
# send an hour (429 beyond), and registrations from one address that may await their
# association's approval at once, counted over the last 24 hours.
REGISTRATION_POSTS_PER_HOUR = int(os.environ.get("REGISTRATION_POSTS_PER_HOUR", "10"))
REGISTRATION_PENDING_PER_ADDRESS = int(os.environ.get("REGISTRATION_PENDING_PER_ADDRESS", "3"))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Bounded waits: a Redis that hangs must fail a request (and /readyz) quickly.
    _redis_timeout = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "2"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": _redis_timeout, "socket_timeout": _redis_timeout},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background jobs (imports, exports) go through django-tasks' database backend: the queue
# is a table of the platform's own database (SQLite locally, PostgreSQL in production),
# which any number of `manage.py jobs_worker` processes share, each task taken by one
# worker (SELECT ... FOR UPDATE SKIP LOCKED). A job waits there across restarts.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Sessions (issue 7): an absolute limit of 8 hours from sign-in and 30 minutes idle.
# How many proxies of ours append to X-Forwarded-For in production (a load balancer before
# nginx: 2); core.middleware.client_ip takes the address the outermost one saw.
PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "1"))

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))

# Sign-in (issue 7), each per deployment. A password set by someone else (a new account,
# a reset, an import) must be changed at the first sign-in; one older than
# PASSWORD_MAX_AGE_DAYS must be changed (0 turns the rule off).
PASSWORD_CHANGE_AT_FIRST_SIGN_IN = env_bool("PASSWORD_CHANGE_AT_FIRST_SIGN_IN", True)
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
# A user's own password change waits this long after the last one (0 turns the rule off),
# so that quick changes cannot cycle through the history; a forced change never waits.
PASSWORD_MIN_AGE_HOURS = int(os.environ.get("PASSWORD_MIN_AGE_HOURS", "24"))
LOGIN_LOCK_FAILURES = int(os.environ.get("LOGIN_LOCK_FAILURES", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "30"))
# Failed sign-ins (security.limits, issue 18): LOGIN_LOCK_FAILURES within LOGIN_LOCK_MINUTES
# lock one account from one address, or one known browser; unknown browsers guess at most
# LOGIN_ACCOUNT_FAILURES_PER_HOUR times an hour at an account, from all addresses together;
# an address (a whole office behind one NAT) gets a captcha and a lock only after many.
LOGIN_ACCOUNT_FAILURES_PER_HOUR = int(os.environ.get("LOGIN_ACCOUNT_FAILURES_PER_HOUR", "10"))
LOGIN_ADDRESS_CAPTCHA_FAILURES = int(os.environ.get("LOGIN_ADDRESS_CAPTCHA_FAILURES", "10"))
LOGIN_ADDRESS_LOCK_FAILURES = int(os.environ.get("LOGIN_ADDRESS_LOCK_FAILURES", "50"))
LOGIN_DEVICE_COOKIE_DAYS = int(os.environ.get("LOGIN_DEVICE_COOKIE_DAYS", "180"))
# Roles that must sign in with a second factor (TOTP); anyone else may choose to.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES", "province_admin,province_staff,system_admin,security_admin,audit_admin"
)

# Audit records are kept at least this long; a system check refuses less than 180 days.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))


def audit_hmac_keys() -> dict[str, bytes]:
    """The keys that seal audit records (audit.chain), by key id: `id:base64key` items from
    AUDIT_HMAC_KEYS (comma-separated) and from the lines of the file AUDIT_HMAC_KEY_FILE.
    The database never holds them: a record names its key by id only."""
    import base64
    import binascii

    items = env_list("AUDIT_HMAC_KEYS")
    key_file = os.environ.get("AUDIT_HMAC_KEY_FILE", "")
    if key_file:
        try:
            text = Path(key_file).read_text()
        except OSError as error:
            raise ImproperlyConfigured(f"AUDIT_HMAC_KEY_FILE cannot be read: {error}") from error
        items += [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    keys = {}
    for item in items:
        key_id, _separator, encoded = item.partition(":")
        try:
            keys[key_id.strip()] = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError) as error:
            raise ImproperlyConfigured(f"The audit key {key_id.strip()!r} is not base64") from error
    return keys


# Production must give its own (it refuses none; audit.checks a short one or an unknown
# current id); locally one key, "local", is derived from SECRET_KEY so that `make run`
# and the tests need no set-up. The current key (AUDIT_HMAC_KEY_ID, by default the first
# one listed) seals new records; every key listed verifies the records sealed with it.
AUDIT_HMAC_KEYS = audit_hmac_keys()
if not AUDIT_HMAC_KEYS and not PRODUCTION:
    import hashlib

    AUDIT_HMAC_KEYS = {"local": hashlib.sha256(f"audit-hmac:{SECRET_KEY}".encode()).digest()}
if PRODUCTION and not AUDIT_HMAC_KEYS:
    raise ImproperlyConfigured("AUDIT_HMAC_KEYS or AUDIT_HMAC_KEY_FILE must be set when APP_ENV=production")
AUDIT_HMAC_KEY_ID = os.environ.get("AUDIT_HMAC_KEY_ID") or next(iter(AUDIT_HMAC_KEYS), "")
# Where `manage.py audit_anchor` appends the chain head (audit.anchoring), outside the
# database: in production a path the database's accounts cannot write.
AUDIT_ANCHOR_FILE = Path(os.environ.get("AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.jsonl"))

# Keys that seal personal numbers and second-factor secrets (core.crypto): the first
# seals, all open. Production must set its own; locally one is derived from SECRET_KEY.
if PRODUCTION:
    env_required("FIELD_ENCRYPTION_KEYS")
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token is put in a header from <body>
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# The platform's public address, for links in e-mails and the certificates' QR codes
# (https://sfd.example.gov.cn); production refuses to start without one (core.E003).
PLATFORM_URL = env_required("PLATFORM_URL") if PRODUCTION else os.environ.get("PLATFORM_URL", "http://127.0.0.1:8000")

PLATFORM_TITLE = _("Demonstration Site Creation Management Platform")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
# Checks an operator has looked at and accepts for now.
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")
FORM_RENDERER = "core.forms.PlatformFormRenderer"
