"""`welcoming worker`: run background tasks (imports, warming the scores) until stopped.

The database backend's worker under the project's name, with its options (`--batch` to run what
is queued and stop, `--queue-name`, `--interval`, `--max-tasks`); run one or more per
deployment, beside the web processes.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = (
        "Run background tasks (imports started from the web or the API, warming the scores after "
        "an import) until stopped; --batch runs what is queued and stops."
    )
