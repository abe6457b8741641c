"""`welcoming create-api-token USERNAME --name NAME [--scope S ...] [--expires-in-days N]`:
print a new API token once."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from welcoming.accounts.models import Scope, User
from welcoming.accounts.services import DEFAULT_TOKEN_LIFETIME, api_token_create


class Command(BaseCommand):
    help = "Create an API token for a person and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            choices=Scope.values,
            help="What the token lets a program do; repeat for several (default: read).",
        )
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=DEFAULT_TOKEN_LIFETIME.days,
            help="Days until the token stops working (default: %(default)s; 0: never).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                _("No person has the user name %(name)s.") % {"name": options["username"]}
            )
        days = options["expires_in_days"]
        if days < 0:
            raise CommandError(_("--expires-in-days must be 0 (never) or more."))
        try:
            _token, secret = api_token_create(
                user=user,
                name=options["name"],
                scopes=options["scopes"] or [Scope.READ],
                lifetime=timedelta(days=days) if days else None,
            )
        except ValidationError as invalid:
            raise CommandError(" ".join(invalid.messages)) from invalid
        self.stdout.write(secret)
        self.stderr.write(_("Keep this token secret: it is shown only once."))
