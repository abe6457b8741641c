"""The newcomer-services taxonomy and the Open Eligibility taxonomy it maps to, loaded from their
files into the directory's HSDS taxonomy tables.

Loading is idempotent: a second load writes nothing. Ids are derived from the codes (UUID 5), so
a term has the same HSDS id in every installation and a reload never re-keys it. A term that
leaves a file stays in the database: services tagged with it keep their tag until a steward
re-tags them (deleting it would silently untag them).
"""

import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from welcoming.core.history import acting_as
from welcoming.framework.validation import FrameworkInvalid, Problem

from .models import Taxonomy, TaxonomyTerm, TermMapping

DATA = Path(settings.WELCOMING_PACKAGE_DATA)
NEWCOMER_TAXONOMY_FILE = DATA / "directory" / "newcomer_services_taxonomy.yaml"
OPEN_ELIGIBILITY_FILE = DATA / "taxonomies" / "open_eligibility_ohana_oe.json"
OPEN_ELIGIBILITY_CODE = "open-eligibility"
NEWCOMER_TAXONOMY_CODE = "welcoming-newcomer-services"
# A fixed namespace: the ids of the taxonomies and terms are UUID 5 of their codes within it.
ID_NAMESPACE = uuid.UUID("5d0c7c1e-3b0a-4f7e-9a51-6f2b1e0c8a47")

SCHEMA_VERSION = 1
_TEXTS = ("name_en", "name_fr", "description_en", "description_fr")
_TOP_KEYS = {"kind", "schema_version", "taxonomy", "terms"}
_TAXONOMY_KEYS = {
    "code",
    "version",
    "uri",
    "name_en",
    "name_fr",
    "description_en",
    "description_fr",
}
_TERM_KEYS = {
    "code", "name_en", "name_fr", "description_en", "description_fr", "open_eligibility",
    "children",
}  # fmt: skip


class TaxonomyInvalid(FrameworkInvalid):
    """A taxonomy file with problems: its name and every problem with its place."""


@dataclass(frozen=True)
class TermSpec:
    code: str
    parent: str | None
    texts: dict[str, str]
    open_eligibility: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaxonomySpec:
    code: str
    version: str
    uri: str
    texts: dict[str, str]
    terms: tuple[TermSpec, ...]


@dataclass(frozen=True)
class TaxonomyLoadReport:
    created: int
    updated: int
    unchanged: int


def hsds_id(*parts: str) -> uuid.UUID:
    """The stable HSDS id of a taxonomy (its code) or a term (taxonomy code, term code)."""
    return uuid.uuid5(ID_NAMESPACE, "/".join(parts))


# --- reading the files ----------------------------------------------------------------------------


