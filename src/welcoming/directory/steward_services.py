"""Stewards' writes on the directory: add, edit, verify and merge services.

A steward keeps the records of their own organization; the installation's data managers keep
every record (`directory.change_service`, asked with the record). Every write marks the record as
edited by a steward, so the next import of its feed holds the feed's version for review instead
of overwriting the steward's, and queues a new count of the directory for the scorecard.
"""

import datetime
from collections.abc import Iterable
from typing import Any

import pycountry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welcoming.core.history import acting_as
from welcoming.core.locking import version_check
from welcoming.core.models import Organization

from .models import (
    Attribute,
    Contact,
    CostOption,
    DuplicateDismissal,
    Funding,
    Language,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceMerge,
    TermMapping,
    Verification,
)
from .search_index import service_search_entries_refresh

MAPPED = "mapped"  # link_type of an Open Eligibility attribute derived from a newcomer term

# What a steward edits on a service, both languages of each translated text.
TEXT_FIELDS = (
    "name", "alternate_name", "description", "eligibility_description", "application_process",
    "fees_description", "interpretation_services", "wait_time", "alert",
)  # fmt: skip
PLAIN_FIELDS = ("status", "url", "email", "minimum_age", "maximum_age")
EDITABLE = tuple(f"{f}_{lang}" for f in TEXT_FIELDS for lang in ("en", "fr")) + PLAIN_FIELDS


