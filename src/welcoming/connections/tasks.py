"""Background tasks of the connections app, run by `welcoming worker`."""

from django_tasks import task

from .runs import match_run_execute


@task()
def match_run_execute_task(*, run_id: int) -> str:
    """Run one queued matching; the outcome is kept on the run, not in the task's result."""
    return match_run_execute(run_id=run_id).status
