"""gunicorn's settings for Welcoming in production (docs/operations.md):

    gunicorn -c python:welcoming.config.gunicorn welcoming.config.wsgi

Each setting can be changed on the command line (`--workers 8`) or in the environment
(`WEB_CONCURRENCY`, `GUNICORN_BIND`, `GUNICORN_TIMEOUT`).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages spend their time computing, not waiting. Two per core keeps the cores busy
# while one worker waits on the database; more only adds memory, since each keeps its own
# scored levels (tens of MB each).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
worker_class = "sync"
# The application is loaded once, before the workers fork: a server that cannot serve (static
# files never collected) stops at once with one line, and the workers share its memory.
preload_app = True
# The first page of a level after an import scores it (seconds at national scale) and a PDF takes
# a few seconds: a request may take that long, not longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5  # behind a proxy that keeps connections open
# Logs for the process manager: requests on standard output, errors on standard error. An
# access line gives the time taken (microseconds) and ends with the request id that the
# application's own log lines carry (X-Request-ID).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus [%({x-request-id}o)s]'
