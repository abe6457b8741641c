"""`welcoming match --program ID [--solver optimal|stable] [--dry-run]`: run a matching for a
program as the operator, wait for it, and print its summary. Exit codes: 0 done, 1 the run
failed, 2 bad input (an unknown program or solver)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.table import Table

from welcoming.accounts.services import operator_user
from welcoming.connections.explanations import unmatched_lines
from welcoming.connections.models import MatchRun, Program
from welcoming.connections.runs import match_run_create
from welcoming.core.console import console_for

UNMATCHED_SHOWN = 20


class Command(BaseCommand):
    help = "Propose hosts for the waiting newcomers of a connection program."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="The program's number (its id).")
        parser.add_argument(
            "--solver",
            choices=MatchRun.Solver.values,
            default=MatchRun.Solver.OPTIMAL,
            help="optimal: the highest total score; stable: no pair would rather be together.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Compute totals and reasons; propose nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        identifier = str(options["program"])
        program = (
            Program.objects.filter(pk=int(identifier)).first() if identifier.isdigit() else None
        )
        if program is None:
            raise CommandError(
                _("No program has the number %(id)s.") % {"id": identifier}, returncode=2
            )
        run = match_run_create(
            program=program,
            solver=options["solver"],
            actor=operator_user(),
            dry_run=options["dry_run"],
            background=False,
        )
        if run.status != MatchRun.Status.FINISHED:
            raise CommandError(run.error, returncode=1)
        console = console_for(self.stdout)
        title = _("Dry run: nothing proposed") if run.dry_run else str(program)
        summary = Table(title=title)
        for heading in (
            _("Solver"),
            _("Newcomers"),
            _("Hosts"),
            _("Proposals"),
            _("Unmatched"),
            _("Total score"),
            _("Blocking pairs"),
        ):
            summary.add_column(heading)
        summary.add_row(
            run.get_solver_display(),
            str(run.newcomers_count),
            str(run.hosts_count),
            str(run.proposals_count),
            str(run.unmatched_count),
            f"{run.total_score:.2f}",
            str(run.blocking_pairs_count),
        )
        console.print(summary)
        lines = unmatched_lines(run.unmatched[:UNMATCHED_SHOWN])
        if lines:
            reasons = Table(title=_("Why newcomers were left unmatched"))
            reasons.add_column(_("Newcomer"))
            reasons.add_column(_("Reason"))
            for line in lines:
                reasons.add_row(str(line.newcomer_id), line.summary)
            console.print(reasons)
            if run.unmatched_count > len(lines):
                console.print(
                    _("… and %(count)d more: see the run's page.")
                    % {"count": run.unmatched_count - len(lines)}
                )
