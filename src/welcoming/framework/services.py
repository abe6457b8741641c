"""Load framework files into the database: validated first, written all-or-nothing."""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from welcoming.accounts.models import User
from welcoming.core.history import acting_as

from .models import Characteristic, CharacteristicGroup, Framework, QolrsCategory
from .validation import KIND_CATEGORIES, KIND_FRAMEWORK, FrameworkInvalid, Problem, validate

DEFAULT_DIR = Path(settings.WELCOMING_PACKAGE_DATA) / "frameworks"
_SPARE_RANKS = 10_000  # ranks no file uses, so re-ranking never collides with the constraint


@dataclass(frozen=True)
class LoadResult:
    file_name: str
    kind: str
    code: str
    changed: bool


def _read(path: Path) -> tuple[Any, str]:
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark else "file"
        raise FrameworkInvalid(path.name, [Problem(line, _("this is not valid YAML"))]) from error
    return data, hashlib.sha256(raw).hexdigest()


def _files(path: Path | None) -> list[Path]:
    if path is None:
        return sorted(DEFAULT_DIR.glob("*.yaml"))
    if path.is_dir():
        return sorted(path.glob("*.yaml"))
    return [path]


def _save_categories(data: dict[str, Any]) -> bool:
    before = list(QolrsCategory.objects.order_by("code").values())
    for item in data["categories"]:
        QolrsCategory.objects.update_or_create(
            code=item["code"],
            defaults={
                "order": item["order"],
                "name_en": item["name_en"],
                "name_fr": item["name_fr"],
                "highlighted": item.get("highlighted", False),
            },
        )
    return before != list(QolrsCategory.objects.order_by("code").values())


def _save_framework(data: dict[str, Any], sha256: str, file_name: str) -> tuple[str, bool]:
    header = data["framework"]
    existing = Framework.objects.filter(code=header["code"]).first()
    if existing and existing.source_sha256 == sha256:
        return header["code"], False
    framework, _created = Framework.objects.update_or_create(
        code=header["code"],
        defaults={
            "version": str(header["version"]),
            "name_en": header["name_en"],
            "name_fr": header["name_fr"],
            "citation_en": header.get("citation_en", ""),
            "citation_fr": header.get("citation_fr", ""),
            "source_sha256": sha256,
        },
    )
    groups = {}
    for item in data["groups"]:
        groups[item["code"]], _ = CharacteristicGroup.objects.update_or_create(
            framework=framework,
            code=item["code"],
            defaults={
                "order": item["order"],
                "name_en": item["name_en"],
                "name_fr": item["name_fr"],
            },
        )
    categories = {c.code: c for c in QolrsCategory.objects.all()}
    codes = [item["code"] for item in data["characteristics"]]
    _remove_dropped_characteristics(framework, codes, file_name)
    # Ranks may be permuted by a new version: free them before writing the new ones.
    framework.characteristics.update(rank=models.F("rank") + _SPARE_RANKS)
    for item in data["characteristics"]:
        characteristic, _ = Characteristic.objects.update_or_create(
            framework=framework,
            code=item["code"],
            defaults={
                "group": groups[item["group"]],
                "rank": item["rank"],
                "subgroup": item.get("subgroup", ""),
                "name_en": item["name_en"],
                "name_fr": item["name_fr"],
                "description_en": item["description_en"],
                "description_fr": item["description_fr"],
                "survey_only": item.get("survey_only", False),
                "survey_guidance_en": item.get("survey_guidance_en", ""),
                "survey_guidance_fr": item.get("survey_guidance_fr", ""),
            },
        )
        characteristic.qolrs_categories.set([categories[c] for c in item.get("qolrs", [])])
    framework.groups.exclude(code__in=groups).delete()
    return framework.code, True


def _remove_dropped_characteristics(framework: Framework, codes: list[str], file_name: str) -> None:
    dropped = framework.characteristics.exclude(code__in=codes)
    measured = list(dropped.filter(indicators__isnull=False).values_list("code", flat=True))
    if measured:
        raise FrameworkInvalid(
            file_name,
            [
                Problem(
                    "characteristics",
                    _("%(code)s is measured by indicators and cannot be removed") % {"code": code},
                )
                for code in sorted(set(measured))
            ],
        )
    dropped.delete()


@transaction.atomic
def framework_load(*, actor: User, path: Path | None = None) -> list[LoadResult]:
    """Validate and load framework files (default: those shipped with Welcoming).

    Category files load before frameworks so that a framework may map to categories defined in
    the same call. Loading an unchanged file changes nothing.
    """
    if not actor.has_perm("framework.load_framework"):
        raise PermissionDenied(_("You may not load frameworks."))
    with acting_as(actor):
        return _load(path)


def _load(path: Path | None) -> list[LoadResult]:
    parsed = [(p, *_read(p)) for p in _files(path)]
    category_files = [f for f in parsed if _kind(f[1]) == KIND_CATEGORIES]
    other_files = [f for f in parsed if _kind(f[1]) != KIND_CATEGORIES]
    known = set(QolrsCategory.objects.values_list("code", flat=True))
    results = []
    for p, data, _sha in category_files:
        validate(data, file_name=p.name, known_categories=known)
        known |= {c["code"] for c in data["categories"]}
        results.append(LoadResult(p.name, KIND_CATEGORIES, "qolrs", _save_categories(data)))
    for p, data, sha in other_files:
        validate(data, file_name=p.name, known_categories=known)
        code, changed = _save_framework(data, sha, p.name)
        results.append(LoadResult(p.name, KIND_FRAMEWORK, code, changed))
    return results


def _kind(data: Any) -> Any:
    return data.get("kind") if isinstance(data, dict) else None
