"""Synthetic programs, newcomers and hosts for the workflow's tests, made through the services
the staff use. Everyone here is a sample person (names say so)."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from tests.factories import CommunityFactory, OrganizationFactory, UserFactory
from welcoming.accounts.models import Role, User
from welcoming.accounts.services import membership_grant, operator_user
from welcoming.connections.models import HostProfile, NewcomerProfile, Program
from welcoming.connections.services import host_profile_save, newcomer_profile_save, program_save
from welcoming.core.models import Community, Organization
from welcoming.engines.matching import AVAILABILITY_ALL

TODAY = datetime.date.today()
MONCTON = (46.0878, -64.7782)


@dataclass
class Agency:
    """An organization with a coordinator (agency staff) and one program in one community."""

    organization: Organization
    coordinator: User
    program: Program
    community: Community
    people: list[Any] = field(default_factory=list)

    def newcomer(self, name: str = "", *, languages=(("tir", 4), ("eng", 2)), **fields: Any):
        profile = newcomer_profile_save(
            actor=self.coordinator,
            profile=NewcomerProfile(),
            fields={
                "organization": self.organization,
                "name": name or f"Sample newcomer {len(self.people)}",
                "email": fields.pop("email", f"newcomer{len(self.people)}@example.org"),
                "community": self.community,
                "arrival_date": TODAY - datetime.timedelta(days=90),
                "age_group": "adult",
                "availability": AVAILABILITY_ALL,
                "programs": [self.program],
                **fields,
            },
            languages=list(languages),
            consent_given=True,
        )
        self.people.append(profile)
        return profile

    def host(self, name: str = "", *, languages=(("eng", 4), ("tir", 3)), **fields: Any):
        profile = host_profile_save(
            actor=self.coordinator,
            profile=HostProfile(),
            fields={
                "organization": self.organization,
                "name": name or f"Sample host {len(self.people)}",
                "email": fields.pop("email", f"host{len(self.people)}@example.org"),
                "community": self.community,
                "kind": HostProfile.Kind.VOLUNTEER,
                "availability": AVAILABILITY_ALL,
                "police_check_date": TODAY - datetime.timedelta(days=30),
                "police_check_expires": TODAY + datetime.timedelta(days=700),
                "training_completed_on": TODAY - datetime.timedelta(days=20),
                "max_distance_km": 25.0,
                "programs": [self.program],
                **fields,
            },
            languages=list(languages),
        )
        self.people.append(profile)
        return profile

    def member(self, role: Role) -> User:
        user = UserFactory()
        membership_grant(
            actor=operator_user(), user=user, organization=self.organization, role=role
        )
        user.refresh_from_db()
        return user


def agency(name: str = "Sample agency", *, point: tuple[float, float] = MONCTON) -> Agency:
    organization = OrganizationFactory(name_en=f"{name} (synthetic)")
    community = CommunityFactory(latitude=point[0], longitude=point[1])
    coordinator = UserFactory()
    membership_grant(
        actor=operator_user(),
        user=coordinator,
        organization=organization,
        role=Role.AGENCY_STAFF,
    )
    coordinator.refresh_from_db()
    program = program_save(
        actor=coordinator,
        program=Program(),
        fields={
            "organization": organization,
            "name_en": "Sample mentoring",
            "name_fr": "Mentorat (exemple)",
            "kind": "mentoring",
            "languages": ["eng", "fra"],
        },
        communities=[community],
    )
    return Agency(organization, coordinator, program, community)
