"""Factories for connections: real communities (SGC codes and points of Statistics Canada's 2021
geography), synthetic people marked as such."""

from datetime import date

import factory

from tests.factories import CommunityFactory, OrganizationFactory
from welcoming.connections.models import HostProfile, NewcomerProfile, Program, ProgramKind
from welcoming.core.models import Community

# Interior points of the 2021 census subdivisions (data/geo/csd_points_2021).
REAL_PLACES = {
    "1307022": ("Moncton", "Moncton", 46.072151, -64.832225, 79_470),
    "1307045": ("Dieppe", "Dieppe", 46.094829, -64.681429, 28_114),
    "4607062": ("Brandon", "Brandon", 49.852085, -99.933654, 51_313),
    "4611040": ("Winnipeg", "Winnipeg", 49.869987, -97.172705, 749_607),
}


def real_community(code: str = "1307022") -> Community:
    name_en, name_fr, latitude, longitude, population = REAL_PLACES[code]
    community: Community = CommunityFactory(
        code=code,
        name_en=name_en,
        name_fr=name_fr,
        latitude=latitude,
        longitude=longitude,
        population=population,
    )
    return community


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name_en = factory.Sequence(lambda n: f"Test program {n}")
    name_fr = factory.Sequence(lambda n: f"Programme d'essai {n}")
    kind = ProgramKind.MENTORING
    languages = factory.LazyFunction(lambda: ["eng", "fra"])

    @factory.post_generation
    def communities(self, create: bool, extracted: list[Community] | None) -> None:
        if create:
            self.communities.set(extracted or [real_community()])


class _ProfileFactory(factory.django.DjangoModelFactory):
    organization = factory.SubFactory(OrganizationFactory)
    community = factory.LazyFunction(real_community)
    latitude = factory.LazyAttribute(lambda o: o.community.latitude)
    longitude = factory.LazyAttribute(lambda o: o.community.longitude)
    availability = 0b111_111
    online_ok = True

    @factory.post_generation
    def languages(self, create: bool, extracted: list[tuple[str, int]] | None) -> None:
        if create:
            for code, level in extracted or [("eng", 3)]:
                self.languages.create(code=code, level=level)

    @factory.post_generation
    def programs(self, create: bool, extracted: list[Program] | None) -> None:
        if create and extracted:
            self.programs.set(extracted)


class NewcomerProfileFactory(_ProfileFactory):
    class Meta:
        model = NewcomerProfile
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Synthetic newcomer {n}")
    arrival_date = date(2025, 9, 1)
    age_group = "adult"


class HostProfileFactory(_ProfileFactory):
    class Meta:
        model = HostProfile
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Synthetic host {n}")
    kind = HostProfile.Kind.VOLUNTEER
    police_check_date = date(2025, 1, 10)
    police_check_expires = date(2028, 1, 10)
    training_completed_on = date(2025, 2, 1)
