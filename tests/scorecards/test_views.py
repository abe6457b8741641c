"""The scorecard page and command, in both languages."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from welcoming.accounts.services import operator_user
from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.selectors import scoring_profile_current
from welcoming.scorecards.services import scoring_profile_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cma_data")]


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Priorities to consider"), ("fr", "Priorités à considérer")]
)
def test_scorecard_page(client, language: str, text: str) -> None:
    response = client.get(f"/{language}/communities/535/scorecard/", {"period": "2023"})
    assert response.status_code == 200
    page = response.content.decode()
    assert (text in page and "59.02" in page) or "59,02" in page


def test_unknown_period_or_profile_is_not_found(client) -> None:
    assert client.get("/en/communities/535/scorecard/", {"period": "1066"}).status_code == 404
    assert client.get("/en/communities/535/scorecard/", {"profile": "nope"}).status_code == 404


def test_scorecard_command_json_and_csv() -> None:
    out = io.StringIO()
    call_command("scorecard", "535", "--period", "2023", stdout=out)
    card = json.loads(out.getvalue())
    assert card["units"] == 41 and card["needs_survey_data"]
    out = io.StringIO()
    call_command(
        "scorecard", "--all", "--level", "cma", "--period", "2023", "--format", "csv", stdout=out
    )
    rows = out.getvalue().splitlines()
    assert rows[0].startswith("community_code,") and len(rows) > 41


def test_scorecard_command_errors_are_clear() -> None:
    with pytest.raises(CommandError, match="No community has the code"):
        call_command("scorecard", "0000")
    with pytest.raises(CommandError, match="one community code, or --all"):
        call_command("scorecard")


def test_scorecard_command_writes_a_bilingual_report(tmp_path) -> None:
    out = io.StringIO()
    call_command(
        "scorecard", "535", "--period", "2023", "--format", "html", "--lang", "fr", stdout=out
    )
    html = out.getvalue()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert "Toronto" in html and '<svg role="img"' in html  # the chart, with its table
    assert "Statistique Canada" in html  # the attribution of the sources, in French
    target = tmp_path / "toronto.pdf"
    call_command("scorecard", "535", "--period", "2023", "--format", "pdf", "--out", str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_report_formats_need_one_community_and_a_pdf_needs_a_file() -> None:
    with pytest.raises(CommandError, match="one community at a time"):
        call_command("scorecard", "--all", "--format", "html")
    with pytest.raises(CommandError, match="--out"):
        call_command("scorecard", "535", "--format", "pdf")


def test_pdf_report_is_a_pdf(client) -> None:
    response = client.get("/fr/communities/535/scorecard.pdf", {"period": "2023"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_data_steward_changes_a_weight_and_the_score_changes(client, data_steward) -> None:
    before = client.get("/en/communities/535/scorecard/", {"period": "2023"}).context["card"]
    client.force_login(data_steward)
    form = client.get("/en/scoring-profiles/default/", {"level": "cma"}).context["form"]
    data = {**form.initial, "weight_safety": "10", "winsorise": ""}
    response = client.post("/en/scoring-profiles/default/?level=cma", data)
    assert response.status_code == 302
    after = client.get("/en/communities/535/scorecard/", {"period": "2023"}).context["card"]
    assert after.profile.version == 2
    assert after.overall.score != before.overall.score


def test_bad_weight_is_refused_with_the_field_named(client, data_steward) -> None:
    client.force_login(data_steward)
    form = client.get("/en/scoring-profiles/default/", {"level": "cma"}).context["form"]
    response = client.post(
        "/en/scoring-profiles/default/?level=cma", {**form.initial, "weight_safety": "-3"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["weight_safety"]


def test_an_analyst_may_not_edit_profiles(client, analyst) -> None:
    client.force_login(analyst)
    assert client.get("/en/scoring-profiles/default/").status_code == 403


@pytest.mark.parametrize("language", ["en", "fr"])
def test_methodology_page_follows_the_profile_in_force(client, language: str) -> None:
    scoring_profile_save(
        actor=operator_user(), name="default", aggregation="geom", weights={"safety": 4.0}
    )
    page = client.get(f"/{language}/scoring-profiles/default/methodology/").content.decode()
    assert ("Geometric mean" if language == "en" else "Moyenne géométrique") in page
    assert ("4.00" if language == "en" else "4,00") in page


def test_comparison_of_a_province_sorted_and_downloadable(client) -> None:
    response = client.get(
        "/en/compare/", {"level": "cma", "province": "24", "period": "2023", "sort": "safety"}
    )
    rows = response.context["comparison"].rows
    assert rows and all(c.parent.code == "24" for c, _rank, _values in rows)
    at = [code for code, _name in response.context["comparison"].columns].index("safety")
    safety = [values[at] for _c, _rank, values in rows]
    assert safety == sorted(safety, reverse=True)
    csv_text = client.get(
        "/en/compare/", {"codes": "535,933", "period": "2023", "format": "csv"}
    ).content.decode()
    assert csv_text.splitlines()[0].startswith("Code,Community,Rank,Overall score")
    assert len(csv_text.splitlines()) == 3
    xlsx = client.get("/fr/compare/", {"codes": "535,933", "format": "xlsx"})
    assert xlsx.content.startswith(b"PK")


def test_unknown_peer_codes_are_named_on_the_form(client, data_steward) -> None:
    client.force_login(data_steward)
    form = client.get("/en/scoring-profiles/default/", {"level": "cma"}).context["form"]
    data = {**form.initial, "winsorise": "", "peer_group": "list", "peer_list": "535, 12345"}
    response = client.post("/en/scoring-profiles/default/?level=cma", data)
    assert response.status_code == 200
    assert "12345" in response.content.decode()
    assert ScoringProfile.objects.filter(name="default").count() == 1


def test_methodology_page_says_what_the_ranks_depend_on(client) -> None:
    response = client.get("/en/scoring-profiles/default/methodology/")
    [sensitivity] = [s for tree, s in response.context["trees"] if tree.level == "cma"]
    assumptions = dict(sensitivity.indices)
    assert set(assumptions) == {
        "Weights",
        "Normalisation method",
        "Aggregation method",
        "Treatment of missing data",
    }
    assert all(0 <= index <= 1 for index in assumptions.values())
    assert "What the ranks depend on" in response.content.decode()


def test_comparison_of_a_population_size_class(client) -> None:
    params = {"level": "cma", "period": "2023"}
    every = client.get("/en/compare/", params).context["comparison"].rows
    large = client.get("/en/compare/", {**params, "size": "large"}).context["comparison"].rows
    small = client.get("/en/compare/", {**params, "size": "small"}).context["comparison"].rows
    # A CMA has 100,000 people or more around its core: every one is of the large class.
    assert len(large) == len(every) == 41 and small == ()


def test_the_page_draws_its_chart_as_an_image_of_its_own(client) -> None:
    page = client.get("/fr/communities/535/scorecard/", {"period": "2023"}).content.decode()
    assert (
        '<img src="/fr/communities/535/scorecard/chart.svg?period=2023&amp;profile=default"' in page
    )
    assert 'alt="Score de chaque caractéristique de Toronto' in page
    chart = client.get("/fr/communities/535/scorecard/chart.svg", {"period": "2023"})
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert chart.content.startswith(b'<svg role="img"') and "Sécurité" in chart.content.decode()
    assert client.get("/fr/communities/0000/scorecard/chart.svg").status_code == 404


def test_saving_the_form_unchanged_keeps_the_version_and_other_weights(
    client, data_steward
) -> None:
    """The form shows characteristics only: an indicator's weight set through the API stays."""
    scoring_profile_save(
        actor=operator_user(), name="default", weights={"crime-severity-index": 3.0}
    )
    client.force_login(data_steward)
    form = client.get("/en/scoring-profiles/default/", {"level": "cma"}).context["form"]
    response = client.post(
        "/en/scoring-profiles/default/?level=cma", {**form.initial, "winsorise": ""}, follow=True
    )
    assert "Nothing changed: the profile stays at version 1." in response.content.decode()
    assert ScoringProfile.objects.filter(name="default").count() == 1
    changed = {**form.initial, "winsorise": "", "weight_safety": "4"}
    client.post("/en/scoring-profiles/default/?level=cma", changed)
    assert scoring_profile_current().weights == {"crime-severity-index": 3.0, "safety": 4.0}
