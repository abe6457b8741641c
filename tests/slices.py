"""A small slice of the real data for page and browser tests (figures from src/welcoming/data)."""

import io

from welcoming.accounts.services import operator_user
from welcoming.core.models import Community
from welcoming.framework.services import framework_load
from welcoming.indicators.services import indicator_definitions_load, value_import

HEADER = "community_code,indicator_code,period,value,status\n"
# Real figures: ISC Community Well-Being 2021 (Toronto CSD); Statistics Canada 35-10-0026-01,
# crime severity index of the Toronto CMA (the table's DGUID 2021A003535535), 2019 to 2023.
VALUES = """3520005,cwb-income,2021,86,
3520005,cwb-education,2021,74,
3520005,cwb-housing,2021,91,
3520005,cwb-labour-force,2021,83,
3520005,cwb-overall,2021,83,
3520005,population,2021,2794356,
535,crime-severity-index,2019,54.46,
535,crime-severity-index,2020,46.65,
535,crime-severity-index,2021,45.91,
535,crime-severity-index,2022,52.86,
535,crime-severity-index,2023,59.02,
535,median-after-tax-household-income,2021,85000,
"""


def load_real_slice() -> None:
    """Canada, Ontario, Québec, Toronto, Montréal and the Toronto CMA with real figures."""
    framework_load(actor=operator_user())
    indicator_definitions_load(actor=operator_user())
    canada = Community.objects.create(
        code="01",
        dguid="2021A000011124",
        name_en="Canada",
        name_fr="Canada",
        level="country",
        population=36_991_981,
    )
    ontario = Community.objects.create(
        code="35",
        dguid="2021A000235",
        name_en="Ontario",
        name_fr="Ontario",
        level="province",
        parent=canada,
        population=14_223_942,
    )
    quebec = Community.objects.create(
        code="24",
        dguid="2021A000224",
        name_en="Quebec",
        name_fr="Québec",
        level="province",
        parent=canada,
        population=8_501_833,
    )
    Community.objects.create(
        code="3520005",
        dguid="2021A00053520005",
        name_en="Toronto",
        name_fr="Toronto",
        level="csd",
        parent=ontario,
        population=2_794_356,
        population_previous=2_731_571,
    )
    Community.objects.create(
        code="2466023",
        dguid="2021A00052466023",
        name_en="Montréal",
        name_fr="Montréal",
        level="csd",
        parent=quebec,
        population=1_762_949,
        population_previous=1_704_694,
    )
    Community.objects.create(
        code="535",
        dguid="2021S0503535",
        name_en="Toronto",
        name_fr="Toronto",
        level="cma",
        parent=ontario,
    )
    value_import(
        actor=operator_user(),
        source=io.BytesIO((HEADER + VALUES).encode()),
        file_name="slice.csv",
        format="tidy",
    )
