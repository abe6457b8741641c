"""Background tasks of the scorecards app, run by `welcoming worker`."""

from typing import Any

from django_tasks import task

from .selectors import scoring_profile_current
from .services import scorecards_warm


@task()
def scorecards_warm_task(*, profile_name: str = "default") -> int:
    """Score every level under a profile, so that no visitor waits after an import; returns
    how many levels are ready."""
    return len(scorecards_warm(profile=scoring_profile_current(name=profile_name)))


def warm_after_import(**kwargs: Any) -> None:
    """Receiver of `indicators.signals.values_imported`: queue the warming of the default
    profile's scores (a worker computes them; the import's job has already ended)."""
    scorecards_warm_task.enqueue()
