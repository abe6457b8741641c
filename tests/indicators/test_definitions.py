"""Indicator definitions: shipped ones load, bad ones are refused with every problem named."""

from pathlib import Path

import pytest
import yaml

from welcoming.accounts.services import operator_user
from welcoming.framework.services import framework_load
from welcoming.indicators.definitions import DefinitionsInvalid
from welcoming.indicators.models import Indicator
from welcoming.indicators.services import DEFINITIONS_DIR, indicator_definitions_load

pytestmark = pytest.mark.django_db


def test_shipped_definitions_are_bilingual_and_mapped() -> None:
    framework_load(actor=operator_user())
    # 34 from the census and registers, and the directory's count of newcomer services.
    assert indicator_definitions_load(actor=operator_user()) == 35
    safety = Indicator.objects.get(code="crime-severity-index")
    assert safety.direction == "lower" and safety.qolrs_category.code == "personal-safety"
    assert list(safety.characteristics.values_list("code", flat=True)) == ["safety"]
    for indicator in Indicator.objects.all():
        assert indicator.name_fr and indicator.definition_fr and indicator.attribution_fr
    assert indicator_definitions_load(actor=operator_user()) == 0


def test_bad_definitions_are_all_named(tmp_path: Path) -> None:
    framework_load(actor=operator_user())
    data = yaml.safe_load((DEFINITIONS_DIR / "statcan-2021.yaml").read_text(encoding="utf-8"))
    data["indicators"][0]["name_fr"] = ""
    data["indicators"][1]["qolrs"] = "happiness"
    data["indicators"][2]["characteristics"] = ["kindness"]
    data["indicators"][3]["code"] = "population"
    data["indicators"][4]["colour"] = "red"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionsInvalid) as raised:
        indicator_definitions_load(actor=operator_user(), path=path)
    assert [str(p) for p in raised.value.problems] == [
        "indicators[0] (population).name_fr: the French text is missing",
        "indicators[1] (population-change).qolrs: no QOLRS category has the code happiness",
        "indicators[2] (population-density).characteristics: no characteristic has the code "
        "kindness",
        "indicators[3] (population).code: duplicate value population",
        "indicators[4] (cwb-education).colour: unknown key",
    ]
    assert not Indicator.objects.exists()
