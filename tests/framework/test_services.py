"""Loading the welcoming-community framework, and refusing bad framework files."""

from pathlib import Path

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from welcoming.accounts.services import operator_user
from welcoming.framework.models import Characteristic, CharacteristicGroup, Framework, QolrsCategory
from welcoming.framework.services import DEFAULT_DIR, framework_load
from welcoming.framework.validation import FrameworkInvalid

pytestmark = pytest.mark.django_db


def _shipped() -> dict:
    return yaml.safe_load((DEFAULT_DIR / "esses-2010.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict, name: str = "custom.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _problems(tmp_path: Path, data: dict) -> list[str]:
    framework_load(actor=operator_user())  # the QOLRS categories a custom framework maps to
    with pytest.raises(FrameworkInvalid) as raised:
        framework_load(actor=operator_user(), path=_write(tmp_path, data))
    return [str(p) for p in raised.value.problems]


def test_shipped_framework_has_the_seventeen_characteristics_in_four_groups() -> None:
    framework_load(actor=operator_user())
    framework = Framework.objects.get(code="esses-2010")
    assert framework.characteristics.count() == 17
    assert list(framework.groups.values_list("code", flat=True)) == ["A", "B", "C", "D"]
    assert QolrsCategory.objects.count() == 10
    first = framework.characteristics.get(rank=1)
    assert (first.code, first.name_en, first.name_fr) == (
        "employment-opportunities",
        "Employment opportunities",
        "Possibilités d'emploi",
    )
    assert first.group.code == "C"


def test_seed_mapping_links_seven_characteristics_to_qolrs_categories() -> None:
    framework_load(actor=operator_user())
    mapped = Characteristic.objects.filter(qolrs_categories__isnull=False).distinct()
    assert mapped.count() == 7
    safety = Characteristic.objects.get(code="safety")
    assert list(safety.qolrs_categories.values_list("code", flat=True)) == ["personal-safety"]


def test_every_characteristic_has_french_name_and_description() -> None:
    framework_load(actor=operator_user())
    for characteristic in Characteristic.objects.all():
        assert characteristic.name_fr and characteristic.description_fr


def test_survey_only_characteristics_say_what_to_collect() -> None:
    framework_load(actor=operator_user())
    survey_only = Characteristic.objects.filter(survey_only=True)
    assert set(survey_only.values_list("code", flat=True)) == {
        "positive-attitudes",
        "media-coverage",
        "social-capital",
    }
    assert all(c.survey_guidance_en and c.survey_guidance_fr for c in survey_only)


def test_loading_twice_changes_nothing() -> None:
    framework_load(actor=operator_user())
    history = Characteristic.history.count()
    results = framework_load(actor=operator_user())
    assert not any(r.changed for r in results)
    assert Characteristic.history.count() == history


def test_unknown_key_is_named(tmp_path: Path) -> None:
    data = _shipped()
    data["characteristics"][0]["colour"] = "blue"
    assert _problems(tmp_path, data) == [
        "characteristics[0] (employment-opportunities).colour: unknown key"
    ]


def test_missing_french_is_named(tmp_path: Path) -> None:
    data = _shipped()
    data["characteristics"][14]["name_fr"] = ""
    del data["groups"][1]["name_fr"]
    assert _problems(tmp_path, data) == [
        "groups[1] (B).name_fr: the French text is missing",
        "characteristics[14] (safety).name_fr: the French text is missing",
    ]


def test_duplicate_codes_and_ranks_are_named(tmp_path: Path) -> None:
    data = _shipped()
    data["characteristics"][1]["code"] = "employment-opportunities"
    data["characteristics"][2]["rank"] = 1
    problems = _problems(tmp_path, data)
    assert "characteristics[1].code: duplicate value employment-opportunities" in problems
    assert "characteristics[2].rank: duplicate value 1" in problems


def test_dangling_mappings_are_named(tmp_path: Path) -> None:
    data = _shipped()
    data["characteristics"][0]["group"] = "Z"
    data["characteristics"][0]["qolrs"] = ["happiness"]
    assert _problems(tmp_path, data) == [
        "characteristics[0] (employment-opportunities).group: no group has the code Z",
        "characteristics[0] (employment-opportunities).qolrs: no QOLRS category has the code "
        "happiness",
    ]


def test_survey_only_needs_guidance(tmp_path: Path) -> None:
    data = _shipped()
    data["characteristics"][0]["survey_only"] = True
    assert _problems(tmp_path, data) == [
        "characteristics[0] (employment-opportunities).survey_guidance_en: "
        "required text is missing",
        "characteristics[0] (employment-opportunities).survey_guidance_fr: "
        "the French text is missing",
    ]


def test_invalid_file_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    framework_load(actor=operator_user())
    data = _shipped()
    data["framework"]["name_en"] = "Changed"
    data["characteristics"][3]["group"] = "nowhere"
    with pytest.raises(FrameworkInvalid):
        framework_load(actor=operator_user(), path=_write(tmp_path, data))
    assert Framework.objects.get(code="esses-2010").name_en != "Changed"


def test_not_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("kind: framework\ngroups: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as raised:
        framework_load(actor=operator_user(), path=path)
    assert raised.value.problems[0].message == "this is not valid YAML"


def test_a_municipality_can_add_its_own_framework_beside_the_shipped_one(tmp_path: Path) -> None:
    framework_load(actor=operator_user())
    data = {
        "kind": "framework",
        "schema_version": 1,
        "framework": {
            "code": "lethbridge-2025",
            "version": "1",
            "name_en": "Our own",
            "name_fr": "Le nôtre",
        },
        "groups": [{"code": "G", "order": 1, "name_en": "Belonging", "name_fr": "Appartenance"}],
        "characteristics": [
            {
                "code": "belonging",
                "rank": 1,
                "group": "G",
                "name_en": "Belonging",
                "name_fr": "Appartenance",
                "description_en": "People feel at home.",
                "description_fr": "Les gens se sentent chez eux.",
                "qolrs": ["civic-engagement"],
            }
        ],
    }
    framework_load(actor=operator_user(), path=_write(tmp_path, data))
    assert set(Framework.objects.values_list("code", flat=True)) == {
        "esses-2010",
        "lethbridge-2025",
    }
    assert CharacteristicGroup.objects.filter(framework__code="lethbridge-2025").count() == 1


def test_a_characteristic_can_be_dropped_by_a_new_version(tmp_path: Path) -> None:
    framework_load(actor=operator_user())
    data = _shipped()
    data["characteristics"] = data["characteristics"][:-1]
    framework_load(actor=operator_user(), path=_write(tmp_path, data, "esses-2010.yaml"))
    assert not Characteristic.objects.filter(code="media-coverage").exists()


def test_analyst_may_not_load_a_framework(analyst) -> None:
    with pytest.raises(PermissionDenied):
        framework_load(actor=analyst)


def test_data_steward_may_load_a_framework(data_steward) -> None:
    framework_load(actor=data_steward)
    assert Framework.objects.count() == 1


def test_cli_lists_every_problem_and_fails(tmp_path: Path, capsys) -> None:
    data = _shipped()
    data["characteristics"][0]["name_fr"] = ""
    data["characteristics"][1]["name_fr"] = ""
    framework_load(actor=operator_user(), path=DEFAULT_DIR / "fcm-qolrs.yaml")
    with pytest.raises(CommandError, match="Nothing was loaded: 2 problems"):
        call_command("load_framework", str(_write(tmp_path, data)))
    assert not Framework.objects.exists()


def test_cli_loads_the_shipped_framework(capsys) -> None:
    call_command("load_framework")
    assert "esses-2010 (loaded)" in capsys.readouterr().out
