"""factory_boy factories for the models every test needs. Synthetic people are marked as such."""

import factory

from welcoming.accounts.models import Membership, Role, User
from welcoming.core.models import Community, Organization


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
