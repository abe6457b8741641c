"""Sample services for the search tests: synthetic, each with its site, languages, categories,
price and hours (the model factories are in tests/factories.py)."""

from datetime import time
from decimal import Decimal

import factory

from tests.factories import (
    CommunityFactory,
    LocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from welcoming.core.models import Community
from welcoming.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from welcoming.directory.search_index import service_search_entries_refresh


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
        location = LocationFactory(
            latitude=at[0],
            longitude=at[1],
            transportation_en="Bus routes 1 and 2 stop in front.",
            transportation_fr="Les autobus 1 et 2 s'arrêtent devant.",
        )
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


OTTAWA = (45.4215, -75.6972)


def sample_ottawa() -> Community:
    """Ottawa with its real 2021 code, population and a point downtown."""
    return CommunityFactory(
        code="3506008",
        name_en="Ottawa",
        name_fr="Ottawa",
        latitude=OTTAWA[0],
        longitude=OTTAWA[1],
        population=1_017_449,
    )


def sample_needs() -> tuple[TaxonomyTerm, TaxonomyTerm]:
    """The Welcome Centres term and the housing term, with the taxonomy's codes and names."""
    centre = TaxonomyTermFactory(
        code="welcome-centres", name_en="Welcome Centres", name_fr="Centres d'accueil"
    )
    housing = TaxonomyTermFactory(code="housing", name_en="Housing", name_fr="Logement")
    return centre, housing
