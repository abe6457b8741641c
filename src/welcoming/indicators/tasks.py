"""Background tasks of the indicators app, run by `welcoming worker`."""

from django_tasks import task

from .jobs import import_job_run


@task()
def import_job_run_task(*, job_id: int) -> str:
    """Run one queued import; the outcome is kept on the job, not in the task's result."""
    return import_job_run(job_id=job_id).status
