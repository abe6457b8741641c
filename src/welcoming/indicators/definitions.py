"""Validate indicator definition files (YAML) before anything touches the database."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from welcoming.framework.validation import FrameworkInvalid, Problem

from .models import Indicator

SCHEMA_VERSION = 1
_TOP_KEYS = {"kind", "schema_version", "sources", "indicators"}
_SOURCE_KEYS = {
    "name_en",
    "name_fr",
    "licence_en",
    "licence_fr",
    "attribution_en",
    "attribution_fr",
}
_INDICATOR_KEYS = {
    "code", "name_en", "name_fr", "definition_en", "definition_fr", "computation_en",
    "computation_fr", "unit", "direction", "target", "valid_min", "valid_max", "qolrs",
    "characteristics", "source", "geography", "statcan", "metropolitan",
}  # fmt: skip
_BILINGUAL = ("name", "definition", "computation")


class DefinitionsInvalid(FrameworkInvalid):
    """Same shape as a framework error: a file name and every problem with its place."""


def _text_missing(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def validate_definitions(
    data: Any, *, file_name: str, characteristics: set[str], categories: set[str]
) -> None:
    """Raise DefinitionsInvalid listing every problem of an indicator file."""
    problems: list[Problem] = []

    def add(where: str, message: str) -> None:
        problems.append(Problem(where, message))

    if not isinstance(data, Mapping) or data.get("kind") != "indicators":
        raise DefinitionsInvalid(file_name, [Problem("kind", _("expected indicators"))])
    for key in sorted(set(data) - _TOP_KEYS):
        add(f"file.{key}", _("unknown key"))
    if data.get("schema_version") != SCHEMA_VERSION:
        add(
            "schema_version",
            _("this version of Welcoming reads schema version %(version)s")
            % {"version": SCHEMA_VERSION},
        )
    sources = data.get("sources") or {}
    for name, source in sources.items():
        for key in sorted(set(source) - _SOURCE_KEYS):
            add(f"sources.{name}.{key}", _("unknown key"))
        for key in sorted(_SOURCE_KEYS):
            if _text_missing(source.get(key)):
                message = (
                    _("the French text is missing")
                    if key.endswith("_fr")
                    else _("required text is missing")
                )
                add(f"sources.{name}.{key}", message)
    seen: set[str] = set()
    for i, item in enumerate(data.get("indicators") or []):
        where = f"indicators[{i}] ({item.get('code')})" if item.get("code") else f"indicators[{i}]"
        for key in sorted(set(item) - _INDICATOR_KEYS):
            add(f"{where}.{key}", _("unknown key"))
        if item.get("code") in seen:
            add(f"{where}.code", _("duplicate value %(value)s") % {"value": item.get("code")})
        seen.add(item.get("code"))
        for stem in _BILINGUAL:
            if _text_missing(item.get(f"{stem}_en")):
                add(f"{where}.{stem}_en", _("required text is missing"))
            if _text_missing(item.get(f"{stem}_fr")):
                add(f"{where}.{stem}_fr", _("the French text is missing"))
        if item.get("unit") not in Indicator.Unit.values:
            add(
                f"{where}.unit",
                _("expected one of %(values)s") % {"values": ", ".join(Indicator.Unit.values)},
            )
        if item.get("direction") not in Indicator.Direction.values:
            add(
                f"{where}.direction",
                _("expected one of %(values)s") % {"values": ", ".join(Indicator.Direction.values)},
            )
        if item.get("direction") == Indicator.Direction.TARGET and item.get("target") is None:
            add(f"{where}.target", _("an indicator with a target direction needs a target"))
        if item.get("qolrs") not in categories:
            add(
                f"{where}.qolrs",
                _("no QOLRS category has the code %(code)s") % {"code": item.get("qolrs")},
            )
        for code in item.get("characteristics") or []:
            if code not in characteristics:
                add(
                    f"{where}.characteristics",
                    _("no characteristic has the code %(code)s") % {"code": code},
                )
        _check_statcan(item.get("statcan"), f"{where}.statcan", add)
        if item.get("metropolitan") not in (None, "population-weighted"):
            add(f"{where}.metropolitan", _("expected population-weighted"))
        if item.get("source") not in sources:
            add(
                f"{where}.source",
                _("no source has the name %(name)s") % {"name": item.get("source")},
            )
    if problems:
        raise DefinitionsInvalid(file_name, problems)


def _check_statcan(mapping: Any, where: str, add: Any) -> None:
    """`statcan: {full_table: {member: {...}}}` or `{census_profile: {characteristic: N}}`."""
    if mapping is None:
        return
    if not isinstance(mapping, Mapping) or set(mapping) - {"full_table", "census_profile"}:
        add(where, _("expected full_table or census_profile"))
        return
    table = mapping.get("full_table")
    if table is not None and (
        not isinstance(table, Mapping) or not isinstance(table.get("member"), Mapping)
    ):
        add(f"{where}.full_table", _("expected a member: a mapping of dimension to member name"))
    profile = mapping.get("census_profile")
    if profile is not None and (
        not isinstance(profile, Mapping)
        or not isinstance(profile.get("characteristic"), int)
        or not isinstance(profile.get("denominator", 0), int)
    ):
        add(f"{where}.census_profile", _("expected a characteristic number (and a denominator)"))
