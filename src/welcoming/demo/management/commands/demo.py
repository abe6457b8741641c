"""`welcoming demo`: load real data and a demo account, idempotently."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from welcoming.core.console import console_for
from welcoming.demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_load


class Command(BaseCommand):
    help = "Load the framework, Statistics Canada geography and indicator values, and a demo login."

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            # A fresh data directory has an empty database: create the tables first.
            console.print(_("Creating the database tables (migrate)…"))
            call_command("migrate", interactive=False, verbosity=0)
        with console.status(_("Loading demo data…")) as status:
            report = demo_load(
                say=lambda step: status.update(_("Loaded %(step)s") % {"step": step})
            )
        console.print(
            _("%(communities)d communities and %(values)d indicator values added.")
            % {"communities": report.communities_created, "values": report.values_created}
        )
        console.print(
            _("Demo login: %(username)s / %(password)s (synthetic account)")
            % {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
        )
