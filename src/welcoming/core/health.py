"""Is this server fit to serve? Asked once at start (the WSGI module) and by the load balancer.

Two things make every page fail: a database out of reach, and static files never collected (the
manifest storage names each file by its hash, and without the manifest it cannot name any, so
every page that links a style sheet answers 500; it reads the manifest once, when the process
starts, so collecting later does not help until a restart). The second is known before the first
request, so the server refuses to start instead.
"""

import logging
import sys

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

# gunicorn's "App failed to load": its master stops instead of starting workers again and again.
EXIT_NOT_READY = 4


def static_files_missing_message() -> str:
    return (
        f"Static files are not collected in {settings.STATIC_ROOT}: run "
        "`welcoming manage collectstatic --no-input`, then start the server again."
    )


def static_manifest_loaded() -> bool:
    """The names of the collected static files are known to this process (always true for a
    storage without a manifest, as in development)."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return True
    return bool(staticfiles_storage.hashed_files)


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.error("Health check: the database is out of reach: %s", error)
        return False
    return True


def require_collected_static() -> None:
    """Stop the process with one line on standard error when static files were never collected."""
    if not static_manifest_loaded():
        sys.stderr.write(static_files_missing_message() + "\n")
        sys.stderr.flush()
        raise SystemExit(EXIT_NOT_READY)
