"""WSGI entry point for gunicorn (`config/gunicorn.py`) or granian.

It refuses to load, with one line on standard error, when the static files were never collected:
a server started that way would answer every page with an error (core/health.py).
"""

import os

import django
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welcoming.config.settings.production")
django.setup(set_prefix=False)

from welcoming.core.health import require_collected_static  # noqa: E402  (needs the apps)

require_collected_static()  # before the middleware, whose static-file server would only warn
application = WSGIHandler()
