"""earlyhelp's one settings module: every deployment difference comes from environment variables.

EARLYHELP_ENV=development (the default) gives a local set-up that works with nothing installed;
EARLYHELP_ENV=production insists on a secret key, allowed hosts and HTTPS. docs/operations.md
lists every variable.
"""

import hashlib
import hmac
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENT = os.environ.get("EARLYHELP_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("EARLYHELP_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    SECRET_KEY = "development-only-key-never-use-in-production-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105, E501

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "earlyhelp.core",
    "earlyhelp.accounts",
    "earlyhelp.organisations",
    "earlyhelp.people",
    "earlyhelp.access",
    "earlyhelp.audit",
    "earlyhelp.protocols",
    "earlyhelp.concerns",
    "earlyhelp.api",
    "earlyhelp.notifications",
    "earlyhelp.absences",
    "earlyhelp.cases",
    "earlyhelp.safety",
    "earlyhelp.activities",
    "earlyhelp.screening",
    "earlyhelp.contacts",
    "earlyhelp.fostercare",
    "earlyhelp.programmes",
    "earlyhelp.workforce",
    "earlyhelp.knowledge",
    "earlyhelp.duties",
    "earlyhelp.privacy",
    "earlyhelp.imports",
    "earlyhelp.sampledata",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "earlyhelp.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Every error under /api/ as RFC 9457 problem details, also those no API view answers.
    "earlyhelp.api.middleware.ProblemDetailsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "earlyhelp.accounts.middleware.SessionLimitMiddleware",
    "earlyhelp.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that its 413 page gets every header and the user's language, and before any
    # view reads a body that is too large.
    "earlyhelp.core.limits.RequestSizeLimitMiddleware",
]

if PRODUCTION:
    # Production serves the collected static files itself (manage.py collectstatic);
    # development relies on runserver's static view.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "earlyhelp.urls"
# Widgets render through the project's templates, so components can override them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "earlyhelp.wsgi.application"
ASGI_APPLICATION = "earlyhelp.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "earlyhelp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "earlyhelp.core.context_processors.csp_nonce",
                "earlyhelp.access.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL switches between the embedded SQLite default and PostgreSQL
# (postgres://user:password@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL keeps readers and the writer apart and survives a killed process;
    # IMMEDIATE transactions avoid "database is locked" on upgrade from read to write. The web
    # server, the scheduler and the task worker share the file (`make run`): a writer waits up
    # to 20 s for another's transaction (a rebuild of figures) instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=20000;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries over large tables: PostgreSQL's JIT compilation, which its cost estimates
    # start on a list over millions of rows, takes longer (10-15 ms) than the query itself.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Behind a reverse proxy (or several, EARLYHELP_PROXY_COUNT), the client's address is the entry
# of X-Forwarded-For the outermost proxy wrote (earlyhelp.accounts.client_address).
BEHIND_PROXY = env_bool("EARLYHELP_BEHIND_PROXY", False)
EARLYHELP_PROXY_COUNT = (
    max(int(os.environ.get("EARLYHELP_PROXY_COUNT", "1")), 1) if BEHIND_PROXY else 0
)

# Lockout for 15 minutes after 5 failed sign-ins on one user name from one address, 30 on it
# from anywhere, or 20 from one address on any names (a school's staff share one address);
# see accounts/lockout.py.
EARLYHELP_LOCKOUT_USER_FAILURES = int(os.environ.get("EARLYHELP_LOCKOUT_USER_FAILURES", "5"))
EARLYHELP_LOCKOUT_USER_ANYWHERE_FAILURES = int(
    os.environ.get("EARLYHELP_LOCKOUT_USER_ANYWHERE_FAILURES", "30")
)
EARLYHELP_LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("EARLYHELP_LOCKOUT_ADDRESS_FAILURES", "20"))
AXES_HANDLER = "earlyhelp.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "earlyhelp.accounts.client_address.client_address"
AXES_FAILURE_LIMIT = EARLYHELP_LOCKOUT_USER_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A failure during a lockout does not restart the 15 minutes: else one wrong password every
# quarter of an hour would keep an account locked for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Requests for a password-reset e-mail, per typed address and per client address, per hour.
EARLYHELP_PASSWORD_RESET_PER_ACCOUNT = int(
    os.environ.get("EARLYHELP_PASSWORD_RESET_PER_ACCOUNT", "3")
)
EARLYHELP_PASSWORD_RESET_PER_ADDRESS = int(
    os.environ.get("EARLYHELP_PASSWORD_RESET_PER_ADDRESS", "10")
)

