"""`welcoming load-framework [FILE]`: validate and load framework YAML files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.table import Table

from welcoming.accounts.services import operator_user
from welcoming.core.console import console_for
from welcoming.framework.services import framework_load
from welcoming.framework.validation import FrameworkInvalid


class Command(BaseCommand):
    help = "Validate and load framework files (default: the frameworks shipped with Welcoming)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="A YAML file or a folder of them.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        path: Path | None = options["file"]
        if path is not None and not path.exists():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            results = framework_load(actor=operator_user(), path=path)
        except FrameworkInvalid as invalid:
            table = Table(title=_("%(file)s is not valid") % {"file": invalid.file_name})
            table.add_column(_("Where"))
            table.add_column(_("Problem"))
            for problem in invalid.problems:
                table.add_row(problem.location, problem.message)
            console_for(self.stderr).print(table)
            raise CommandError(
                _("Nothing was loaded: %(count)d problems.") % {"count": len(invalid.problems)}
            ) from invalid
        for result in results:
            state = _("loaded") if result.changed else _("unchanged")
            console.print(f"{result.file_name}: {result.code} ({state})")