def open_eligibility_spec(path: Path = OPEN_ELIGIBILITY_FILE) -> TaxonomySpec:
    """Open Eligibility as shipped by Ohana API (English only: the French pages fall back)."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def walk(node: Mapping[str, Any], parent: str | None) -> Iterator[TermSpec]:
        for level in ("top_level", "second_level", "third_level", "fourth_level"):
            for child in node.get(level) or []:
                texts = {"name_en": child["@title"], "description_en": child["@title"]}
                yield TermSpec(child["@id"], parent, texts)
                yield from walk(child, child["@id"])

    return TaxonomySpec(
        code=OPEN_ELIGIBILITY_CODE,
        version="ohana-api e3ab280",
        uri="https://github.com/auntbertha/openeligibility",
        texts={
            "name_en": "Open Eligibility",
            "description_en": (
                "Human Services Taxonomy by Aunt Bertha, Inc., licensed under a Creative "
                "Commons Attribution-ShareAlike 3.0 Unported License."
            ),
        },
        terms=tuple(walk(data["taxonomy"], None)),
    )


def newcomer_taxonomy_spec(
    path: Path = NEWCOMER_TAXONOMY_FILE, *, known_targets: set[str] | None = None
) -> TaxonomySpec:
    """Read and validate the newcomer-services taxonomy; every problem is reported at once."""
    try:
        data = yaml.safe_load(path.read_bytes())
    except yaml.YAMLError as error:
        raise TaxonomyInvalid(path.name, [Problem("file", _("this is not valid YAML"))]) from error
    targets = known_targets
    if targets is None:
        targets = {term.code for term in open_eligibility_spec().terms}
    validate_taxonomy(data, file_name=path.name, known_targets=targets)
    header = data["taxonomy"]
    return TaxonomySpec(
        code=header["code"],
        version=str(header["version"]),
        uri=header.get("uri", ""),
        texts={key: header[key] for key in _TEXTS},
        terms=tuple(_flatten(data["terms"], None)),
    )


def _flatten(items: list[dict[str, Any]], parent: str | None) -> Iterator[TermSpec]:
    for item in items:
        texts = {key: item[key] for key in _TEXTS}
        yield TermSpec(item["code"], parent, texts, tuple(item.get("open_eligibility") or ()))
        yield from _flatten(item.get("children") or [], item["code"])


def validate_taxonomy(data: Any, *, file_name: str, known_targets: set[str]) -> None:
    """Raise TaxonomyInvalid listing every problem: keys, missing English or French text,
    duplicate codes and mappings to terms Open Eligibility does not have."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping) or data.get("kind") != "taxonomy":
        raise TaxonomyInvalid(file_name, [Problem("kind", _("expected taxonomy"))])
    for key in sorted(set(data) - _TOP_KEYS):
        problems.append(Problem(f"file.{key}", _("unknown key")))
    if data.get("schema_version") != SCHEMA_VERSION:
        message = _("this version of Welcoming reads schema version %(version)s") % {
            "version": SCHEMA_VERSION
        }
        problems.append(Problem("schema_version", message))
    given = data.get("taxonomy")
    header: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    problems += _entry_problems(header, "taxonomy", _TAXONOMY_KEYS | {"code"})
    if not header.get("version"):
        problems.append(Problem("taxonomy.version", _("required text is missing")))
    seen: set[str] = set()
    problems += _terms_problems(data.get("terms") or [], "terms", seen, known_targets)
    if not seen:
        problems.append(Problem("terms", _("a taxonomy needs at least one term")))
    if problems:
        raise TaxonomyInvalid(file_name, problems)


def _entry_problems(entry: Mapping[str, Any], where: str, keys: set[str]) -> list[Problem]:
    problems = [Problem(f"{where}.{key}", _("unknown key")) for key in sorted(set(entry) - keys)]
    if not isinstance(entry.get("code"), str) or not entry["code"].strip():
        problems.append(Problem(f"{where}.code", _("required text is missing")))
    for key in _TEXTS:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            missing = _("the French text is missing") if key.endswith("_fr") else None
            problems.append(Problem(f"{where}.{key}", missing or _("required text is missing")))
    return problems


def _terms_problems(
    items: Any, where: str, seen: set[str], known_targets: set[str]
) -> list[Problem]:
    if not isinstance(items, list):
        return [Problem(where, _("expected a list of terms"))]
    problems: list[Problem] = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.append(Problem(f"{where}[{i}]", _("expected a term")))
            continue
        code = item.get("code")
        place = f"{where}[{i}] ({code})" if code else f"{where}[{i}]"
        problems += _entry_problems(item, place, _TERM_KEYS)
        if code in seen:
            problems.append(
                Problem(f"{place}.code", _("duplicate value %(value)s") % {"value": code})
            )
        seen.add(str(code))
        for target in item.get("open_eligibility") or []:
            if target not in known_targets:
                message = _("Open Eligibility has no term %(code)s") % {"code": target}
                problems.append(Problem(f"{place}.open_eligibility", message))
        problems += _terms_problems(item.get("children") or [], f"{place}.children", seen,
                                    known_targets)  # fmt: skip
    return problems


# --- writing ------------------------------------------------------------------------------------


