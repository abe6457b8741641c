"""`welcoming directory import PATH`: import an HSDS 3.0, HSDS 1.x or AIRS XML feed."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.table import Table

from welcoming.accounts.services import operator_user
from welcoming.core.console import console_for
from welcoming.directory.hsds.feed import FeedError
from welcoming.directory.services import (
    ACTIONS,
    FORMATS,
    ImportRejected,
    ImportReport,
    directory_import,
)

NAME = "import"
HELP = "Import a feed: a file, a folder of CSV files or a zip (HSDS 3.0, HSDS 1.x, AIRS XML)."
LISTED = 200  # report lines printed; the import run keeps them all


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("path", type=Path)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="hsds3, hsds1 or airs-xml (default: read from the content).",
    )
    parser.add_argument(
        "--source",
        default=None,
        help="The feed's name (default: what the file says, or the source its records come from).",
    )
    parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
    parser.add_argument(
        "--strict", action="store_true", help="Import nothing if any record is bad."
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    path: Path = options["path"]
    try:
        report = directory_import(
            path=path,
            actor=operator_user(),
            format=options["format"],
            source=options["source"],
            dry_run=options["dry_run"],
            strict=options["strict"],
        )
    except (FeedError, PermissionDenied) as error:
        raise CommandError(str(error), returncode=1) from error
    except ImportRejected as rejected:
        _print(command, rejected.report, stderr=True)
        raise CommandError(str(rejected), returncode=1) from rejected
    _print(command, report)


def _print(command: BaseCommand, report: ImportReport, *, stderr: bool = False) -> None:
    console = console_for(command.stderr if stderr else command.stdout)
    problems = [
        i for i in report.items if i["action"] in {"rejected", "dropped", "flagged", "deactivated"}
    ]
    if problems:
        table = Table(title=_("What was not imported as it is, and why"))
        for heading in (_("Action"), _("Record"), _("Identifier"), _("Field"), _("Reason")):
            table.add_column(heading)
        for item in problems[:LISTED]:
            table.add_row(
                item["action"], item["entity"], item["id"], item.get("field", ""), item["reason"]
            )
        console.print(table)
        if len(problems) > LISTED:
            console.print(
                _("… and %(count)d more lines, kept with the import run.")
                % {"count": len(problems) - LISTED}
            )
    if report.dry_run:
        title = _("Dry run of source %(source)s: nothing written") % {"source": report.source}
    elif report.run_id is None:
        title = _("Source %(source)s: nothing changed, nothing written") % {"source": report.source}
    else:
        title = _("Source %(source)s: import run %(run)d") % {
            "source": report.source,
            "run": report.run_id,
        }
    summary = Table(title=title)
    summary.add_column(_("Records"))
    for action in ACTIONS:
        summary.add_column(action)
    summary.add_row(_("all"), *(str(report.totals[a]) for a in ACTIONS))
    for entity, counts in sorted(report.by_entity.items()):
        summary.add_row(entity, *(str(counts.get(a, 0)) for a in ACTIONS))
    console.print(summary)
