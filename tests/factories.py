"""factory_boy factories for the models every test needs. Synthetic people are marked as such."""

import factory

from welcoming.accounts.models import Membership, Role, User
from welcoming.core.models import Community, Organization
from welcoming.directory.models import Location, Program, Service, TaxonomyTerm
from welcoming.framework.models import QolrsCategory
from welcoming.indicators.models import Indicator


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"99{n:05d}")
    name_en = factory.Sequence(lambda n: f"Test community {n}")
    name_fr = factory.LazyAttribute(lambda o: o.name_en)
    level = Community.Level.CSD
    population = 12_000


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_en = factory.Sequence(lambda n: f"Test organization {n}")
    name_fr = factory.Sequence(lambda n: f"Organisme d'essai {n}")
    sector = Organization.Sector.SETTLEMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"synthetic-person-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.ANALYST


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A test indicator; needs the framework loaded (its QOLRS category is looked up)."""

    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-indicator-{n}")
    name_en = factory.Sequence(lambda n: f"Test indicator {n}")
    name_fr = factory.Sequence(lambda n: f"Indicateur d'essai {n}")
    definition_en = "A test indicator."
    definition_fr = "Un indicateur d'essai."
    unit = Indicator.Unit.PERCENT
    direction = Indicator.Direction.HIGHER
    qolrs_category = factory.LazyFunction(
        lambda: QolrsCategory.objects.get(code="civic-engagement")
    )
    source_en = "Test data"
    source_fr = "Données d'essai"
    licence = "none"
    attribution_en = "Test data."
    attribution_fr = "Données d'essai."


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organization = factory.SubFactory(OrganizationFactory)
    name_en = factory.Sequence(lambda n: f"Sample program {n}")
    name_fr = factory.Sequence(lambda n: f"Programme exemple {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    """A sample service (synthetic, marked as such in its name)."""

    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name_en = factory.Sequence(lambda n: f"Sample service {n}")
    name_fr = factory.Sequence(lambda n: f"Service exemple {n}")
    description_en = "A sample service for tests."
    description_fr = "Un service exemple pour les essais."


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name_en = factory.Sequence(lambda n: f"Sample site {n}")
    name_fr = factory.Sequence(lambda n: f"Site exemple {n}")
    latitude = 45.4215
    longitude = -75.6972


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    code = factory.Sequence(lambda n: f"sample-{n}")
    name_en = factory.Sequence(lambda n: f"Sample term {n}")
    name_fr = factory.Sequence(lambda n: f"Terme exemple {n}")