OTP_TOTP_ISSUER = "earlyhelp"

# Sessions: 15 minutes idle (renewed by activity, at most once a minute), 10 hours absolute.
SESSION_COOKIE_AGE = int(os.environ.get("EARLYHELP_SESSION_IDLE_SECONDS", 15 * 60))
# Saved when it changes; SessionLimitMiddleware changes it (renewing the idle expiry) at most
# once a minute, so an active user's requests do not each write to the database.
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("EARLYHELP_SESSION_ABSOLUTE_SECONDS", 10 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_HTTPS = env_bool("EARLYHELP_HTTPS", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("EARLYHELP_SSL_REDIRECT", SECURE_HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("EARLYHELP_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
# Preloading is a promise to browsers that is hard to take back: an operator whose domain
# cannot keep HTTPS on every subdomain turns it off.
SECURE_HSTS_PRELOAD = env_bool("EARLYHELP_HSTS_PRELOAD", SECURE_HTTPS)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("hu", _("Hungarian")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
]
LOCALE_PATHS = [BASE_DIR / "earlyhelp" / "locale"]
FORMAT_MODULE_PATH = ["earlyhelp.formats"]
TIME_ZONE = os.environ.get("EARLYHELP_TIME_ZONE", "Europe/Budapest")
USE_I18N = True
USE_TZ = True

# --- Static files and e-mail ----------------------------------------------------------------
STATIC_URL = "/static/"
# Uploaded files (attachments) live outside the web root and are served only through views
# that ask the access policy; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("EARLYHELP_MEDIA_ROOT", BASE_DIR / "media"))
EARLYHELP_ATTACHMENT_MAX_BYTES = int(os.environ.get("EARLYHELP_ATTACHMENT_MAX_MB", "10")) * 1024**2
# A roster file (imports): within the body a form with files may send (core.limits).
EARLYHELP_IMPORT_MAX_MB = int(os.environ.get("EARLYHELP_IMPORT_MAX_MB", "40"))
# Days an import keeps its file and rows (children's data as the file gave them).
EARLYHELP_IMPORT_KEEP_DAYS = int(os.environ.get("EARLYHELP_IMPORT_KEEP_DAYS", "30"))
# A form's text or an API body, all of it together (larger: 413, core/limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A form with files may carry this many files at the full attachment size on top of its text.
EARLYHELP_REQUEST_MAX_FILES = int(os.environ.get("EARLYHELP_REQUEST_MAX_FILES", "5"))
STATICFILES_DIRS = [BASE_DIR / "earlyhelp" / "static"]
STATIC_ROOT = Path(os.environ.get("EARLYHELP_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
EMAIL_BACKEND = os.environ.get(
    "EARLYHELP_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EARLYHELP_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EARLYHELP_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EARLYHELP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EARLYHELP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EARLYHELP_EMAIL_TLS", PRODUCTION)
DEFAULT_FROM_EMAIL = os.environ.get("EARLYHELP_FROM_EMAIL", "earlyhelp@localhost")

# --- Background tasks (django-tasks) -------------------------------------------------------
# "database" keeps each task as a row written in the enqueuing transaction (durable; run by
# `manage.py db_worker`); "immediate" runs it at once in the enqueuing process, so development
# needs no worker.
TASKS_BACKEND = os.environ.get("EARLYHELP_TASKS_BACKEND", "database" if PRODUCTION else "immediate")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured("EARLYHELP_TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# The periodic jobs and their times (`manage.py run_scheduler`; docs/operations.md).
EARLYHELP_SCHEDULE = "earlyhelp.schedule.SCHEDULE"

# --- earlyhelp ------------------------------------------------------------------------------
EARLYHELP_BREAK_GLASS_MAX_MINUTES = 60
EARLYHELP_PAGE_SIZE = 25
# A new account's link to set its password works once and for this many hours.
EARLYHELP_INVITATION_HOURS = int(os.environ.get("EARLYHELP_INVITATION_HOURS", "72"))
# An API token expires this many days after it was issued.
EARLYHELP_API_TOKEN_DAYS = int(os.environ.get("EARLYHELP_API_TOKEN_DAYS", "90"))
# Requests a token may make in a minute; more get 429 with Retry-After (docs/api.md).
EARLYHELP_API_REQUESTS_PER_MINUTE = int(os.environ.get("EARLYHELP_API_REQUESTS_PER_MINUTE", "600"))
# The address people open earlyhelp at: links in e-mails point there.
EARLYHELP_SITE_URL = os.environ.get("EARLYHELP_SITE_URL", "http://127.0.0.1:8000")
# The hosts webhooks may be sent to ("partner.example.org", "*.example.org"); none: webhooks
# are off. Development allows a receiver on this machine (docs/api.md, "Webhooks").
EARLYHELP_WEBHOOK_HOSTS = [
    host.lower()
    for host in env_list("EARLYHELP_WEBHOOK_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1")
]
# Repeated concerns: this many concerns about a child or their household within this many days
# raise a flag for the triager (EARLYHELP_REPEAT_CONCERNS="3,90").
EARLYHELP_REPEAT_CONCERNS = tuple(
    int(part) for part in os.environ.get("EARLYHELP_REPEAT_CONCERNS", "3,90").split(",")
)

# --- Audit log ----------------------------------------------------------------------------
# The keys that chain the audit log, outside the database: "id:secret" pairs, the current key
# first, retired keys after it for verifying older rows (docs/operations.md#audit-keys).
# Production refuses to start without one (system check audit.E001).
EARLYHELP_AUDIT_KEYS = env_list("EARLYHELP_AUDIT_KEYS")
if not EARLYHELP_AUDIT_KEYS and not PRODUCTION:
    # Development and tests work without set-up: a key derived from the secret key.
    EARLYHELP_AUDIT_KEYS = [
        "dev:" + hmac.new(SECRET_KEY.encode(), b"earlyhelp audit chain", hashlib.sha256).hexdigest()
    ]
# Rows up to this id may carry no key: they were written before the chain was keyed.
EARLYHELP_AUDIT_LEGACY_UNTIL = int(os.environ.get("EARLYHELP_AUDIT_LEGACY_UNTIL", "0"))
# Rows up to this id were written before rows carried their municipality (audit/0005 prints it):
# the audit-log page finds them by the acting account's municipality.
EARLYHELP_AUDIT_UNSCOPED_UNTIL = int(os.environ.get("EARLYHELP_AUDIT_UNSCOPED_UNTIL", "0"))
# Where audit_anchor appends the chain's head; keep it apart from the database and its backups.
EARLYHELP_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("EARLYHELP_AUDIT_ANCHOR_FILE", BASE_DIR / "var" / "audit-anchors.jsonl")
)
# Also send each anchor to syslog: a socket path (/dev/log) or host:port (UDP).
EARLYHELP_AUDIT_SYSLOG = os.environ.get("EARLYHELP_AUDIT_SYSLOG", "")

# Plausible dates (docs/data-model.md, "Dates"). A child's date of birth gives an age within
# these years (services serve young adults leaving care up to 25); an adult's, when recorded,
# within the adults' range. Every other date lies between 1 January of the earliest year and
# this many years after today.
EARLYHELP_CHILD_AGE_YEARS = (0, 26)
EARLYHELP_ADULT_AGE_YEARS = (14, 110)
EARLYHELP_EARLIEST_YEAR = 2000
EARLYHELP_YEARS_AHEAD = 10

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "earlyhelp.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("EARLYHELP_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Anchors go to syslog when it is configured, and nowhere else: the command prints its
        # own line, and the anchor file holds them all.
        "earlyhelp.audit.anchor": {
            "handlers": ["audit_syslog"] if EARLYHELP_AUDIT_SYSLOG else [],
            "level": "INFO",
            "propagate": False,
        }
    },
}
if EARLYHELP_AUDIT_SYSLOG:
    _host, _, _port = EARLYHELP_AUDIT_SYSLOG.rpartition(":")
    LOGGING["handlers"]["audit_syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": (_host, int(_port))
        if _host and _port.isascii() and _port.isdigit()
        else EARLYHELP_AUDIT_SYSLOG,
        "facility": "authpriv",
        "formatter": "anchor",
    }
    LOGGING["formatters"]["anchor"] = {"format": "earlyhelp-audit: %(message)s"}
