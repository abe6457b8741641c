"""`welcoming warm-scorecards [--profile NAME]`: score every level now, not at the first visit."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from welcoming.core.console import console_for
from welcoming.core.models import Community
from welcoming.scorecards.management.profiles import profile_named
from welcoming.scorecards.services import scorecards_warm


class Command(BaseCommand):
    help = (
        "Score every level of geography under a profile and keep the results, so that the first "
        "scorecard page after an import is served at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        profile = profile_named(options["profile"])
        console = console_for(self.stdout)
        with console.status(_("Scoring every level…")):
            ready = scorecards_warm(profile=profile)
        levels = dict(Community.Level.choices)
        for level, period in ready:
            console.print(
                _("Scorecards ready: %(level)s, %(period)s")
                % {"level": levels[level], "period": period}
            )
        if not ready:
            console.print(_("No indicator values yet: nothing to score."))
