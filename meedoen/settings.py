"""Settings for Meedoen, read from environment variables only (see .env.example).

MEEDOEN_ENV selects the mode: "development" (default) or "production". Production refuses to start without a
secret key and encryption keys, or with DEBUG on.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from cryptography.fernet import Fernet, MultiFernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from meedoen import embedded
from meedoen.core.cache import cache_url
from meedoen.devsecrets import development_secret
from meedoen.env import envbool, envint, envlist, envstr, required

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = envstr("MEEDOEN_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"MEEDOEN_ENV must be development or production, not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = envbool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    FIELD_ENCRYPTION_KEYS = required("FIELD_ENCRYPTION_KEYS").split(",")
    BLIND_INDEX_KEY = required("BLIND_INDEX_KEY")
    ACCESS_LOG_KEY = required("ACCESS_LOG_KEY")
else:
    SECRET_KEY = envstr("SECRET_KEY") or development_secret("SECRET_KEY")
    FIELD_ENCRYPTION_KEYS = (envstr("FIELD_ENCRYPTION_KEYS") or development_secret("FIELD_ENCRYPTION_KEYS")).split(",")
    BLIND_INDEX_KEY = envstr("BLIND_INDEX_KEY") or development_secret("BLIND_INDEX_KEY")
    ACCESS_LOG_KEY = envstr("ACCESS_LOG_KEY") or development_secret("ACCESS_LOG_KEY")

try:  # a malformed key must stop the start, not the first read of a resident
    MultiFernet([Fernet(key.strip().encode()) for key in FIELD_ENCRYPTION_KEYS])
except ValueError as error:
    raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS holds a malformed key: {error}") from None

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "meedoen.accounts",
    "meedoen.privacy",
    "meedoen.core",
    "meedoen.notifications",
    "signalering",
    "brigade",
    "zelfregie",
    "meedoen.reports",  # the city-wide top: reads all pillars, nothing imports it
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, never a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "meedoen.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "meedoen.accounts.middleware.SessionPolicyMiddleware",
    "meedoen.accounts.middleware.TwoFactorMiddleware",
    "meedoen.accounts.middleware.AccessRuleMiddleware",
    "meedoen.privacy.middleware.AccessLogFailureMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # In production gunicorn serves the collected static files through WhiteNoise; runserver does it in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# Messages can name a participant or an action: keep them in the server-side session, not in a readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# No uploads: a file in a request is dropped unread (meedoen/core/uploads.py); other form data is capped at 2.5 MB
# (Django's default DATA_UPLOAD_MAX_MEMORY_SIZE), above which the request gets 400.
FILE_UPLOAD_HANDLERS = ["meedoen.core.uploads.RefuseFiles"]

ROOT_URLCONF = "meedoen.urls"
WSGI_APPLICATION = "meedoen.wsgi.application"

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
                "csp.context_processors.nonce",
                "meedoen.accounts.context_processors.navigation",
                "meedoen.notifications.context_processors.unread",
            ],
        },
    },
    {  # the parts of pages drawn most often (meedoen/core/jinja.py), included with {% jinja %}; no context processors
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "OPTIONS": {"environment": "meedoen.core.jinja.environment"},
    },
]

# Form widgets are drawn with Django's own Jinja2 widget templates: the same markup, a fraction of the time (a signal
# page has four forms). The pages themselves stay Django templates.
FORM_RENDERER = "meedoen.core.forms.FormRenderer"

# Database: DATABASE_URL, or the embedded PostgreSQL under var/pgdata.
DATABASE_URL = envstr("DATABASE_URL") or (None if PRODUCTION else embedded.postgres_url())
if DATABASE_URL is None:
    raise ImproperlyConfigured("The environment variable DATABASE_URL is required in production.")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: REDIS_URL, or the embedded Redis on a unix socket under var/run (started by `make run`).
REDIS_URL = envstr("REDIS_URL") or (None if PRODUCTION else embedded.redis_url())
if REDIS_URL is None:
    raise ImproperlyConfigured("The environment variable REDIS_URL is required in production.")

# The shared cache (dashboard figures, API throttling) lives in Redis too; a Redis outage makes it a cache miss.
CACHES = {
    "default": {
        "BACKEND": "meedoen.core.cache.ForgivingRedisCache",
        "LOCATION": cache_url(REDIS_URL),
        "KEY_PREFIX": "meedoen",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
# Dashboard and API figures are remembered this long; a beat task refreshes the most asked ones before that.
FIGURES_CACHE_SECONDS = envint("FIGURES_CACHE_SECONDS", 15 * 60)

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses authentication for a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "meedoen.accounts.backends.UserBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: idle timeout. A request renews the session's expiry when it was last renewed over a minute ago
# (accounts.middleware.SessionPolicyMiddleware), so the age is the allowed idle time, give or take that minute; saving
# the session on every request cost a write and a commit per page.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30) * 60
SESSION_RENEW_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_ABSOLUTE_HOURS = envint("SESSION_ABSOLUTE_HOURS", 12)  # then a new login, however active the session
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Exports and prints of personal data ask for the password (and the second factor) again when the last
# authentication is older than this.
REAUTH_MINUTES = envint("REAUTH_MINUTES", 10)

# Two-factor authentication (django-otp: TOTP apps, recovery codes as static tokens). Required in production for every
# role that sees personal data, the privacy officer and staff (see meedoen/accounts/two_factor.py); in development and
# tests off by default, so the demo accounts log in with their password. A user who enrolled always verifies.
TWO_FACTOR_REQUIRED = envbool("TWO_FACTOR_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = "Meedoen"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a TOTP key
RECOVERY_CODES = 10

# Brute force (django-axes): lock an account after LOGIN_FAILURES_PER_ACCOUNT failed logins or two-factor codes, and an
# address after LOGIN_FAILURES_PER_ADDRESS (higher: many people may share an office's address), each for
# LOGIN_COOLOFF_MINUTES after the last failure. Unlock: the admin (Axes > Access attempts) or
# `manage.py axes_reset_username <name>` / `axes_reset_ip <address>`.
LOGIN_FAILURES_PER_ACCOUNT = envint("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_COOLOFF_MINUTES = envint("LOGIN_COOLOFF_MINUTES", 15)
AXES_HANDLER = "meedoen.accounts.lockout.LoginAttemptHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "meedoen.accounts.lockout.failure_limit"  # LOGIN_FAILURES_PER_ACCOUNT, read when used
AXES_COOLOFF_TIME = "meedoen.accounts.lockout.cool_off"  # LOGIN_COOLOFF_MINUTES, read when used
AXES_LOCKOUT_CALLABLE = "meedoen.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "meedoen.privacy.audit.client_address"  # the same address the access log records
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code", "csrfmiddlewaretoken"]
AXES_VERBOSE = False

# Security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The header only offers preloading; submitting the domain to the browsers' list is a separate, manual step.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Internationalisation: Dutch first, English available.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files: own files in static/, Bootstrap and axe-core from npm (node_modules), never a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Meedoen <noreply@meedoen.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: broker and results in Redis; the beat schedule lives here so it is reviewed like code.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# Queueing from a page tries twice, briefly: with Redis down the page goes on (the work is queued robustly, see
# transaction.on_commit(..., robust=True)) and the periodic sweeps find what was not queued once Redis is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "meedoen.core.tasks.heartbeat", "schedule": timedelta(seconds=30)},
    "send-unsent-emails": {"task": "meedoen.notifications.tasks.send_unsent_emails", "schedule": crontab(minute="*/5")},
    "urgent-signals": {"task": "signalering.tasks.sweep_urgent_signals", "schedule": crontab(minute="*/10")},
    "agenda-notices": {"task": "signalering.tasks.send_agenda_notices", "schedule": crontab(minute=15)},
    # Hourly through the working day: the first run sends, later runs catch up a lost one (once per day each).
    "daily-digests": {"task": "signalering.tasks.send_daily_digests", "schedule": crontab(hour="7-17", minute=5)},
    "plan-meetings": {"task": "signalering.tasks.plan_meetings", "schedule": crontab(hour=2, minute=30)},
    "brigade-reminders": {"task": "brigade.tasks.sweep_brigade_reminders", "schedule": crontab(minute=20)},
    "zelfregie-plan-sessions": {"task": "zelfregie.tasks.plan_sessions", "schedule": crontab(hour=2, minute=45)},
    # Nightly, in a quiet hour: every kind of record past its retention period (meedoen/privacy/records.py).
    "retention": {"task": "meedoen.privacy.tasks.run_retention", "schedule": crontab(hour=3, minute=15)},
    # Daily: on the first working day of a quarter (or the next run, if one was missed) last quarter's report.
    "quarterly-report": {"task": "meedoen.reports.tasks.schedule_last_quarter", "schedule": crontab(hour=6, minute=30)},
    "resume-reports": {"task": "meedoen.reports.tasks.resume_reports", "schedule": crontab(minute="*/10")},
    "refresh-figures": {"task": "meedoen.reports.tasks.refresh_figures", "schedule": crontab(minute="*/10")},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "run" / "celerybeat-schedule")
WORKER_HEARTBEAT_MAX_AGE = envint("WORKER_HEARTBEAT_MAX_AGE", 90)
WORKER_HEARTBEAT_KEY = "meedoen:worker-heartbeat"  # in Redis: when a worker last said it was alive

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}

# Statistics API (meedoen/reports/api.py): read-only JSON; its views name their own authentication (token or session),
# permission and throttle. The default here refuses every other future DRF view to all but staff.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Counted in the shared cache (Redis).
    "DEFAULT_THROTTLE_RATES": {"statistics": "60/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("Meedoen statistics API"),
    "DESCRIPTION": _(
        "Figures of the Meedoen approach per quarter, district and pillar, for the municipality's BI tools. "
        'Read-only; no personal data; counts from 1 to 4 are shown as "<5". Send the header '
        "`Authorization: Token <token>`; an administrator makes the token with `manage.py api_token <username>`."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
