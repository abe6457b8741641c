"""Background tasks of the directory, run by `welcoming worker` (the count of services for the
scorecard is queued from indicator.py)."""

from django_tasks import task

from .import_jobs import feed_import_job_run


@task()
def feed_import_job_run_task(*, job_id: int) -> str:
    """Run one queued feed import; the outcome is kept on the job, not in the task's result."""
    return feed_import_job_run(job_id=job_id).status
