"""`welcoming communities search TEXT`: find communities by name, accents optional."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from rich.table import Table

from welcoming.core.console import console_for
from welcoming.core.selectors import community_search


class Command(BaseCommand):
    help = "Work with communities. Sub-command: search TEXT [--province CODE] [--limit N]."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        search = commands.add_parser("search", help="Find communities by name.")
        search.add_argument("text")
        search.add_argument("--province", help="Two-digit province code, e.g. 35.")
        search.add_argument("--level", choices=["country", "province", "cma", "csd"])
        search.add_argument("--limit", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        found = community_search(
            text=options["text"], province=options["province"], level=options["level"]
        )[: options["limit"]]
        table = Table()
        for heading in (_("Code"), _("Name"), _("Level"), _("Province"), _("Population")):
            table.add_column(heading)
        for community in found:
            parent = community.parent
            province = parent.name if parent and parent.level == "province" else ""
            population = f"{community.population:,}" if community.population else ""
            table.add_row(
                community.code, community.name, community.get_level_display(), province, population
            )
        console_for(self.stdout).print(table)
