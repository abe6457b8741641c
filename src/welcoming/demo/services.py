"""Load everything a person needs to try Welcoming: real data, synthetic demo accounts.

Every figure comes from the real files shipped in `welcoming/data`; the only invented things are
the two demo organizations and their people, and their names say so. One organization runs the
installation (its administrator and data steward manage the shared data), the other shows what
the same roles may do in an ordinary organization.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from welcoming.accounts.models import Membership, Role, User
from welcoming.accounts.services import membership_grant
from welcoming.core.models import Organization
from welcoming.core.services import community_import_geography
from welcoming.demo.connections import demo_connections_load
from welcoming.demo.directory import directory_demo_load
from welcoming.framework.services import framework_load
from welcoming.indicators.services import (
    indicator_definitions_load,
    metropolitan_crime_for_municipalities,
    metropolitan_values_compute,
    value_import,
)

VALUE_FILES = [
    Path("statcan") / "98-10-0002-01_population_dwellings_2021.csv",
    Path("isc") / "community_well_being_2021.csv",
    Path("statcan") / "census_2021_visible_minority_csd.csv",
    Path("statcan") / "census_2021_income_labour_housing_cma.csv",
    Path("statcan") / "census_2016_immigrants_by_residence.csv",
    Path("statcan") / "35-10-0026-01_crime_severity_index.csv",
    Path("statcan") / "census2021_csd_extract" / "census2021_csd_all_5161.csv",
    Path("statcan") / "census2021_csd_extract" / "religion_age_marital_712csd.csv",
    Path("statcan") / "odhf" / "odhf_v1.1.csv",
    Path("statcan") / "odcaf" / "ODCAF_v1.0.csv",
    Path("elections") / "csd_turnout_2021_single_riding.csv",
]


@dataclass(frozen=True)
class DemoOrganization:
    key: str
    name_en: str
    name_fr: str
    sector: str
    is_installation: bool


DEMO_ORGANIZATIONS = (
    DemoOrganization(
        "city",
        "Demo city hall (synthetic)",
        "Hôtel de ville de démonstration (fictif)",
        Organization.Sector.MUNICIPAL,
        is_installation=True,
    ),
    DemoOrganization(
        "agency",
        "Demo settlement agency (synthetic)",
        "Organisme d'établissement de démonstration (fictif)",
        Organization.Sector.SETTLEMENT,
        is_installation=False,
    ),
)

# What each demo account may do, by role and by whether its organization runs the installation.
_MAY_DO: dict[tuple[str, bool], Promise] = {
    (Role.ADMINISTRATOR, True): _(
        "Manages the members of its organization and of every other, people's accounts, and "
        "all the shared data."
    ),
    (Role.ADMINISTRATOR, False): _("Manages the members and the details of its own organization."),
    (Role.DATA_STEWARD, True): _(
        "Imports indicator values, loads the framework, edits communities, organizations and "
        "scoring profiles."
    ),
    (Role.DATA_STEWARD, False): _(
        "Keeps the details of its own organization up to date; cannot change shared data."
    ),
}
_READS_ONLY = _("Signs in and reads scorecards, reports and the API; changes nothing.")


def may_do(*, role: str, is_installation: bool) -> str:
    return str(_MAY_DO.get((role, is_installation), _READS_ONLY))


@dataclass(frozen=True)
class DemoAccount:
    username: str
    organization: str
    role: str
    may_do: str


@dataclass
class DemoReport:
    communities_created: int = 0
    values_created: int = 0
    services_created: int = 0
    files: list[str] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    password: str | None = None  # set when the accounts were created by this run


def demo_username(organization: DemoOrganization, role: str) -> str:
    return f"demo-{organization.key}-{role.replace('_', '-')}"


def demo_load(
    *, actor: User, password: str, say: Callable[[str], None] = lambda _text: None
) -> DemoReport:
    """Load the demo; a second run finds everything in place and changes nothing.

    `password` is given to the demo accounts this run creates; existing accounts keep theirs.
    """
    data_dir = Path(settings.WELCOMING_PACKAGE_DATA)
    report = DemoReport()
    framework_load(actor=actor)
    say("framework")
    report.communities_created, _updated = community_import_geography(
        actor=actor, data_dir=data_dir
    )
    say("geography")
    indicator_definitions_load(actor=actor)
    say("indicator definitions")
    for relative in VALUE_FILES:
        path = data_dir / relative
        result = value_import(source=path, file_name=path.name, format="statcan", actor=actor)
        report.values_created += result.values_created
        report.files.append(path.name)
        say(path.name)
    report.values_created += metropolitan_values_compute(actor=actor)
    say(str(_("metropolitan values computed from municipalities")))
    report.values_created += metropolitan_crime_for_municipalities(actor=actor)
    say(str(_("metropolitan crime severity for the municipalities of each area")))
    created = _demo_people(actor=actor, password=password, report=report)
    say(
        str(
            _("%(count)d sample newcomers and hosts")
            % {"count": demo_connections_load(actor=actor)}
        )
    )
    report.services_created = directory_demo_load(actor=actor)  # the sample directory
    report.password = password if created else None
    return report


@transaction.atomic
def _demo_people(*, actor: User, password: str, report: DemoReport) -> int:
    """One synthetic account per role in each demo organization; return how many were new."""
    _retire_legacy_superuser()
    created = 0
    for demo in DEMO_ORGANIZATIONS:
        organization = _demo_organization(demo)
        for role in Role:
            user = User.objects.filter(username=demo_username(demo, role)).first()
            if user is None:
                user = User.objects.create_user(
                    demo_username(demo, role),
                    email=f"{demo_username(demo, role)}@example.org",
                    password=password,
                    first_name=f"{role.label} (synthetic)",
                    last_name=demo.name_en,
                )
                created += 1
            if not Membership.objects.filter(user=user, organization=organization).exists():
                membership_grant(actor=actor, user=user, organization=organization, role=role)
            report.accounts.append(
                DemoAccount(
                    username=user.username,
                    organization=str(organization),
                    role=str(role.label),
                    may_do=may_do(role=role, is_installation=demo.is_installation),
                )
            )
    return created


def _retire_legacy_superuser() -> None:
    """Earlier demos made a superuser `demo` with a published password: close that door."""
    legacy = User.objects.filter(username="demo", is_superuser=True).first()
    if legacy is not None and legacy.check_password("welcoming-demo"):
        legacy.set_unusable_password()
        legacy.is_superuser = legacy.is_staff = legacy.is_active = False
        legacy.save()


def _demo_organization(demo: DemoOrganization) -> Organization:
    organization = Organization.objects.filter(name_en=demo.name_en).first()
    if organization is None:
        organization = Organization(name_en=demo.name_en, name_fr=demo.name_fr, sector=demo.sector)
    runs_another = Organization.objects.filter(is_installation=True).exclude(pk=organization.pk)
    # The demo city hall runs a demo installation, unless a real organization already does.
    organization.is_installation = demo.is_installation and not runs_another.exists()
    organization.full_clean()
    organization.save()
    return organization
