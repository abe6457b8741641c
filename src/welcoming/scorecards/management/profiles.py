"""What the scorecard commands share: the resolver's refusals as one-line errors."""

from django.core.management.base import CommandError

from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.resolve import (
    ChoiceRefused,
    scorecard_period_resolve,
    scoring_profile_resolve,
)


def profile_named(name: str) -> ScoringProfile:
    """The latest version of the profile `name`, or an error an operator can act on."""
    try:
        return scoring_profile_resolve(name=name)
    except ChoiceRefused as refused:
        raise CommandError(refused.message) from refused


def period_for(level: str, period: str | None) -> str:
    """`period` if the level has scores in it (default: the latest), or a one-line error."""
    try:
        return scorecard_period_resolve(level=level, period=period)
    except ChoiceRefused as refused:
        raise CommandError(refused.message) from refused
