"""`welcoming directory SUBCOMMAND ...`: the directory's operator commands (see `directory.cli`)."""

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from welcoming.directory import cli


def subcommands() -> dict[str, ModuleType]:
    found = {}
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"{cli.__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found[module.NAME] = module
    return dict(sorted(found.items()))


class Command(BaseCommand):
    help = "The directory of services: import and export HSDS feeds, search."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        for name, module in subcommands().items():
            sub = commands.add_parser(name, help=module.HELP, description=module.HELP)
            module.add_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        subcommands()[options["subcommand"]].run(self, options)
