"""Settings shared by every environment; values that differ come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]
PROJECT_DIR = PACKAGE_DIR.parents[1]

env = environ.Env()
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

DATA_DIR = Path(env.str("WELCOMING_DATA_DIR", default=str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'welcoming.sqlite3'}")
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )

# Scorecards computed by one process serve the others and outlive restarts (scorecards/memo.py):
# files in the data directory need no server; SCORES_CACHE_URL may name Redis instead.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    "scores": env.cache_url("SCORES_CACHE_URL", default=f"filecache://{DATA_DIR / 'scores'}"),
}
CACHES["scores"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 60)  # tens of MB each
# Public pages drawn for anonymous visitors, kept per data state (core/pages.py): each process's
# memory by default (tens of KB a page); PAGES_CACHE_URL may name Redis to share them.
CACHES["pages"] = env.cache_url("PAGES_CACHE_URL", default="locmemcache://pages")
CACHES["pages"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1000)

# Background work (imports from the web and the API, warming the scores after them): tasks are
# rows in the database, claimed by `welcoming worker` processes (as many as wanted).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # the Django 6 default, now
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # Swagger UI from ninja's own static files, not a CDN (hardening)
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "welcoming.core",
    "welcoming.accounts",
    "welcoming.framework",
    "welcoming.indicators",
    "welcoming.scorecards",
    "welcoming.connections",
    "welcoming.directory",
    "welcoming.demo",
]

MIDDLEWARE = [
    "welcoming.core.request_ids.RequestIdMiddleware",  # first: every log line has the request id
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "welcoming.accounts.two_factor.SecondFactorMiddleware",
    "welcoming.core.ratelimit.RateLimitMiddleware",  # after authentication: counts users apart
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: answers a locked-out sign-in
]

AUTHENTICATION_BACKENDS = [
    "welcoming.accounts.backends.LockoutBackend",  # first: refuses a locked-out sign-in
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "welcoming.config.urls"
WSGI_APPLICATION = "welcoming.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Argon2 for new and changed passwords; older hashes still sign in and are rehashed then.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Accounts: sign-in lock-out, second factor, mail (accounts/backends.py, two_factor.py, README).
AXES_FAILURE_LIMIT = 5  # wrong passwords in a row for one user name from one address...
AXES_COOLOFF_TIME = timedelta(minutes=15)  # ...lock that pair out for this long
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "welcoming.accounts.views.account.lockout"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # keep failed attempts only, not a log of every sign-in
TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS = True
OTP_TOTP_ISSUER = "Welcoming"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an authenticator's secret
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
if "EMAIL_URL" in env:
    # smtp+tls://user:password@host:587, smtp+ssl://…:465 (django-environ's schemes)
    globals().update({k: v for k, v in env.email_url("EMAIL_URL").items() if k[:6] == "EMAIL_"})
else:
    EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="welcoming@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Framework and demo data shipped inside the package, so a clone works on its own.
WELCOMING_PACKAGE_DATA = PACKAGE_DIR / "data"

# The directory (issue 18): a service not verified with its organization for this many months is
# flagged stale on the stewards' pages.
WELCOMING_DIRECTORY_STALE_MONTHS = env.int("WELCOMING_DIRECTORY_STALE_MONTHS", default=12)
# Processes a large matching run (from BACKGROUND_FROM waiting newcomers, in the worker) uses for
# its candidate search and explanations: one per core by default.
WELCOMING_MATCHING_PROCESSES = env.int("WELCOMING_MATCHING_PROCESSES", default=os.cpu_count() or 1)

# Uploads (issue 16): a file larger than WELCOMING_UPLOAD_MAX_BYTES is refused before its body
# is read (by its Content-Length) or as soon as it grows past the limit (core/uploads.py).
# Files over FILE_UPLOAD_MAX_MEMORY_SIZE go to the data directory, never to a shared /tmp.
WELCOMING_UPLOAD_MAX_BYTES = env.int("WELCOMING_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "welcoming.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, said here because it matters
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the form fields beside the file, not the file
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_PERMISSIONS = 0o600

# No personal data in logs or error reports (core/logging.py): records reach standard error
# scrubbed of e-mail addresses and personal fields; error reports (Django's 500 e-mails to
# ADMINS) leave out personal POST fields and frame variables.
DEFAULT_EXCEPTION_REPORTER_FILTER = "welcoming.core.logging.PersonalDataReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "welcoming.core.logging.PersonalDataFilter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["personal_data"],
            "level": env.str("LOG_LEVEL", default="WARNING"),
        },
    },
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- Hardening: content security policy and rate limits (see docs/operations.md) ---------------
# No inline script and no script from elsewhere: htmx comes from django-htmx's static files and
# Swagger UI from django-ninja's. Inline SVG charts carry presentation attributes, not styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Requests per client (API token, signed-in user or address): COUNT/PERIOD, empty for no limit.
RATELIMIT_API = env.str("RATELIMIT_API", default="300/m")
RATELIMIT_FORMS = env.str("RATELIMIT_FORMS", default="60/m")
# The public newcomer sign-up (connections), per address, on top of RATELIMIT_FORMS.
RATELIMIT_SIGNUP = env.str("RATELIMIT_SIGNUP", default="10/h")
RATELIMIT_CACHE = env.str("RATELIMIT_CACHE", default="default")
# The META key holding the client's address behind a proxy (e.g. HTTP_X_REAL_IP); default the
# connection's own address, REMOTE_ADDR.
RATELIMIT_CLIENT_IP_HEADER = env.str("RATELIMIT_CLIENT_IP_HEADER", default="")
# --- end of hardening -------------------------------------------------------------------------
