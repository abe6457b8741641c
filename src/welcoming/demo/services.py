"""Load everything a person needs to try Welcoming: real data, synthetic demo accounts.

Every figure comes from the real files shipped in `welcoming/data`; the only invented things are
the demo organization and person, and their names say so.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from welcoming.accounts.models import Role, User
from welcoming.accounts.services import membership_grant
from welcoming.core.models import Organization
from welcoming.core.services import community_import_geography
from welcoming.framework.services import framework_load
from welcoming.indicators.services import (
    indicator_definitions_load,
    metropolitan_crime_for_municipalities,
    metropolitan_values_compute,
    value_import,
)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "welcoming-demo"  # printed to the operator; demo installs only
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


@dataclass
class DemoReport:
    communities_created: int = 0
    values_created: int = 0
    files: list[str] = field(default_factory=list)


def demo_load(*, say: Callable[[str], None] = lambda _text: None) -> DemoReport:
    """Load the demo; a second run finds everything in place and changes nothing."""
    data_dir = Path(settings.WELCOMING_PACKAGE_DATA)
    report = DemoReport()
    framework_load()
    say("framework")
    report.communities_created, _updated = community_import_geography(data_dir=data_dir)
    say("geography")
    indicator_definitions_load()
    say("indicator definitions")
    for relative in VALUE_FILES:
        path = data_dir / relative
        result = value_import(source=path, file_name=path.name, format="statcan", actor=None)
        report.values_created += result.values_created
        report.files.append(path.name)
        say(path.name)
    report.values_created += metropolitan_values_compute()
    say(_("metropolitan values computed from municipalities"))
    report.values_created += metropolitan_crime_for_municipalities()
    say(_("metropolitan crime severity for the municipalities of each area"))
    _demo_people()
    return report


@transaction.atomic
def _demo_people() -> None:
    organization, _created = Organization.objects.get_or_create(
        name_en="Demo organization (synthetic)",
        defaults={
            "name_fr": "Organisme de démonstration (fictif)",
            "sector": Organization.Sector.MUNICIPAL,
        },
    )
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = User.objects.create_superuser(
            DEMO_USERNAME,
            email="demo@example.org",
            password=DEMO_PASSWORD,
            first_name="Demo (synthetic)",
        )
    membership_grant(user=user, organization=organization, role=Role.DATA_STEWARD)
