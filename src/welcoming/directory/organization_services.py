"""Stewards' writes on organizations as the directory publishes them (HSDS organizations).

An organization's own administrators and data stewards keep its details, and so do the
installation's (`core.change_organization`, asked with the organization); only the
installation's add organizations. HSDS gives an organization no status: deactivating one makes
every service of it inactive, and nothing is deleted. Every write counts the organization's
version up and refuses a stale edit (welcoming.core.locking), and marks it as edited by a
steward so that the next import of its feed holds the feed's version for review.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welcoming.core.history import acting_as
from welcoming.core.locking import version_check
from welcoming.core.models import Organization

from . import steward_services
from .models import Service

TEXT_FIELDS = ("name", "alternate_name", "description")
PLAIN_FIELDS = (
    "email", "website", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo", "uri",
)  # fmt: skip
EDITABLE = frozenset(
    {f"{name}_{code}" for name in TEXT_FIELDS for code in ("en", "fr")} | set(PLAIN_FIELDS)
)


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not change this organization's records."))


def _editable(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    return fields


def _save_edit(organization: Organization, actor: Any) -> None:
    organization.version += 1
    organization.edited_by_steward_at = timezone.now()
    organization.full_clean()
    with acting_as(actor):
        organization.save()


def _locked(organization: Organization, expected_version: int | None) -> Organization:
    """The organization as stored, locked until the transaction ends; StaleEdit unless it is
    still at the version the editor read (None: a writer who did not read first)."""
    fresh = Organization.objects.select_for_update().get(pk=organization.pk)
    version_check(current=fresh.version, expected=expected_version)
    return fresh


@transaction.atomic
def organization_create(*, actor: Any, fields: dict[str, Any]) -> Organization:
    _require(actor, "core.add_organization")
    organization = Organization(**_editable(fields))
    organization.version = 0  # the first save counts it to 1
    _save_edit(organization, actor)
    return organization


@transaction.atomic
def organization_update(
    *,
    actor: Any,
    organization: Organization,
    expected_version: int | None,
    fields: dict[str, Any],
) -> Organization:
    """Save a steward's edit, or raise StaleEdit when someone saved the organization since."""
    _require(actor, "core.change_organization", organization)
    fresh = _locked(organization, expected_version)
    for name, value in _editable(fields).items():
        setattr(fresh, name, value)
    _save_edit(fresh, actor)
    return fresh


@transaction.atomic
def organization_deactivate(
    *, actor: Any, organization: Organization, expected_version: int | None
) -> Organization:
    """Every active service of the organization becomes inactive (kept, never deleted)."""
    _require(actor, "core.change_organization", organization)
    fresh = _locked(organization, expected_version)
    active = Service.objects.filter(organization=fresh).exclude(status=Service.Status.INACTIVE)
    for service in active:
        steward_services.service_update(
            actor=actor,
            service=service,
            expected_version=service.version,
            fields={"status": Service.Status.INACTIVE},
        )
    _save_edit(fresh, actor)
    return fresh
