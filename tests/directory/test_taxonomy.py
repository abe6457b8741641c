"""The newcomer-services taxonomy: bilingual, mapped to Open Eligibility, loaded idempotently."""

from pathlib import Path

import pytest
import yaml

from welcoming.accounts.services import operator_user
from welcoming.directory.models import Taxonomy, TaxonomyTerm, TermMapping
from welcoming.directory.taxonomy import (
    NEWCOMER_TAXONOMY_CODE,
    NEWCOMER_TAXONOMY_FILE,
    OPEN_ELIGIBILITY_CODE,
    TaxonomyInvalid,
    hsds_id,
    newcomer_taxonomy_spec,
    taxonomy_load,
)

pytestmark = pytest.mark.django_db

REQUIRED_NEEDS = {
    "settlement", "language-training", "employment", "housing", "health", "education",
    "libraries", "legal", "interpretation-translation", "welcome-centres",
    "community-connections", "children-families", "youth", "seniors", "women", "2slgbtqi",
    "refugees",
}  # fmt: skip


def test_the_taxonomy_covers_every_need_the_issue_names_in_both_languages() -> None:
    spec = newcomer_taxonomy_spec()
    top = {t.code for t in spec.terms if t.parent is None}
    assert top >= REQUIRED_NEEDS
    for term in spec.terms:
        assert term.texts["name_fr"].strip() and term.texts["description_fr"].strip()
        assert term.open_eligibility, f"{term.code} maps to no Open Eligibility term"


def test_official_french_names_of_programs() -> None:
    names = {t.code: t.texts["name_fr"] for t in newcomer_taxonomy_spec().terms}
    assert names["language-linc-clic"] == "Cours de langue pour les immigrants au Canada (CLIC)"
    assert names["education-swis"] == "Travailleurs d'établissement dans les écoles (TEE)"
    assert names["refugees-resettlement-assistance"] == (
        "Programme d'aide à la réinstallation (PAR)"
    )


def test_load_twice_writes_nothing_the_second_time() -> None:
    first = taxonomy_load(actor=operator_user())
    assert first.created > 300  # 290 Open Eligibility terms, ours, their mappings
    second = taxonomy_load(actor=operator_user())
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created
    ours = Taxonomy.objects.get(hsds_id=hsds_id(NEWCOMER_TAXONOMY_CODE))
    linc = TaxonomyTerm.objects.get(taxonomy=ours, code="language-linc-clic")
    assert linc.hsds_id == hsds_id(NEWCOMER_TAXONOMY_CODE, "language-linc-clic")
    assert linc.parent.code == "language-training"
    assert linc.name_fr == "Cours de langue pour les immigrants au Canada (CLIC)"
    esl = TermMapping.objects.filter(term=linc).values_list("target__code", flat=True)
    assert "109-03-03" in set(esl)  # English as a Second Language (ESL)
    assert Taxonomy.objects.filter(hsds_id=hsds_id(OPEN_ELIGIBILITY_CODE)).exists()


def test_a_changed_name_is_updated_and_a_dropped_mapping_removed(tmp_path: Path) -> None:
    taxonomy_load(actor=operator_user())
    data = yaml.safe_load(NEWCOMER_TAXONOMY_FILE.read_text(encoding="utf-8"))
    data["terms"][0]["name_fr"] = "Établissement et orientation des nouveaux arrivants"
    data["terms"][0]["open_eligibility"] = ["108-05"]
    changed = tmp_path / "taxonomy.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = taxonomy_load(actor=operator_user(), path=changed)
    assert report.created == 0 and report.updated == 3  # the name, two mappings gone
    term = TaxonomyTerm.objects.get(code="settlement")
    assert term.name_fr == "Établissement et orientation des nouveaux arrivants"
    assert list(term.mappings.values_list("target__code", flat=True)) == ["108-05"]


def test_a_bad_file_names_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    data = yaml.safe_load(NEWCOMER_TAXONOMY_FILE.read_text(encoding="utf-8"))
    data["terms"][1]["name_fr"] = ""
    data["terms"][2]["open_eligibility"] = ["999-99"]
    data["terms"][3]["code"] = data["terms"][0]["code"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TaxonomyInvalid) as raised:
        taxonomy_load(actor=operator_user(), path=bad)
    places = " ".join(str(p) for p in raised.value.problems)
    assert "terms[1] (language-training).name_fr" in places
    assert "999-99" in places
    assert "duplicate value settlement" in places
    assert not TaxonomyTerm.objects.exists()


def test_the_search_form_lists_every_need_under_its_parent() -> None:
    from welcoming.directory.search_forms import ServiceSearchForm

    taxonomy_load(actor=operator_user())
    choices = ServiceSearchForm().fields["category"].choices
    labels = [str(label) for _code, label in choices]
    parent = labels.index("Children and families")
    assert labels[parent + 1 : parent + 3] == [
        "– Care for Newcomer Children",
        "– Parenting and early years",
    ]
    assert not labels[1].startswith("–")  # no need hangs under "Any need"
