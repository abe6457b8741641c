"""`welcoming directory export-hsds DIR`: the directory as HSDS 3.0 (JSON and CSV package)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from welcoming.accounts.services import operator_user
from welcoming.core.console import console_for
from welcoming.directory.services import directory_export

NAME = "export-hsds"
HELP = "Write the directory as HSDS 3.0: directory.json and the tabular CSV package."


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("directory", type=Path)
    parser.add_argument(
        "--plain",
        action="store_true",
        help="Plain HSDS without the bilingual profile (English, or French where "
        "there is no English).",
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    directory: Path = options["directory"]
    if directory.exists() and not directory.is_dir():
        raise CommandError(
            _("%(path)s is a file, not a folder.") % {"path": directory}, returncode=1
        )
    try:
        counts = directory_export(
            directory=directory, actor=operator_user(), bilingual=not options["plain"]
        )
    except OSError as error:
        raise CommandError(str(error), returncode=1) from error
    console_for(command.stdout).print(
        _("Exported to %(path)s: %(counts)s")
        % {"path": directory, "counts": ", ".join(f"{n} {k}" for k, n in counts.items())},
        soft_wrap=True,
    )
