"""factory_boy factories for the directory. Every service they make is a synthetic sample."""

from datetime import time
from decimal import Decimal

import factory

from tests.factories import OrganizationFactory
from welcoming.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from welcoming.directory.search_index import service_search_entries_refresh


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy

    name_en = "Welcoming newcomer-services taxonomy (sample)"
    name_fr = "Taxonomie des services aux nouveaux arrivants (échantillon)"


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm
        django_get_or_create = ("code",)

    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"sample-term-{n}")
    name_en = factory.LazyAttribute(lambda o: o.code.replace("-", " ").capitalize())
    name_fr = factory.LazyAttribute(lambda o: o.name_en)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name_en = factory.Sequence(lambda n: f"Sample service {n}")
    name_fr = factory.Sequence(lambda n: f"Service échantillon {n}")
    description_en = "A synthetic sample service for tests."
    description_fr = "Un service fictif pour les essais."


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name_en = factory.Sequence(lambda n: f"Sample site {n}")
    latitude = 45.4215  # Ottawa
    longitude = -75.6972
    transportation_en = "Bus routes 1 and 2 stop in front."
    transportation_fr = "Les autobus 1 et 2 s'arrêtent devant."


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    location = factory.SubFactory(LocationFactory)
    address_1 = "100 Sample Street"
    city = "Ottawa"
    state_province = "ON"
    postal_code = "K1P 1J1"


def sample_service(
    *,
    name_en: str,
    name_fr: str = "",
    description_en: str = "",
    description_fr: str = "",
    at: tuple[float, float] | None = (45.4215, -75.6972),
    languages: tuple[str, ...] = ("eng",),
    terms: tuple[TaxonomyTerm, ...] = (),
    free: bool = False,
    online: bool = False,
    opens: tuple[str, time, time] | None = None,
    **fields: object,
) -> Service:
    """A synthetic service with its site, languages, categories, price and hours, indexed."""
    service = ServiceFactory(
        name_en=name_en,
        name_fr=name_fr,
        description_en=description_en,
        description_fr=description_fr,
        **fields,
    )
    if at is not None:
        location = LocationFactory(latitude=at[0], longitude=at[1])
        AddressFactory(location=location)
        ServiceAtLocation.objects.create(service=service, location=location)
    if online:
        site = LocationFactory(location_type=Location.LocationType.VIRTUAL, latitude=None)
        ServiceAtLocation.objects.create(service=service, location=site)
    for code in languages:
        Language.objects.create(service=service, code=code, name_en=code)
    for term in terms:
        Attribute.objects.create(
            taxonomy_term=term, service=service, link_entity=Attribute.LinkEntity.SERVICE
        )
    CostOption.objects.create(service=service, amount=Decimal(0 if free else 25), currency="CAD")
    if opens is not None:
        days, opens_at, closes_at = opens
        Schedule.objects.create(
            service=service, freq="WEEKLY", byday=days, opens_at=opens_at, closes_at=closes_at
        )
    service_search_entries_refresh(service_ids=[service.pk])
    return service
