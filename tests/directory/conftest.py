"""Fixtures of the directory tests: the official HSDS examples, synthetic feeds, real geography
and 2021 census figures, the taxonomies, stewards, and helpers."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.factories import LocationFactory, OrganizationFactory, ServiceFactory
from welcoming.accounts.models import Role, User
from welcoming.accounts.services import operator_user
from welcoming.core.models import Community, Organization
from welcoming.core.services import community_import_geography
from welcoming.directory.models import Service, TaxonomyTerm
from welcoming.directory.steward_services import service_tags_set
from welcoming.directory.taxonomy import NEWCOMER_TAXONOMY_CODE, hsds_id, taxonomy_load
from welcoming.framework.services import framework_load
from welcoming.indicators.services import (
    indicator_definitions_load,
    metropolitan_values_compute,
    value_import,
)

DATA = Path(settings.WELCOMING_PACKAGE_DATA)
CENSUS_CSD = DATA / "statcan" / "census2021_csd_extract" / "census2021_csd_all_5161.csv"
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = DATA / "hsds" / "examples"


@pytest.fixture
def operator(db: None) -> User:
    return operator_user()


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture
def taxonomies(db: None) -> None:
    taxonomy_load(actor=operator_user())


@pytest.fixture
def census(db: None) -> None:
    """Every community with its 2021 population and the 2021 Census Profile extract (immigrant
    share among others), as the demo loads them."""
    framework_load(actor=operator_user())
    community_import_geography(actor=operator_user())
    indicator_definitions_load(actor=operator_user())
    value_import(
        actor=operator_user(), source=CENSUS_CSD, file_name=CENSUS_CSD.name, format="statcan"
    )
    metropolitan_values_compute(actor=operator_user(), codes=["immigrant-share"])


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(taxonomy__hsds_id=hsds_id(NEWCOMER_TAXONOMY_CODE), code=code)


@pytest.fixture
def newcomer_service(taxonomies: None) -> Callable[..., Service]:
    """A sample service tagged with a newcomer term, at a site in `community` (by code)."""

    def make(community: str | None = None, code: str = "settlement", **fields: Any) -> Service:
        service = ServiceFactory(**fields)
        if community is not None:
            place = Community.objects.get(code=community)
            location = LocationFactory(
                organization=service.organization,
                community=place,
                latitude=place.latitude,
                longitude=place.longitude,
            )
            service.service_at_locations.create(location=location)
        service_tags_set(actor=operator_user(), service=service, term_ids=[term(code).pk])
        return service

    return make


@pytest.fixture
def steward_of(person_with_role: Callable[..., User]) -> Callable[[Organization], User]:
    """A synthetic data steward of an ordinary organization."""

    def make(organization: Organization) -> User:
        return person_with_role(Role.DATA_STEWARD, organization)

    return make


@pytest.fixture
def agency(db: None) -> Organization:
    return OrganizationFactory(name_en="Sample agency (synthetic)")
