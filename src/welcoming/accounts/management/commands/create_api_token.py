"""`welcoming create-api-token USERNAME --name NAME`: print a new API token once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from welcoming.accounts.models import User
from welcoming.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a person and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                _("No person has the user name %(name)s.") % {"name": options["username"]}
            )
        _token, secret = api_token_create(user=user, name=options["name"])
        self.stdout.write(secret)
        self.stderr.write(_("Keep this token secret: it is shown only once."))