def taxonomy_load(*, actor: Any, path: Path | None = None) -> TaxonomyLoadReport:
    """Load Open Eligibility and the newcomer-services taxonomy (from `path` when given), with
    the mappings between them; nothing is written when the file has a problem."""
    if not actor.has_perm("directory.change_taxonomy"):
        raise PermissionDenied(_("You may not change the directory's taxonomies."))
    open_eligibility = open_eligibility_spec()
    newcomer = newcomer_taxonomy_spec(
        path or NEWCOMER_TAXONOMY_FILE, known_targets={t.code for t in open_eligibility.terms}
    )
    with acting_as(actor), transaction.atomic():
        counts = [0, 0, 0]
        for spec in (open_eligibility, newcomer):
            _save_taxonomy(spec, counts)
        _save_mappings(newcomer, open_eligibility, counts)
    return TaxonomyLoadReport(*counts)


def _count(counts: list[int], created: bool, changed: bool) -> None:
    counts[0 if created else 1 if changed else 2] += 1


def _save_taxonomy(spec: TaxonomySpec, counts: list[int]) -> None:
    fields = {"version": spec.version, "uri": spec.uri, **_texts(spec.texts)}
    taxonomy, created, changed = _upsert(Taxonomy, hsds_id(spec.code), fields)
    _count(counts, created, changed)
    existing = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy=taxonomy)}
    for term in spec.terms:  # parents come before their children in a spec
        parent = existing[term.parent] if term.parent else None
        wanted = {"code": term.code, "taxonomy": taxonomy, "parent": parent, **_texts(term.texts)}
        saved, created, changed = _upsert(
            TaxonomyTerm, hsds_id(spec.code, term.code), wanted, existing.get(term.code)
        )
        existing[term.code] = saved
        _count(counts, created, changed)


def _texts(texts: dict[str, str]) -> dict[str, str]:
    """Both languages of name and description; an absent French text stays empty."""
    return {
        f"{stem}_{lang}": texts.get(f"{stem}_{lang}", "").strip()
        for stem in ("name", "description")
        for lang in ("en", "fr")
    }


def _upsert(
    model: Any, key: uuid.UUID, fields: dict[str, Any], found: Any = None
) -> tuple[Any, bool, bool]:
    record = found or model.objects.filter(hsds_id=key).first()
    if record is None:
        record = model(hsds_id=key, **fields)
        record.full_clean()
        record.save()
        return record, True, False
    if all(getattr(record, name) == value for name, value in fields.items()):
        return record, False, False
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    return record, False, True


def _save_mappings(newcomer: TaxonomySpec, target: TaxonomySpec, counts: list[int]) -> None:
    terms = dict(
        TaxonomyTerm.objects.filter(
            taxonomy__hsds_id__in=[hsds_id(newcomer.code), hsds_id(target.code)]
        ).values_list("hsds_id", "pk")
    )
    wanted = {
        (terms[hsds_id(newcomer.code, term.code)], terms[hsds_id(target.code, code)])
        for term in newcomer.terms
        for code in term.open_eligibility
    }
    sources = {source for source, _target in wanted}
    present = set(
        TermMapping.objects.filter(term_id__in=sources).values_list("term_id", "target_id")
    )
    gone = present - wanted
    for source, mapped in gone:
        TermMapping.objects.filter(term_id=source, target_id=mapped).delete()
    TermMapping.objects.bulk_create(
        [TermMapping(term_id=source, target_id=mapped) for source, mapped in wanted - present]
    )
    counts[0] += len(wanted - present)
    counts[1] += len(gone)
    counts[2] += len(wanted & present)


def newcomer_term_ids() -> set[int]:
    """Every term of the newcomer-services taxonomy: a service tagged with one serves newcomers."""
    return set(
        TaxonomyTerm.objects.filter(taxonomy__hsds_id=hsds_id(NEWCOMER_TAXONOMY_CODE)).values_list(
            "pk", flat=True
        )
    )
