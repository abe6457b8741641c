"""The scorecard's presence of newcomer-serving agencies, counted from the directory."""

import datetime

import pytest
from django.urls import reverse

from welcoming.accounts.services import operator_user
from welcoming.core.models import Community
from welcoming.directory.indicator import INDICATOR_CODE, directory_indicator_refresh
from welcoming.directory.models import Service
from welcoming.directory.steward_services import service_create
from welcoming.indicators.models import ImportBatch, IndicatorValue
from welcoming.scorecards.selectors import scoring_profile_current
from welcoming.scorecards.services import scorecard_compute, scoring_profile_save

from .conftest import term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("census")]

MONCTON, BRANDON, WHITEHORSE = "1307022", "4607062", "6001009"
DAY = datetime.date(2026, 12, 6)


def _value(code: str) -> float:
    return IndicatorValue.objects.get(
        indicator__code=INDICATOR_CODE, community__code=code, period="2026"
    ).value


def test_rate_is_services_per_10000_immigrants_with_the_count_date(newcomer_service) -> None:
    newcomer_service(MONCTON)
    newcomer_service(MONCTON, code="language-linc-clic")
    newcomer_service(MONCTON, status=Service.Status.INACTIVE)  # not counted
    assert directory_indicator_refresh(actor=operator_user(), today=DAY) == 2  # Moncton, its CMA
    moncton = Community.objects.get(code=MONCTON)
    share = IndicatorValue.objects.get(
        indicator__code="immigrant-share", community=moncton, period="2021"
    ).value
    immigrants = share * moncton.population / 100  # 10.9 % of 79,470
    assert _value(MONCTON) == pytest.approx(2 * 10_000 / immigrants, abs=0.01)
    value = IndicatorValue.objects.get(indicator__code=INDICATOR_CODE, community=moncton)
    assert value.batch.format == ImportBatch.Format.COMPUTED
    assert "2026-12-06" in value.batch.source_en and "2026-12-06" in value.batch.source_fr
    assert "only the services this directory lists" in value.batch.source_en


def test_a_refresh_that_finds_nothing_new_writes_nothing(newcomer_service) -> None:
    newcomer_service(MONCTON)
    directory_indicator_refresh(actor=operator_user(), today=DAY)
    batches = ImportBatch.objects.count()
    assert directory_indicator_refresh(actor=operator_user(), today=DAY) == 0
    assert ImportBatch.objects.count() == batches


def test_a_community_whose_last_service_goes_falls_to_zero(newcomer_service) -> None:
    service = newcomer_service(MONCTON)
    directory_indicator_refresh(actor=operator_user(), today=DAY)
    service.status = Service.Status.INACTIVE
    service.save()
    directory_indicator_refresh(actor=operator_user(), today=DAY)
    assert _value(MONCTON) == 0


def test_untagged_services_and_services_without_a_place_do_not_count(newcomer_service) -> None:
    newcomer_service(None)  # no site, no service area
    assert directory_indicator_refresh(actor=operator_user(), today=DAY) == 0


def test_the_scorecard_moves_when_a_steward_adds_a_service(
    newcomer_service, django_capture_on_commit_callbacks
) -> None:
    for code, services in ((MONCTON, 1), (BRANDON, 2), (WHITEHORSE, 3)):
        for _n in range(services):
            newcomer_service(code)
    directory_indicator_refresh(actor=operator_user())
    profile = scoring_profile_save(actor=operator_user(), name="default")
    period = str(datetime.date.today().year)

    def presence() -> float | None:
        card = scorecard_compute(
            community=Community.objects.get(code=MONCTON),
            period=period,
            profile=scoring_profile_current(),
            detailed=False,
        )
        assert card is not None
        found = next(
            c for c in card.characteristics if c.characteristic.code == "newcomer-serving-agencies"
        )
        return found.node.score

    before = presence()
    moncton = Community.objects.get(code=MONCTON)
    site = (
        Service.objects.filter(service_at_locations__location__community=moncton)
        .first()
        .service_at_locations.get()
        .location
    )
    with django_capture_on_commit_callbacks(execute=True):
        service_create(
            actor=operator_user(),
            organization=site.organization,
            fields={"name_en": "Sample LINC classes", "name_fr": "Cours CLIC exemple"},
            term_ids=[term("language-linc-clic").pk],
            location_ids=[site.pk],
        )
    assert presence() != before
    assert profile.name == "default"


def test_the_scorecard_page_says_it_counts_only_this_directory(client, newcomer_service) -> None:
    for code in (MONCTON, BRANDON):
        newcomer_service(code)
    directory_indicator_refresh(actor=operator_user())
    scoring_profile_save(actor=operator_user(), name="default")
    page = client.get(reverse("scorecards:scorecard", args=[MONCTON]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Newcomer-serving services per 10,000 immigrants" in text
    assert "Counts only the services this directory lists." in text


def test_an_import_counts_the_directory_again(
    newcomer_service, django_capture_on_commit_callbacks
) -> None:
    from tests.directory.conftest import EXAMPLES
    from welcoming.directory.services import directory_import

    service = newcomer_service(MONCTON)
    directory_indicator_refresh(actor=operator_user())
    Service.objects.filter(pk=service.pk).update(status=Service.Status.INACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        directory_import(
            path=EXAMPLES / "service_full.json", source="example", actor=operator_user()
        )
    period = str(datetime.date.today().year)
    value = IndicatorValue.objects.get(
        indicator__code=INDICATOR_CODE, community__code=MONCTON, period=period
    )
    assert value.value == 0
