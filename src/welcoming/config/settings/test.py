"""The test suite: fast hashing, in-memory mail; the database comes from DATABASE_URL."""

from .base import *  # noqa: F403

SECRET_KEY = "welcoming-tests"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "scores": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "scores"},
}

# Hardening: no rate limit in the suite (tests of the limiter set a low one themselves).
RATELIMIT_API = ""
RATELIMIT_FORMS = ""
