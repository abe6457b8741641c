"""What `connections-erase` and `connections-export` share: naming one profile by its number."""

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from welcoming.connections.models import HostProfile, NewcomerProfile


def add_profile_arguments(parser: CommandParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--newcomer", metavar="ID", help="The newcomer profile's number.")
    which.add_argument("--host", metavar="ID", help="The host profile's number.")


def profile_named(options: dict[str, Any]) -> tuple[str, NewcomerProfile | HostProfile]:
    """("newcomer" or "host", the profile) named on the command line; exit code 2 otherwise."""
    kind = "newcomer" if options.get("newcomer") is not None else "host"
    model = NewcomerProfile if kind == "newcomer" else HostProfile
    identifier = str(options[kind]).strip()
    profile = model.objects.filter(pk=int(identifier)).first() if identifier.isdigit() else None
    if profile is None:
        message = (
            _("No newcomer profile has the number %(id)s.")
            if kind == "newcomer"
            else _("No host profile has the number %(id)s.")
        )
        raise CommandError(message % {"id": identifier}, returncode=2)
    return kind, profile
