"""Settings for liaison, read from the environment.

Production differs from the demo only by environment variables; see README.md for the list.
"""

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """A string from `NAME`, or from the file named by `NAME_FILE` (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set SECRET_KEY (or SECRET_KEY_FILE, a file "
            "holding it) to a long random string, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "insecure-key-for-local-debugging-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "liaison.apps.LiaisonAdminConfig",  # django.contrib.admin with the project's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_filters",
    "pgtrigger",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "liaison",
    "workdays",
    "notifications",
    "audit",
    "accounts",
    "twofactor",
    "stations",
    "representatives",
    "suggestions",
    "receptions",
    "ledger",
    "public",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liaison.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request being served, for the audit entries that Django's signals write without one.
    "audit.middleware.AuditRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "twofactor.middleware.SecondFactorMiddleware",
    "liaison.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "liaison.context_processors.accessibility",
            ],
        },
    },
]

# Database: a SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache and Celery broker. Without REDIS_URL the cache is in-process and Celery runs
# tasks eagerly, so the demo needs nothing but Python.
REDIS_URL = env_str("REDIS_URL") or ""
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "liaison",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered public pages, kept in each process: the citizens' form is served from here with only
# its per-request tokens filled in. Changes to a station show within PAGE_CACHE_SECONDS.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "liaison-pages",
    "TIMEOUT": PAGE_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", not (REDIS_URL or env_str("CELERY_BROKER_URL"))
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every periodic task is declared here, with when it runs and why.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Messages whose immediate send failed (broker or worker down, gateway error) stay in the
    # outbox; this sweep sends them once the way is clear again.
    "notifications-send-pending": {
        "task": "notifications.tasks.send_pending_messages",
        "schedule": 60.0,
    },
    # Every morning before office hours: overdue suggestions to their departments, the station
    # staff and, for key suggestions, the lead supervisor (once a day at most for each).
    "suggestions-remind-overdue": {
        "task": "suggestions.tasks.remind_overdue_suggestions",
        "schedule": crontab(hour=8, minute=0),
    },
    # Every night at 02:30, before the reminders and office hours: keep each station's reception
    # days generated RECEPTION_HORIZON_MONTHS ahead (the window moves a day at a time) and pick up
    # new or edited rules. Idempotent; calendar corrections are applied at once by a receiver.
    "receptions-generate-days": {
        "task": "receptions.tasks.generate_reception_days",
        "schedule": crontab(hour=2, minute=30),
    },
    # Every morning at 07:30, after the night's generation and before office hours: duty reminders
    # to the representatives and leader on duty 3 days and 1 day ahead (SMS, else e-mail), and to
    # station staff for rotas still short a week ahead and duty logs missing two days after.
    # Claimed per day, recipient and kind, so a rerun or a redelivered task sends nothing twice.
    # The task lives in receptions.tasks under the name it had in receptions.reminder_tasks.
    "receptions-send-reminders": {
        "task": "receptions.reminder_tasks.send_reception_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Every ten minutes: rebuild the statistics summaries of the months something changed in;
    # the first run after midnight rebuilds the last 24 months whole, because "overdue" moves
    # with the date (ledger.statistics.summaries). The dashboard counts the current month live.
    "ledger-refresh-statistics": {
        "task": "ledger.summary_tasks.refresh_statistics",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    # Every night at 03:10: delete sessions past their absolute lifetime (SESSION_MAX_HOURS),
    # which nobody can use any more, so the session table keeps only live ones.
    "accounts-clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=10),
    },
    # Every ten minutes: delete export files older than EXPORT_KEEP_DAYS (their records stay),
    # mark runs whose worker died as failed and queue again exports whose task was lost, so
    # nobody waits on a progress bar for ever (ledger.exports.exports_sweep).
    "ledger-sweep-exports": {
        "task": "ledger.tasks.sweep_exports",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    # Every night at 03:15, away from office hours and the 02:30 generation: delete the audit
    # entries older than AUDIT_RETENTION_DAYS, and only those; the audit log refuses every
    # other delete (audit.services.audit_purge_expired).
    "audit-purge-expired": {
        "task": "audit.tasks.purge_expired_entries",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every night at 03:15, after the reception days and before the statistics' nightly rebuild:
    # remove the personal data of suggestions whose handling ended more than
    # PERSONAL_DATA_RETENTION_DAYS ago (suggestions.privacy.personal_data_expire). Each row is
    # claimed under its lock, so a rerun or a second worker does nothing twice.
    "suggestions-expire-personal-data": {
        "task": "suggestions.tasks.expire_personal_data",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Accounts and sessions (accounts/). Passwords: at least PASSWORD_MIN_LENGTH characters mixing
# three of lower case, upper case, digits and other signs; not common, not all digits; none of
# the last PASSWORD_HISTORY passwords again. PASSWORD_MAX_AGE_DAYS > 0 sends a user whose
# password is older to change it before anything else (0: passwords do not expire).
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10)
PASSWORD_HISTORY = env_int("PASSWORD_HISTORY", 5)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "liaison.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.validators.PasswordHistoryValidator", "OPTIONS": {"keep": PASSWORD_HISTORY}},
]
# Argon2id first; the others only read hashes written before it.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The lockout (django-axes) comes first; it checks no password itself.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# LOGIN_FAILURE_LIMIT failed logins lock the user name and, separately, the source address for
# LOGIN_LOCKOUT_MINUTES (each further try during the lock starts it again). A locked login gets
# the same answer as a wrong password. The security administrator unlocks in the admin
# (Axes > access attempts: delete the row). The source address is read as for the rate limits
# (RATELIMIT_IP_META_KEY).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "liaison.http.client_ip"
AXES_USERNAME_CALLABLE = "accounts.backends.attempted_username"
AXES_LOCKOUT_CALLABLE = "accounts.backends.lockout_response"
# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after login,
# whichever comes first (accounts.middleware); disabling a user ends their sessions at once
# (accounts.sessions keeps each session's user). The cookie goes when the browser closes.
SESSION_ENGINE = "accounts.sessions"
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:inbox"
# Two-factor authentication (twofactor/): after the password, a code from an authenticator app
# (TOTP) or a single-use recovery code. Users with a role named here (liaison.roles.Role member
# names), superusers and staff entering the admin site must set one up; anyone else may opt in.
OTP_REQUIRED_ROLES = env_list(
    "OTP_REQUIRED_ROLES",
    [
        "STATION_STAFF", "STATION_HEAD", "DEPARTMENT_HANDLER", "SUPERVISOR",
        "SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN",
    ],
)  # fmt: skip
# Wrong second-factor codes allowed per account before it waits ("count/period").
OTP_RATE_PER_USER = env_str("OTP_RATE_PER_USER") or "10/h"
# The name authenticator apps show above the code.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER") or "人大代表联络站"
# The admin's device pages never show a secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Let Django serve uploaded photos itself (the demo, or a small single-host install).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Citizens' photos and ledger exports (names, phone numbers) are written outside MEDIA_ROOT, which
# may be served as it is, and reach people only through views that check who may see them.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT") or BASE_DIR / "private")
STORAGES["private"] = {"BACKEND": "liaison.storage.PrivateStorage"}
# An export's file is deleted this many days after it was written; the record of who exported
# what stays. Runs still unfinished this many hours after they started are marked failed.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)
EXPORT_MAX_RUN_HOURS = env_int("EXPORT_MAX_RUN_HOURS", 3)
# Uploads larger than this are refused before they reach a form (photos are checked again there).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "liaison@localhost"
# A hung mail server must not hold a worker past the outbox's ten-minute claim.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# SMS: a backend class with the same shape as Django's e-mail backends. The default writes each
# message to the log; a real gateway is a dotted path plus its own settings, set by environment.
SMS_BACKEND = env_str("SMS_BACKEND") or "notifications.sms.LogSmsBackend"
SMS_SIGNATURE = env_str("SMS_SIGNATURE") or "【人大代表联络站】"
# How often and how far apart an outbox message is retried before it is marked failed.
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 8)

# HTTPS. Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto (and must
# overwrite any such header a client sends); plain http is redirected to https, except the
# health check that load balancers call on the inside. The demo (DEBUG=1) serves plain http.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# Browsers keep to https for SECURE_HSTS_SECONDS (a year) on this host and its subdomains.
# Preloading into the browsers' built-in list is hard to undo, so it is the operator's choice.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The display preferences go over https only, like the session (an assessor's scan flags any
# cookie without the flag).
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Personal information (PIPL). Who processes citizens' details, as the consent notice names it
# (empty: the station's own name), and how long a suggestion's personal data is kept after its
# last handling step once handling has ended (default three years).
PERSONAL_INFORMATION_PROCESSOR = env_str("PERSONAL_INFORMATION_PROCESSOR") or ""
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 3 * 365)
if PERSONAL_DATA_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("PERSONAL_DATA_RETENTION_DAYS must be at least 1.")
# Content-Security-Policy (django-csp): every script and style comes from our own static files,
# nothing inline and no other host. Images also from data: URIs, because Bootstrap's CSS draws
# its form icons (select arrows, check marks) as inline SVG. Pages that need more say so with
# django-csp's decorators (only the admin's roster export does; see liaison/admin.py).
CSP_DIRECTIVES: dict[str, list[str]] = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
# Where browsers send violation reports (report-uri), e.g. a collector while rolling out.
# (django-csp's check refuses its old setting names, CSP_REPORT_URI and CSP_REPORT_ONLY.)
CSP_REPORT_ENDPOINT = env_str("CSP_REPORT_ENDPOINT") or ""
if CSP_REPORT_ENDPOINT:
    CSP_DIRECTIVES["report-uri"] = [CSP_REPORT_ENDPOINT]
# While rolling out, CSP_REPORT_ONLY_MODE=1 sends the same policy as
# Content-Security-Policy-Report-Only: browsers report what it would refuse and refuse nothing.
CSP_REPORT_ONLY_MODE = env_bool("CSP_REPORT_ONLY_MODE", False)
CONTENT_SECURITY_POLICY: dict[str, Any] | None = (
    None if CSP_REPORT_ONLY_MODE else {"DIRECTIVES": CSP_DIRECTIVES}
)
CONTENT_SECURITY_POLICY_REPORT_ONLY: dict[str, Any] | None = (
    {"DIRECTIVES": CSP_DIRECTIVES} if CSP_REPORT_ONLY_MODE else None
)

# The site's public base URL, used in QR codes and in messages sent outside a request.
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# Representative photos: what is accepted and how large the stored copy is.
PHOTO_MAX_UPLOAD_BYTES = env_int("PHOTO_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
PHOTO_MAX_PIXELS = 480
# Every uploaded photo (representatives', citizens', duty logs'): the most pixels a source image
# may have, read from its header before anything is decoded. 60 million takes a 50-megapixel
# phone photo and refuses decompression bombs.
PHOTO_MAX_SOURCE_PIXELS = env_int("PHOTO_MAX_SOURCE_PIXELS", 60_000_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
}

# Roster import/export in the admin: importing needs the "add" permission, exporting "view";
# both run in one transaction, so a sheet with any bad row saves nothing.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Citizens' suggestions.
SUGGESTION_PHOTO_MAX_BYTES = env_int("SUGGESTION_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
SUGGESTION_PHOTO_MAX_PIXELS = 1600
# Rate limits ("count/period", period s, m, h or d). Generous per address, because mobile
# carriers put many phones behind one address; tight per phone number.
SUGGESTION_RATE_PER_IP = env_str("SUGGESTION_RATE_PER_IP") or "30/h"
SUGGESTION_RATE_PER_PHONE = env_str("SUGGESTION_RATE_PER_PHONE") or "5/h"
TRACK_RATE_PER_IP = env_str("TRACK_RATE_PER_IP") or "30/h"
TRACK_RATE_PER_CODE = env_str("TRACK_RATE_PER_CODE") or "10/h"
# Behind a proxy, the header that carries the client address (e.g. HTTP_X_REAL_IP), set by the
# proxy. The rate limits, the login lockout (liaison.http.client_ip) and the audit log read it;
# unset, they use the connection's address.
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY") or None
# django-ratelimit refuses the in-process cache and does not list Django's own RedisCache.
# The demo runs in one process, where the in-process cache is shared by every request; in
# production REDIS_URL selects Django's RedisCache, whose incr is atomic.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
if not SECURE_HSTS_PRELOAD:
    # `check --deploy` asks for preloading; leaving it off is the deliberate default above.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Handling time limits in working days, per route; a region can set its own in the admin.
HANDLING_WORKING_DAYS = {"on_site": 1, "township": 10, "county": 15, "explained": 5}
# Warn this many working days before a deadline.
DUE_SOON_WORKING_DAYS = env_int("DUE_SOON_WORKING_DAYS", 3)
# How far ahead reception days are generated from the stations' rules, in months.
RECEPTION_HORIZON_MONTHS = env_int("RECEPTION_HORIZON_MONTHS", 3)

# The audit log keeps entries this many days; a nightly task deletes older ones. The
# Cybersecurity Law (art. 21) asks for at least six months, so less is refused
# (audit.models.MINIMUM_RETENTION_DAYS, which a database trigger enforces too).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured(
        f"AUDIT_RETENTION_DAYS={AUDIT_RETENTION_DAYS}: the audit log is kept at least 180 days "
        "(six months, Cybersecurity Law art. 21)."
    )
