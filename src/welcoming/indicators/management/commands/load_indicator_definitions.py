"""`welcoming load-indicator-definitions [FILE]`: validate and load indicator definitions."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from welcoming.accounts.services import operator_user
from welcoming.core.console import console_for
from welcoming.indicators.definitions import DefinitionsInvalid
from welcoming.indicators.services import indicator_definitions_load


class Command(BaseCommand):
    help = "Validate and load indicator definitions (default: those shipped with Welcoming)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changed = indicator_definitions_load(actor=operator_user(), path=options["file"])
        except DefinitionsInvalid as invalid:
            for problem in invalid.problems:
                console_for(self.stderr).print(f"{invalid.file_name}: {problem}")
            raise CommandError(
                _("Nothing was loaded: %(count)d problems.") % {"count": len(invalid.problems)}
            ) from invalid
        console_for(self.stdout).print(
            _("%(count)d indicator definitions loaded or changed.") % {"count": changed}
        )
