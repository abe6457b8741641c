"""`welcoming import-indicators FILE`: import values, all or nothing, every bad row reported."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.progress import Progress
from rich.table import Table

from welcoming.accounts.services import operator_user
from welcoming.core.console import console_for
from welcoming.indicators.importing.stream import sniff
from welcoming.indicators.services import FORMATS, ImportConflict, ImportRejected, value_import


class Command(BaseCommand):
    help = "Import indicator values from a Statistics Canada file or a tidy CSV/XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="statcan or tidy (default: tidy for XLSX content and tidy headers).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; write nothing."
        )
        parser.add_argument(
            "--source",
            default="",
            help="Whose data this is, shown beside every value (tidy files; default: file name).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        file_format = options["format"] or _guess_format(path)
        console = console_for(self.stdout)
        try:
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(_("Importing"), total=None)
                report = value_import(
                    source=path,
                    file_name=path.name,
                    format=file_format,
                    actor=operator_user(),
                    dry_run=options["dry_run"],
                    source_text=options["source"],
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        except ImportConflict as conflict:
            raise CommandError(str(conflict), returncode=1) from conflict
        except ImportRejected as rejected:
            table = Table(
                title=_("Nothing was imported: %(count)d errors") % {"count": rejected.count}
            )
            for heading in (_("Line"), _("Column"), _("Value"), _("Reason")):
                table.add_column(heading)
            for error in rejected.errors:
                table.add_row(str(error.line), error.column, error.value, error.reason)
            errors = console_for(self.stderr)
            errors.print(table)
            if rejected.more:
                errors.print(
                    _("… and %(count)d more errors, not listed.") % {"count": rejected.more}
                )
            raise CommandError(
                _("%(file)s was not imported.") % {"file": path.name}, returncode=1
            ) from rejected
        summary = Table(title=_("Dry run: nothing written") if report.dry_run else path.name)
        summary.add_column(_("Rows read"))
        summary.add_column(_("Created"))
        summary.add_column(_("Updated"))
        summary.add_column(_("Unchanged"))
        summary.add_row(
            *(
                str(n)
                for n in (
                    report.rows_read,
                    report.values_created,
                    report.values_updated,
                    report.values_unchanged,
                )
            )
        )
        console.print(summary)


def _guess_format(path: Path) -> str:
    """tidy for a workbook or a tidy header, statcan otherwise: by content, not by name."""
    with path.open("rb") as stream:
        if sniff(stream, "") == "xlsx":
            return "tidy"
        header = stream.readline(64 * 1024).decode("utf-8", errors="replace").lower()
    return "tidy" if "indicator_code" in header else "statcan"
