"""Validate framework YAML before anything touches the database.

A framework file is data written by people (a municipality may add its own), so the validator
reports every problem at once, each with the place it was found, instead of stopping at the first.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

SCHEMA_VERSION = 1
KIND_FRAMEWORK = "framework"
KIND_CATEGORIES = "qolrs-categories"

_TOP_KEYS = {
    KIND_FRAMEWORK: {"kind", "schema_version", "framework", "groups", "characteristics"},
    KIND_CATEGORIES: {"kind", "schema_version", "categories"},
}
_FRAMEWORK_KEYS = {"code", "version", "name_en", "name_fr", "citation_en", "citation_fr"}
_GROUP_KEYS = {"code", "order", "name_en", "name_fr"}
_CHARACTERISTIC_KEYS = {
    "code",
    "rank",
    "group",
    "subgroup",
    "name_en",
    "name_fr",
    "description_en",
    "description_fr",
    "qolrs",
    "survey_only",
    "survey_guidance_en",
    "survey_guidance_fr",
}
_CATEGORY_KEYS = {"code", "order", "name_en", "name_fr", "highlighted"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a framework file: where, and what."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class FrameworkInvalid(Exception):
    def __init__(self, file_name: str, problems: list[Problem]) -> None:
        self.file_name = file_name
        self.problems = problems
        super().__init__(f"{file_name}: " + "; ".join(str(p) for p in problems))


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def mapping(self, value: Any, location: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.add(location, _("expected a mapping of keys to values"))
            return {}
        return value

    def items(self, value: Any, location: str) -> list[Mapping[str, Any]]:
        if not isinstance(value, list) or not value:
            self.add(location, _("expected a non-empty list"))
            return []
        return [self.mapping(item, f"{location}[{i}]") for i, item in enumerate(value)]

    def keys(self, data: Mapping[str, Any], allowed: set[str], location: str) -> None:
        for key in sorted(set(data) - allowed):
            self.add(f"{location}.{key}", _("unknown key"))

    def text(self, data: Mapping[str, Any], key: str, location: str) -> None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if key.endswith("_fr"):
                self.add(f"{location}.{key}", _("the French text is missing"))
            else:
                self.add(f"{location}.{key}", _("required text is missing"))
        elif not isinstance(value, str):
            self.add(f"{location}.{key}", _("expected text"))

    def bilingual(self, data: Mapping[str, Any], stem: str, location: str) -> None:
        self.text(data, f"{stem}_en", location)
        self.text(data, f"{stem}_fr", location)

    def positive_int(self, data: Mapping[str, Any], key: str, location: str) -> None:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.add(f"{location}.{key}", _("expected a whole number of 1 or more"))

    def unique(self, items: Iterable[Mapping[str, Any]], key: str, location: str) -> set[Any]:
        seen: set[Any] = set()
        for i, item in enumerate(items):
            value = item.get(key)
            if value is None:
                continue
            if value in seen:
                self.add(
                    f"{location}[{i}].{key}", _("duplicate value %(value)s") % {"value": value}
                )
            seen.add(value)
        return seen


def _where(section: str, index: int, item: Mapping[str, Any]) -> str:
    code = item.get("code")
    return f"{section}[{index}] ({code})" if code else f"{section}[{index}]"


def _check_categories(check: _Checker, data: Mapping[str, Any]) -> None:
    categories = check.items(data.get("categories"), "categories")
    for i, item in enumerate(categories):
        where = _where("categories", i, item)
        check.keys(item, _CATEGORY_KEYS, where)
        check.text(item, "code", where)
        check.positive_int(item, "order", where)
        check.bilingual(item, "name", where)
        if not isinstance(item.get("highlighted", False), bool):
            check.add(f"{where}.highlighted", _("expected true or false"))
    check.unique(categories, "code", "categories")
    check.unique(categories, "order", "categories")


def _check_framework(check: _Checker, data: Mapping[str, Any], known_categories: set[str]) -> None:
    header = check.mapping(data.get("framework"), "framework")
    check.keys(header, _FRAMEWORK_KEYS, "framework")
    check.text(header, "code", "framework")
    if not isinstance(header.get("version"), str | int | float):
        check.add("framework.version", _("required text is missing"))
    check.bilingual(header, "name", "framework")

    groups = check.items(data.get("groups"), "groups")
    for i, item in enumerate(groups):
        where = _where("groups", i, item)
        check.keys(item, _GROUP_KEYS, where)
        check.text(item, "code", where)
        check.positive_int(item, "order", where)
        check.bilingual(item, "name", where)
    group_codes = check.unique(groups, "code", "groups")

    characteristics = check.items(data.get("characteristics"), "characteristics")
    for i, item in enumerate(characteristics):
        where = _where("characteristics", i, item)
        check.keys(item, _CHARACTERISTIC_KEYS, where)
        check.text(item, "code", where)
        check.positive_int(item, "rank", where)
        check.bilingual(item, "name", where)
        check.bilingual(item, "description", where)
        if item.get("group") not in group_codes:
            check.add(
                f"{where}.group",
                _("no group has the code %(code)s") % {"code": item.get("group")},
            )
        qolrs = item.get("qolrs", [])
        if not isinstance(qolrs, list):
            check.add(f"{where}.qolrs", _("expected a list of QOLRS category codes"))
            qolrs = []
        for code in qolrs:
            if code not in known_categories:
                check.add(
                    f"{where}.qolrs",
                    _("no QOLRS category has the code %(code)s") % {"code": code},
                )
        survey_only = item.get("survey_only", False)
        if not isinstance(survey_only, bool):
            check.add(f"{where}.survey_only", _("expected true or false"))
        elif survey_only:
            check.bilingual(item, "survey_guidance", where)
    check.unique(characteristics, "code", "characteristics")
    check.unique(characteristics, "rank", "characteristics")


def validate(data: Any, *, file_name: str, known_categories: set[str]) -> str:
    """Check a parsed file and return its kind; raise FrameworkInvalid listing every problem."""
    check = _Checker()
    root = check.mapping(data, "file")
    kind = root.get("kind")
    if kind not in _TOP_KEYS:
        check.add(
            "kind",
            _("expected %(kinds)s") % {"kinds": f"{KIND_FRAMEWORK} | {KIND_CATEGORIES}"},
        )
        raise FrameworkInvalid(file_name, check.problems)
    check.keys(root, _TOP_KEYS[kind], "file")
    if root.get("schema_version") != SCHEMA_VERSION:
        check.add(
            "schema_version",
            _("this version of Welcoming reads schema version %(version)s")
            % {"version": SCHEMA_VERSION},
        )
    if kind == KIND_CATEGORIES:
        _check_categories(check, root)
    else:
        _check_framework(check, root, known_categories)
    if check.problems:
        raise FrameworkInvalid(file_name, check.problems)
    return str(kind)
