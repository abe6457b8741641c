"""`welcoming directory reindex`: rebuild the search table of every service."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from welcoming.core.console import console_for
from welcoming.directory.search_index import service_search_entries_refresh

NAME = "reindex"
HELP = "Rebuild what search reads about every service (after a restore or a bulk change)."


def add_arguments(parser: CommandParser) -> None:
    """No options: every service is reindexed."""


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    count = service_search_entries_refresh()
    console_for(command.stdout).print(_("%(count)s services reindexed.") % {"count": count})
