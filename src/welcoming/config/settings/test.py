"""The test suite: fast hashing, in-memory mail, tasks run at once; the database comes from
DATABASE_URL."""

from .base import *  # noqa: F403

SECRET_KEY = "welcoming-tests"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "scores": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "scores"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}

# Hardening: no rate limit in the suite (tests of the limiter set a low one themselves).
RATELIMIT_API = ""
RATELIMIT_FORMS = ""
RATELIMIT_SIGNUP = ""
# Administrators' second factor is asked for only by the tests about it (tests/accounts), so the
# other tests sign administrators in with force_login as before; django-axes stays on (its
# failures are rows that each test rolls back).
TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS = False
# A task runs as it is queued; one test runs the database backend's worker on a queued task.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
