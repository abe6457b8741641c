"""What an HSDS object a steward sends through the API changes, field by field.

The text of a plain HSDS field is in the language of the request; with the bilingual profile
(`x-fr` or `x-en` beside it, `x-lang` for a field that exists only in the other language) the
object carries both languages and replaces both. The fields a steward may write are the record's
own (its texts, status, addresses on the web, ages...) and, for a service, its `languages` (by
ISO 639-3 code) and `attributes` (terms of the newcomer-services taxonomy); what the feed import
and the staff pages keep (phones, schedules, sites...) may be sent back as it was read, and a
body that changes it is refused with the field named, never silently ignored.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pycountry
from django.conf import settings
from django.utils.translation import gettext as _

from .. import organization_services, steward_services
from ..models import Service, TaxonomyTerm
from ..taxonomy import newcomer_term_ids
from .serialise import Record

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
PROFILE = frozenset({"x-lang"} | {f"x-{code}" for code in LANGUAGES})
# Kept by the directory itself: sent back as read or not, they change nothing.
SERVER_KEPT = frozenset({"id", "last_modified", "x-last-verified"})


class ChangeRefused(ValueError):
    """A body that cannot be written as it is; `loc` names the field, as a 422 does."""

    def __init__(self, loc: Iterable[str | int], message: str) -> None:
        super().__init__(message)
        self.loc = ["body", *loc]
        self.message = message


@dataclass(frozen=True)
class Changes:
    fields: dict[str, Any]  # model field name -> value, text fields per language (name_fr)
    term_ids: list[int] | None = None  # None: the terms are left as they are
    language_codes: list[str] | None = None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _no_nul(value: Any, loc: list[str | int]) -> None:
    """PostgreSQL holds no NUL character in text: refused here rather than failing there."""
    if isinstance(value, str) and "\x00" in value:
        raise ChangeRefused(loc, _("The text holds a NUL character."))
    if isinstance(value, dict):
        for key, item in value.items():
            _no_nul(item, [*loc, key])
    if isinstance(value, list):
        for index, item in enumerate(value):
            _no_nul(item, [*loc, index])


def texts(record: Record, names: Iterable[str], *, language: str) -> dict[str, str]:
    """The text fields `names` in each language the body gives."""
    other = next(code for code in LANGUAGES if code != language)
    second = record.get(f"x-{other}", {})
    only = record.get("x-lang", {})
    for key, value in ((f"x-{other}", second), ("x-lang", only)):
        if not isinstance(value, dict):
            raise ChangeRefused([key], _("This must be an object of texts by field name."))
    names = list(names)
    for key in set(second) - set(names):
        raise ChangeRefused([f"x-{other}", key], _("This is not a text field of the record."))
    for key, code in only.items():
        if key not in names or code not in LANGUAGES:
            raise ChangeRefused(["x-lang", key], _("This must name a text field and en or fr."))
    bilingual = bool(PROFILE & set(record))
    out: dict[str, str] = {}
    for name in names:
        plain = record.get(name) or ""
        in_other = only.get(name) == other
        out[f"{name}_{language}"] = "" if in_other else plain
        if bilingual:
            text = plain if in_other else second.get(name) or ""
            if not isinstance(text, str):
                raise ChangeRefused([f"x-{other}", name], _("This must be a text."))
            out[f"{name}_{other}"] = text
    return out


def unchanged(record: Record, current: Record, writable: Iterable[str]) -> None:
    """Refuse a body that changes what this API does not write (`current` as read)."""
    skip = set(writable) | SERVER_KEPT | PROFILE
    for key, value in record.items():
        if key in skip:
            continue
        was = current.get(key)
        if value != was and not (_empty(value) and _empty(was)):
            raise ChangeRefused(
                [key],
                _(
                    "This field cannot be changed through the API: send it as it was read, or "
                    "leave it out (the feed import and the staff pages keep it)."
                ),
            )


def plain_values(record: Record, names: Iterable[str]) -> dict[str, Any]:
    """The non-text fields `names`, an absent one emptied (the body replaces the record)."""
    return {name: record.get(name) for name in names}


def organization_changes(record: Record, *, language: str, current: Record | None) -> Changes:
    text, plain = organization_services.TEXT_FIELDS, organization_services.PLAIN_FIELDS
    _no_nul(record, [])
    unchanged(record, current or {}, [*text, *plain])
    values = plain_values(record, plain)
    fields = {k: ("" if v is None and k != "year_incorporated" else v) for k, v in values.items()}
    return Changes(fields | texts(record, text, language=language))


def service_changes(
    record: Record, *, language: str, current: Record | None, service: Service | None
) -> Changes:
    """What the body changes of `service` (None: a new one), given the service as read."""
    text, plain = steward_services.TEXT_FIELDS, steward_services.PLAIN_FIELDS
    _no_nul(record, [])
    writable = [*text, *plain, "languages", "attributes"]
    if service is None:
        writable.append("organization_id")
    unchanged(record, current or {}, writable)
    fields: dict[str, Any] = plain_values(record, plain)
    fields |= texts(record, text, language=language)
    return Changes(
        fields,
        term_ids=_terms(record["attributes"], service) if "attributes" in record else None,
        language_codes=_codes(record["languages"]) if "languages" in record else None,
    )


def _codes(languages: list[Any]) -> list[str]:
    codes = []
    for index, language in enumerate(languages):
        code = str(language.get("code") or "").strip().lower()
        if pycountry.languages.get(alpha_3=code) is None:
            raise ChangeRefused(
                ["languages", index, "code"],
                _("Give the language as its ISO 639-3 code (fra, eng, ara...)."),
            )
        codes.append(code)
    return codes


def _terms(attributes: list[Any], service: Service | None) -> list[int]:
    """The newcomer-services terms the body gives; the other terms (another taxonomy's, or the
    Open Eligibility terms derived from the newcomer ones) must be the service's already."""
    wanted: dict[str, int] = {}
    for index, attribute in enumerate(attributes):
        term = attribute.get("taxonomy_term_id") or (attribute.get("taxonomy_term") or {}).get("id")
        wanted[str(term)] = index
    found = {str(h): pk for h, pk in _term_pks(wanted)}
    for hsds_id, index in wanted.items():
        if hsds_id not in found:
            raise ChangeRefused(
                ["attributes", index, "taxonomy_term_id"], _("No taxonomy term has this id.")
            )
    newcomer = newcomer_term_ids()
    others = {pk for pk in found.values() if pk not in newcomer}
    kept: set[int] = set()
    derived: set[int] = set()
    if service is not None:
        for pk, link_type in service.attributes.values_list("taxonomy_term_id", "link_type"):
            (derived if link_type == steward_services.MAPPED else kept).add(pk)
    kept -= newcomer
    added = others - kept - derived
    if added or kept - others:
        at = next((wanted[h] for h, pk in found.items() if pk in added), None)
        raise ChangeRefused(
            ["attributes"] if at is None else ["attributes", at],
            _(
                "Only terms of the newcomer-services taxonomy can be added or removed through "
                "the API; the terms of other taxonomies are kept by the feed import."
            ),
        )
    return sorted(pk for pk in found.values() if pk in newcomer)


def uuids(values: Iterable[Any]) -> list[uuid.UUID]:
    """The values that are UUIDs (HSDS ids), as UUIDs; the others left out."""
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def _term_pks(hsds_ids: Iterable[str]) -> list[tuple[Any, int]]:
    return list(
        TaxonomyTerm.objects.filter(hsds_id__in=uuids(hsds_ids)).values_list("hsds_id", "pk")
    )
