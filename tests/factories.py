"""factory_boy factories for the models every test needs. Synthetic people are marked as such."""

import factory

from welcoming.accounts.models import Membership, Role, User
from welcoming.core.models import Community, Organization
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
