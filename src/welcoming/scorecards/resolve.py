"""What every face of the scorecards accepts — a profile by name, a period — resolved once.

The pages, the API and the commands call these functions, so they cannot disagree about a bad
input: each raises `ChoiceRefused` with the field at fault and a sentence for a person. The page
answers 404 with the sentence, the API 404 (unknown profile) or 422 (bad period) with
`{"detail": ..., "errors": {field: [...]}}`, a command one line.
"""

from django.utils.translation import gettext as _

from .models import ScoringProfile
from .selectors import scorecard_periods, scoring_profile_current


class ChoiceRefused(Exception):
    """A profile or period that cannot be used; `missing` when it names nothing that exists."""

    def __init__(self, field: str, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.missing = missing


def scoring_profile_resolve(*, name: str | None) -> ScoringProfile:
    """The latest version of the profile `name` (default: "default")."""
    chosen = name or "default"
    try:
        return scoring_profile_current(name=chosen)
    except ScoringProfile.DoesNotExist as missing:
        raise ChoiceRefused(
            "profile", _("No scoring profile is named %(name)s.") % {"name": chosen}, missing=True
        ) from missing


def scorecard_period_resolve(*, level: str, period: str | None) -> str:
    """`period` if the level has scores in it, else the latest period with scores when none is
    asked; "" when the level has no scores at all and no period is asked."""
    periods = scorecard_periods(level=level)
    if not period:
        return periods[0] if periods else ""
    if period in periods:
        return period
    if not periods:
        message = _("There are no scores at this level yet, so none for %(period)s.")
        raise ChoiceRefused("period", message % {"period": period})
    message = _("There are no scores for the period %(period)s. Periods with scores: %(periods)s.")
    raise ChoiceRefused("period", message % {"period": period, "periods": ", ".join(periods)})
