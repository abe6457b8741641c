"""The indicators admin stays usable with a million values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.slices import load_real_slice
from welcoming.core.models import Community
from welcoming.indicators.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_slice() -> None:
    load_real_slice()


def test_import_batches_are_written_only_by_imports(admin_client) -> None:
    assert admin_client.get("/en/admin/indicators/importbatch/").status_code == 200
    assert admin_client.get("/en/admin/indicators/importbatch/add/").status_code == 403


def test_value_form_has_no_full_table_dropdown(admin_client) -> None:
    value = IndicatorValue.objects.first()
    assert value is not None
    page = admin_client.get(f"/en/admin/indicators/indicatorvalue/{value.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<select name="community"' not in html and '<select name="batch"' not in html


def test_value_changelist_queries_do_not_grow_with_rows(
    admin_client, django_assert_max_num_queries
) -> None:
    url = "/en/admin/indicators/indicatorvalue/"
    with CaptureQueriesContext(connection) as before:
        assert admin_client.get(url).status_code == 200
    indicator = Indicator.objects.get(code="population")
    for n in range(30):
        community = Community.objects.create(
            code=f"35{n:05d}", name_en=f"Place {n}", name_fr=f"Lieu {n}", level="csd"
        )
        IndicatorValue.objects.create(
            community=community, indicator=indicator, period="2021", value=n
        )
    with django_assert_max_num_queries(len(before)):
        admin_client.get(url)
