"""What the scorecard commands share."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.selectors import scoring_profile_current


def profile_named(name: str) -> ScoringProfile:
    """The latest version of the profile `name`, or an error an operator can act on."""
    try:
        return scoring_profile_current(name=name)
    except ScoringProfile.DoesNotExist as missing:
        raise CommandError(_("No scoring profile is named %(name)s.") % {"name": name}) from missing
