"""The community profile read: latest value plus series, grouped two ways, in fixed queries."""

import pytest

from tests.slices import load_real_slice
from welcoming.core.models import Community
from welcoming.indicators.selectors import community_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_slice() -> None:
    load_real_slice()


def test_latest_period_is_shown_and_the_whole_series_kept() -> None:
    profile = community_profile(community=Community.objects.get(code="535"))
    safety = next(s for s in profile.categories if s.category.code == "personal-safety")
    (csi,) = [r for r in safety.rows if r.indicator.code == "crime-severity-index"]
    # Statistics Canada 35-10-0026-01, Toronto CMA.
    assert (csi.period, csi.value) == ("2023", 59.02)
    assert dict(csi.series)["2021"] == 45.91 and len(csi.series) >= 3


def test_values_are_grouped_by_category_and_by_characteristic() -> None:
    profile = community_profile(community=Community.objects.get(code="3520005"))
    assert len(profile.categories) == 10
    assert [s.characteristic.rank for s in profile.characteristics] == list(range(1, 18))
    housing = next(
        s for s in profile.characteristics if s.characteristic.code == "affordable-housing"
    )
    assert "cwb-housing" in {r.indicator.code for r in housing.rows}


def test_profile_reads_in_six_light_queries(django_assert_num_queries) -> None:
    """Values as plain rows, then each indicator, import, category, characteristic and link once
    (not an indicator and an import per value)."""
    toronto = Community.objects.get(code="3520005")
    with django_assert_num_queries(6):
        community_profile(community=toronto)
