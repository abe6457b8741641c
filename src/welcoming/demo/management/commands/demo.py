"""`welcoming demo`: load real data and one synthetic account per role, idempotently."""

import secrets
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from welcoming.accounts.services import operator_user
from welcoming.core.console import console_for
from welcoming.demo.services import demo_load

DEMO_PASSWORD = "welcoming-demo"  # for a development machine only (DEBUG on)


class Command(BaseCommand):
    help = (
        "Load the framework, Statistics Canada geography and indicator values, and one "
        "synthetic account per role in two demo organizations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run although DEBUG is off; the demo accounts get a random password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                _(
                    "DEBUG is off: this looks like a production installation, and the demo "
                    "adds accounts that can sign in. Add --allow-production to load it anyway."
                )
            )
        # Off a development machine a published password would be an open door.
        password = DEMO_PASSWORD if settings.DEBUG else secrets.token_urlsafe(12)
        console = console_for(self.stdout)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            # A fresh data directory has an empty database: create the tables first.
            console.print(_("Creating the database tables (migrate)…"))
            call_command("migrate", interactive=False, verbosity=0)
        with console.status(_("Loading demo data…")) as status:
            report = demo_load(
                actor=operator_user(),
                password=password,
                say=lambda step: status.update(_("Loaded %(step)s") % {"step": step}),
            )
        console.print(
            _("%(communities)d communities and %(values)d indicator values added.")
            % {"communities": report.communities_created, "values": report.values_created}
        )
        # Plain lines, not a table: a sentence per account must stay whole in any terminal.
        self.stdout.write(_("Demo accounts (synthetic people), one per role:"))
        organization = None
        for account in report.accounts:
            if account.organization != organization:
                organization = account.organization
                self.stdout.write(f"\n{organization}")
            self.stdout.write(f"  {account.username} ({account.role}): {account.may_do}")
        if report.password is not None:
            console.print(_("Demo password: %(password)s") % {"password": report.password})
        else:
            console.print(_("The demo accounts already existed and keep their passwords."))
