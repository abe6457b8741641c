"""Writes on communities and organizations."""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .geography import Place, read_geography
from .models import Community

_FIELDS = [
    "dguid",
    "name_en",
    "name_fr",
    "level",
    "population",
    "population_previous",
    "latitude",
    "longitude",
    "csd_type",
    "cma_kind",
]


@transaction.atomic
def community_import_geography(
    *,
    actor: AbstractUser,
    data_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Create or update every community from the Statistics Canada files; return (created, updated).

    Idempotent: a second run with the same files writes nothing.
    """
    if not actor.has_perm("core.change_community"):
        raise PermissionDenied(_("You may not change communities."))
    places = read_geography(data_dir or Path(settings.WELCOMING_PACKAGE_DATA))
    existing = {c.code: c for c in Community.objects.all()}
    created = updated = 0
    for level in ("country", "province", "cma", "csd"):
        batch = [p for p in places if p.level == level]
        new, changed = _diff(batch, existing)
        bulk_create_with_history(new, Community, batch_size=1000, default_user=actor)
        bulk_update_with_history(
            changed,
            Community,
            [*_FIELDS, "parent", "metropolitan_area", "search_text", "size_class"],
            batch_size=1000,
            default_user=actor,
        )
        existing.update({c.code: c for c in Community.objects.filter(level=level)})
        created, updated = created + len(new), updated + len(changed)
        if progress:
            progress(created + updated, len(places))
    return created, updated


def _diff(
    places: list[Place], existing: dict[str, Community]
) -> tuple[list[Community], list[Community]]:
    new: list[Community] = []
    changed: list[Community] = []
    for place in places:
        parent = existing.get(place.parent_code) if place.parent_code else None
        metro = existing.get(place.metropolitan_code) if place.metropolitan_code else None
        community = existing.get(place.code)
        if community is None:
            community = Community(code=place.code, parent=parent, metropolitan_area=metro)
            _apply(community, place)
            new.append(community)
            continue
        links = (community.parent_id, community.metropolitan_area_id)
        before = [getattr(community, f) for f in _FIELDS] + list(links)
        community.parent = parent
        community.metropolitan_area = metro
        _apply(community, place)
        after = (parent.pk if parent else None, metro.pk if metro else None)
        if before != [getattr(community, f) for f in _FIELDS] + list(after):
            changed.append(community)
    return new, changed


def _apply(community: Community, place: Place) -> None:
    for field in _FIELDS:
        setattr(community, field, getattr(place, field))
    community.refresh_derived_fields()