def _require(actor: Any, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not change this organization's records."))


def _after_write(service: Service) -> None:
    """Rewrite the service's search row in the same transaction (search reads only that table),
    and count the directory again once the write is committed (a worker does it)."""
    from .indicator import directory_indicator_refresh_task

    service_search_entries_refresh(service_ids=[service.pk])
    transaction.on_commit(lambda: directory_indicator_refresh_task.enqueue())


@transaction.atomic
def service_create(
    *,
    actor: Any,
    organization: Organization,
    fields: dict[str, Any],
    term_ids: Iterable[int] = (),
    language_codes: Iterable[str] = (),
    location_ids: Iterable[int] = (),
) -> Service:
    """A new service of `organization`, at some of its sites, with its terms and languages."""
    service = Service(organization=organization, **_editable(fields))
    _require(actor, "directory.add_service", service)
    service.version = 0  # the first save counts it to 1
    _save_edit(service, actor)
    locations = organization.locations.filter(pk__in=list(location_ids))
    ServiceAtLocation.objects.bulk_create(
        [ServiceAtLocation(service=service, location=location) for location in locations]
    )
    _set_terms(service, term_ids)
    _set_languages(service, language_codes)
    _after_write(service)
    return service


@transaction.atomic
def service_tags_set(
    *,
    actor: Any,
    service: Service,
    term_ids: Iterable[int] | None = None,
    language_codes: Iterable[str] | None = None,
) -> None:
    """Replace the service's newcomer terms and (ISO 639-3) languages; None leaves them."""
    _require(actor, "directory.change_service", service)
    if term_ids is not None:
        _set_terms(service, term_ids)
    if language_codes is not None:
        _set_languages(service, language_codes)
    service_search_entries_refresh(service_ids=[service.pk])


@transaction.atomic
def service_update(
    *,
    actor: Any,
    service: Service,
    expected_version: int,
    fields: dict[str, Any],
    term_ids: Iterable[int] | None = None,
    language_codes: Iterable[str] | None = None,
) -> Service:
    """Save a steward's edit, or raise StaleEdit when someone saved the service meanwhile."""
    _require(actor, "directory.change_service", service)
    fresh = _locked(service, expected_version)
    for name, value in _editable(fields).items():
        setattr(fresh, name, value)
    _save_edit(fresh, actor)
    service_tags_set(actor=actor, service=fresh, term_ids=term_ids, language_codes=language_codes)
    _after_write(fresh)
    return fresh


def _locked(service: Service, expected_version: int) -> Service:
    """The service as stored, locked until the transaction ends; StaleEdit unless it is still at
    the version the editor opened (the lock makes a second save racing wait, then fail)."""
    fresh = Service.objects.select_for_update().get(pk=service.pk)
    version_check(current=fresh.version, expected=expected_version)
    return fresh


def _save_edit(service: Service, actor: Any) -> None:
    service.version += 1
    service.edited_by_steward_at = timezone.now()
    service.full_clean()
    with acting_as(actor):
        service.save()


def _editable(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    return {name: ("" if value is None and name not in ("minimum_age", "maximum_age") else value)
            for name, value in fields.items()}  # fmt: skip


@transaction.atomic
def service_verify(
    *, actor: Any, service: Service, on: datetime.date | None = None, note: str = ""
) -> Verification:
    """Record that `actor` checked the service with its organization today (or `on`)."""
    _require(actor, "directory.verify_service", service)
    day = on or timezone.localdate()
    verification = Verification(service=service, verified_on=day, verified_by=actor, note=note)
    verification.full_clean()
    verification.save()
    fresh = Service.objects.select_for_update().get(pk=service.pk)
    fresh.last_verified = fresh.assured_date = day  # HSDS's "assured": checked, and when
    with acting_as(actor):
        fresh.save()  # not a new version: an editor's open form stays valid
    service.refresh_from_db()
    return verification


@transaction.atomic
def service_review_close(*, actor: Any, service: Service) -> None:
    """Set aside the update a feed held for review: the steward's version stays, and the next
    import of the feed compares with it again."""
    _require(actor, "directory.change_service", service)
    fresh = Service.objects.select_for_update().get(pk=service.pk)
    fresh.pending_import = None
    with acting_as(actor):
        fresh.save()
    service.refresh_from_db()


def _set_terms(service: Service, term_ids: Iterable[int]) -> None:
    """Tag the service with newcomer terms, and with the Open Eligibility terms they map to so
    that systems reading plain HSDS place it too. Other taxonomies' tags are left alone."""
    from .taxonomy import newcomer_term_ids  # a read, shared with the indicator

    newcomer = newcomer_term_ids()
    wanted = set(term_ids) & newcomer
    mapped = set(TermMapping.objects.filter(term_id__in=wanted).values_list("target_id", flat=True))
    ours = service.attributes.filter(taxonomy_term_id__in=newcomer) | service.attributes.filter(
        link_type=MAPPED
    )
    ours.delete()
    Attribute.objects.bulk_create(
        [
            Attribute(service=service, taxonomy_term_id=term, link_entity="service")
            for term in sorted(wanted)
        ]
        + [
            Attribute(
                service=service, taxonomy_term_id=term, link_entity="service", link_type=MAPPED
            )
            for term in sorted(mapped)
        ]
    )


def _set_languages(service: Service, codes: Iterable[str]) -> None:
    wanted = {code.strip().lower() for code in codes if code.strip()}
    service.languages.exclude(code__in=wanted).delete()
    present = set(service.languages.values_list("code", flat=True))
    new = []
    for code in sorted(wanted - present):
        language = pycountry.languages.get(alpha_3=code)
        name = language.name if language else code
        new.append(Language(service=service, code=code, name_en=name))
    Language.objects.bulk_create(new)


# --- merging duplicates --------------------------------------------------------------------------

_MOVED_BY_SERVICE = (Phone, Schedule, Contact, ServiceArea, RequiredDocument, CostOption, Funding)


@transaction.atomic
def service_merge(*, actor: Any, kept: Service, merged: Service) -> ServiceMerge:
    """Merge a duplicate into the service kept: its sites, phones, schedules, documents, costs,
    areas, contacts, languages and terms move over, the kept service's empty texts take the
    duplicate's, and the duplicate is deleted with its last state kept (its audit trail, and a
    ServiceMerge row that names it). A kept service entered by hand takes over the duplicate's
    feed record. A steward must be allowed to change both."""
    if kept.pk == merged.pk:
        raise ValueError(_("A service cannot be merged into itself."))
    _require(actor, "directory.change_service", kept)
    _require(actor, "directory.change_service", merged)
    snapshot = {f.attname: getattr(merged, f.attname) for f in Service._meta.concrete_fields}
    with acting_as(actor):
        _move_children(kept, merged)
        record = ServiceMerge.objects.create(
            kept=kept,
            merged_hsds_id=merged.hsds_id,
            merged_source=merged.source,
            merged_source_id=merged.source_id,
            merged_name=str(merged.name_en or merged.name_fr)[:300],  # type: ignore[attr-defined]
            snapshot={k: str(v) if v is not None else None for k, v in snapshot.items()},
            merged_by=actor,
        )
        merged.delete()
        fresh = _locked(kept, kept.version)
        for name in EDITABLE:  # the kept service's empty texts take the duplicate's
            if name.endswith(("_en", "_fr")) and not getattr(fresh, name):
                setattr(fresh, name, snapshot.get(name) or "")
        if not fresh.source and snapshot["source"]:
            # The kept record takes over the duplicate's feed record: the feed's next import
            # updates it (held for review, a steward having edited it) instead of adding the
            # duplicate again.
            fresh.source, fresh.source_id = snapshot["source"], snapshot["source_id"]
            fresh.source_hash = snapshot["source_hash"]
        _save_edit(fresh, actor)
    _after_write(fresh)
    return record


def _move_children(kept: Service, merged: Service) -> None:
    for model in _MOVED_BY_SERVICE:
        model.objects.filter(service=merged).update(service=kept)
    at = set(kept.service_at_locations.values_list("location_id", flat=True))
    for link in merged.service_at_locations.all():
        if link.location_id in at:  # both at this site: the kept link takes what hangs on it
            target = kept.service_at_locations.get(location_id=link.location_id)
            for hanging in (Phone, Schedule, Contact, Attribute):
                hanging.objects.filter(service_at_location=link).update(service_at_location=target)
        else:
            ServiceAtLocation.objects.filter(pk=link.pk).update(service=kept)
    codes = set(kept.languages.values_list("code", flat=True))
    merged.languages.exclude(code__in=codes).update(service=kept)
    terms = set(kept.attributes.values_list("taxonomy_term_id", flat=True))
    merged.attributes.exclude(taxonomy_term_id__in=terms).update(service=kept)


def duplicate_dismiss(*, actor: Any, first: Service, second: Service) -> DuplicateDismissal:
    """Remember that two services are not the same, so the pair is never offered again. A
    steward who keeps either may say so: the pair was offered to them for their own service."""
    if first.pk == second.pk:
        raise ValueError(_("A service cannot be merged into itself."))
    if not (
        actor.has_perm("directory.change_service", first)
        or actor.has_perm("directory.change_service", second)
    ):
        raise PermissionDenied(_("You may not change this organization's records."))
    low, high = sorted((first, second), key=lambda service: service.pk)
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        first=low, second=high, defaults={"dismissed_by": actor}
    )
    return dismissal
