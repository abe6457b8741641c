"""`any_of` finds what `in` finds, on every database: ids, relations, joins, text and UUIDs."""

import uuid

import pytest

from tests.factories import LocationFactory, OrganizationFactory, ServiceFactory
from welcoming.directory.models import Service, ServiceAtLocation

pytestmark = pytest.mark.django_db


def _same(model: type, **lookup: object) -> None:
    ((name, values),) = lookup.items()
    found = set(model.objects.filter(**{f"{name}__any_of": values}).values_list("pk", flat=True))
    expected = set(model.objects.filter(**{f"{name}__in": values}).values_list("pk", flat=True))
    assert found == expected


def test_any_of_is_in() -> None:
    agencies = OrganizationFactory.create_batch(2)
    services = [ServiceFactory(organization=agencies[n % 2], source_id=f"s{n}") for n in range(5)]
    site = LocationFactory()
    ServiceAtLocation.objects.create(service=services[1], location=site)
    ids = [s.pk for s in services[:3]] + [10**9]
    assert set(Service.objects.filter(pk__any_of=ids).values_list("pk", flat=True)) == set(ids[:3])
    _same(Service, pk=ids)
    _same(Service, organization_id=[agencies[0].pk])
    _same(Service, organization=[agencies[1].pk])
    _same(Service, source_id=["s1", "s4", "nowhere"])
    _same(Service, hsds_id=[services[2].hsds_id, uuid.uuid4()])
    _same(Service, service_at_locations__location_id=[site.pk])
    _same(Service, pk=[])
