"""`welcoming scorecard CODE [--period P] [--profile NAME] --format json|csv|html|pdf
[--lang en|fr] [--out FILE]`, or `welcoming scorecard --all --format json|csv`."""

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from welcoming.core.models import Community
from welcoming.core.spreadsheets import safe_rows
from welcoming.scorecards.exports import (
    SCORECARD_CSV_HEADER,
    scorecard_rows,
    scorecard_to_dict,
)
from welcoming.scorecards.management.profiles import period_for, profile_named
from welcoming.scorecards.reports import scorecard_report_html, scorecard_report_pdf
from welcoming.scorecards.services import scorecard_compute

REPORTS = {"html", "pdf"}


class Command(BaseCommand):
    help = "Print or save a community's scorecard, or every community's with --all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", nargs="?", help="Statistics Canada code, e.g. 535")
        parser.add_argument("--all", action="store_true", help="Every community of --level")
        parser.add_argument("--level", default="cma", choices=["province", "cma", "csd"])
        parser.add_argument("--period", help="Year (default: the latest with data)")
        parser.add_argument("--profile", default="default")
        parser.add_argument("--format", choices=["json", "csv", "html", "pdf"], default="json")
        parser.add_argument("--lang", choices=["en", "fr"], default="en")
        parser.add_argument("--out", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["code"]) == options["all"]:
            raise CommandError(_("Give one community code, or --all."))
        if options["all"] and options["format"] in REPORTS:
            raise CommandError(_("--all writes JSON or CSV; reports are one community at a time."))
        if options["format"] == "pdf" and not options["out"]:
            raise CommandError(_("A PDF needs --out FILE."))
        profile = profile_named(options["profile"])
        if options["all"]:
            communities = list(Community.objects.filter(level=options["level"]).order_by("code"))
        else:
            found = Community.objects.filter(code=options["code"]).first()
            if found is None:
                raise CommandError(
                    _("No community has the code %(code)s.") % {"code": options["code"]}
                )
            communities = [found]
        with translation.override(options["lang"]):
            cards = []
            for community in communities:
                period = period_for(community.level, options["period"])
                card = scorecard_compute(
                    community=community,
                    period=period,
                    profile=profile,
                    detailed=not options["all"],
                )
                if card is not None:
                    cards.append(card)
            if not cards:
                raise CommandError(_("There are no scored indicators for this community yet."))
            if options["format"] == "pdf":
                pdf = scorecard_report_pdf(cards[0])
                if pdf is None:
                    raise CommandError(_("The PDF report is not available on this server."))
                options["out"].write_bytes(pdf)
                return
            text = _render(cards, options["format"])
        if options["out"]:
            options["out"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")


def _render(cards: list[Any], output: str) -> str:
    if output == "html":
        return scorecard_report_html(cards[0])
    if output == "json":
        payload = [scorecard_to_dict(c) for c in cards]
        return (
            json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2)
            + "\n"
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SCORECARD_CSV_HEADER)
    for card in cards:
        writer.writerows(safe_rows(scorecard_rows(card)))
    return buffer.getvalue()
