"""`welcoming connections-erase --newcomer ID | --host ID --reason TEXT`: erase a person's data
on their request, as the operator (connections/erasure.py says what goes and what stays).
Exit codes: 0 erased, 2 bad input (an unknown profile, no reason, already erased)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from welcoming.accounts.services import operator_user
from welcoming.connections.erasure import host_profile_erase, newcomer_profile_erase

from ._profiles import add_profile_arguments, profile_named


class Command(BaseCommand):
    help = "Erase a newcomer's or host's personal data on their request."

    def add_arguments(self, parser: CommandParser) -> None:
        add_profile_arguments(parser)
        parser.add_argument(
            "--reason",
            required=True,
            help="Who asked and when, without personal details (kept in the audit trail).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind, profile = profile_named(options)
        erase = newcomer_profile_erase if kind == "newcomer" else host_profile_erase
        try:
            erase(profile=profile, actor=operator_user(), reason=options["reason"])  # type: ignore[arg-type]
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages), returncode=2) from refused
        self.stdout.write(_("Erased: %(profile)s.") % {"profile": profile})
