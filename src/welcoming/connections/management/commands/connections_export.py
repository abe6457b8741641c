"""`welcoming connections-export --newcomer ID | --host ID [--output FILE]`: everything kept
about one person, as JSON (connections/erasure.py), on standard output or into a file.
Exit codes: 0 done, 2 bad input (an unknown profile)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from welcoming.accounts.services import operator_user
from welcoming.connections.erasure import profile_export

from ._profiles import add_profile_arguments, profile_named


class Command(BaseCommand):
    help = "Export a newcomer's or host's data as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        add_profile_arguments(parser)
        parser.add_argument("--output", type=Path, help="A file to write; standard output else.")

    def handle(self, *args: Any, **options: Any) -> None:
        _kind, profile = profile_named(options)
        data = profile_export(profile=profile, actor=operator_user())
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if options["output"] is None:
            self.stdout.write(text)
        else:
            options["output"].write_text(text + "\n", encoding="utf-8")
