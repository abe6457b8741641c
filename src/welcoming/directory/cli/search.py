"""`welcoming directory search TEXT`: the search of the directory's pages, from a terminal.

`--format json` prints the results as JSON on standard output, raw (not through the rich
console, which would wrap long lines), for scripts."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from rich.table import Table

from welcoming.core.console import console_for
from welcoming.core.text import localized
from welcoming.directory.search import (
    DEFAULT_RADIUS_KM,
    PlaceError,
    ServiceQuery,
    ServiceResults,
    Suggestion,
    place_resolve,
    service_search,
)

NAME = "search"
HELP = "Search the directory by words, near a postal code or community, in English or French."


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("text", help="What to look for, in English or French.")
    parser.add_argument("--near", default="", help="A postal code, a community or lat,lon.")
    parser.add_argument("--radius", type=int, default=DEFAULT_RADIUS_KM, help="Kilometres.")
    parser.add_argument("--lang", choices=["en", "fr"], default="en", help="Names in.")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--limit", type=int, default=20, help="How many results to show.")


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    with translation.override(options["lang"]):
        try:
            near = place_resolve(options["near"]) if options["near"].strip() else None
        except PlaceError as error:
            raise CommandError(str(error), returncode=2) from error
        query = ServiceQuery(
            text=options["text"],
            near=near,
            radius_km=options["radius"],
            per_page=max(1, options["limit"]),
        )
        results = service_search(query)
        if options["format"] == "json":
            command.stdout.write(json.dumps(as_json(results), ensure_ascii=False, indent=2))
        else:
            _print_table(command, results)


def as_json(results: ServiceResults) -> dict[str, Any]:
    """The results as plain data: ids are HSDS ids, names in the active language."""
    return {
        "text": results.query.text,
        "near": results.query.near.label if results.query.near else None,
        "radius_km": results.query.radius_km if results.query.near else None,
        "total": results.total,
        "complete": results.complete,
        "approximate": results.approximate,
        "results": [
            {
                "id": str(hit.service.hsds_id),
                "name": _text(hit.service, "name"),
                "organization": _text(hit.service.organization, "name"),
                "distance_km": None if hit.distance_km is None else round(hit.distance_km, 1),
            }
            for hit in results.hits
        ],
        "suggestions": [_suggestion(s) for s in results.suggestions],
    }


def _text(record: Any, field: str) -> dict[str, str]:
    found = localized(record, field)
    return {"text": found.text, "lang": found.lang}


def _suggestion(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "kind": suggestion.kind,
        "count": suggestion.count,
        "radius_km": suggestion.radius_km,
        "filter": suggestion.filter_name or None,
        "service": str(suggestion.service.hsds_id) if suggestion.service else None,
        "distance_km": None if suggestion.distance_km is None else round(suggestion.distance_km, 1),
    }


def _print_table(command: BaseCommand, results: ServiceResults) -> None:
    console = console_for(command.stdout)
    if not results.hits:
        console.print(_("No service matches all of this."))
        for suggestion in results.suggestions:
            console.print(f"- {_suggestion_text(suggestion)}")
        return
    table = Table(title=_("%(count)s services found") % {"count": results.total})
    for column in (_("Service"), _("Organization"), _("Distance (km)")):
        table.add_column(column)
    for hit in results.hits:
        table.add_row(
            str(localized(hit.service, "name")),
            str(localized(hit.service.organization, "name")),
            "" if hit.distance_km is None else f"{hit.distance_km:.1f}",
        )
    console.print(table)


def _suggestion_text(suggestion: Suggestion) -> str:
    if suggestion.kind == "wider":
        return _("Search within %(km)s km: %(count)s services.") % {
            "km": suggestion.radius_km,
            "count": suggestion.count,
        }
    if suggestion.kind == "language":
        return _("In any language: %(count)s services.") % {"count": suggestion.count}
    if suggestion.kind == "drop":
        return _("Without the filter “%(filter)s”: %(count)s services.") % {
            "filter": suggestion.filter_name,
            "count": suggestion.count,
        }
    assert suggestion.service is not None
    return _("Ask the nearest Welcome Centre: %(name)s, %(km).0f km away.") % {
        "name": localized(suggestion.service, "name"),
        "km": suggestion.distance_km or 0,
    }
