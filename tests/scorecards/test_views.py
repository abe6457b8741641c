"""The scorecard page and command, in both languages."""

import html
import io
import json

import pytest
from django.core.management import CommandError, call_command

from welcoming.accounts.services import operator_user
from welcoming.core import datastate
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
    scoring_profile_save(
        actor=operator_user(), name="default", min_framework_coverage=0.0
    )  # show the overall score
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


def test_a_save_based_on_an_older_version_is_refused_and_changes_nothing(
    client, data_steward
) -> None:
    client.force_login(data_steward)
    opened = client.get("/en/scoring-profiles/default/", {"level": "cma"}).context["form"]
    first = {**opened.initial, "weight_safety": "10", "winsorise": ""}
    assert client.post("/en/scoring-profiles/default/?level=cma", first).status_code == 302
    second = {**opened.initial, "weight_health": "5", "winsorise": ""}  # opened before the first
    response = client.post("/en/scoring-profiles/default/?level=cma", second)
    assert response.status_code == 200
    assert "changed by someone else since you opened it" in response.content.decode()
    latest = scoring_profile_current(name="default")
    assert (latest.version, latest.weights.get("safety"), latest.weights.get("health")) == (
        2,
        10.0,
        None,
    )


def test_the_refusal_is_in_french_on_the_french_page(client, data_steward) -> None:
    client.force_login(data_steward)
    opened = client.get("/fr/scoring-profiles/default/", {"level": "cma"}).context["form"]
    scoring_profile_save(actor=operator_user(), name="default", weights={"safety": 2.0})
    response = client.post(
        "/fr/scoring-profiles/default/?level=cma", {**opened.initial, "winsorise": ""}
    )
    page = html.unescape(response.content.decode())
    assert "modifiée par quelqu'un d'autre depuis que vous l'avez ouverte" in page


def test_a_form_without_its_version_is_not_saved(client, data_steward) -> None:
    client.force_login(data_steward)
    opened = client.get("/en/scoring-profiles/default/", {"level": "cma"}).context["form"]
    data = {k: v for k, v in opened.initial.items() if k != "version"} | {"weight_safety": "3"}
    response = client.post("/en/scoring-profiles/default/?level=cma", {**data, "winsorise": ""})
    assert response.status_code == 200
    assert scoring_profile_current(name="default").version == 1


def test_weights_that_leave_nothing_to_weigh_are_a_form_error(client, data_steward) -> None:
    client.force_login(data_steward)
    form = client.get("/en/scoring-profiles/default/", {"level": "cma"}).context["form"]
    response = client.post(
        "/en/scoring-profiles/default/?level=cma", {**form.initial, "weight_safety": "0"}
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors and all("(Safety)" in error and "weighs 0" in error for error in errors)
    assert client.get("/en/communities/535/scorecard/").status_code == 200


@pytest.mark.parametrize("period", ["abcd", "2030", "2021-01"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_period_without_scores_is_not_found_with_a_reason(
    client, period: str, language: str
) -> None:
    for path in ("/communities/535/scorecard/", "/compare/"):
        response = client.get(f"/{language}{path}", {"period": period})
        assert response.status_code == 404
        assert f"{period}" in response.content.decode()


def test_the_command_refuses_a_period_without_scores_in_one_line() -> None:
    with pytest.raises(CommandError, match=r"no scores for the period abcd\. Periods with"):
        call_command("scorecard", "535", "--period", "abcd")
    with pytest.raises(CommandError, match="No scoring profile is named nope"):
        call_command("scorecard", "535", "--profile", "nope")


@pytest.mark.parametrize(
    ("language", "name", "licence"),
    [
        ("en", "Default profile", "Statistics Canada Open Licence"),
        ("fr", "Profil par défaut", "Licence ouverte de Statistique Canada"),
    ],
)
def test_profile_name_and_licence_lines_are_in_the_reader_language(
    language: str, name: str, licence: str
) -> None:
    out = io.StringIO()
    call_command(
        "scorecard", "535", "--period", "2023", "--format", "html", "--lang", language, stdout=out
    )
    report = out.getvalue()
    assert name in report and "default" not in report
    assert f"({licence})" in report
    other = "Statistics Canada Open Licence" if language == "fr" else "Licence ouverte"
    assert other not in report


def test_a_profile_saved_before_the_check_never_makes_scoring_raise(client) -> None:
    """Weights that leave the overall score with nothing, saved before weights were checked (or
    made so by data imported later): the scorecard says it has no scores, never a server error."""
    groups_at_zero = {"A": 0, "B": 0, "C": 0, "D": 0}
    ScoringProfile.objects.create(name="older", version=1, weights=groups_at_zero)
    response = client.get("/en/communities/535/scorecard/", {"profile": "older"})
    assert response.status_code == 200 and response.context["card"] is None
    api = client.get("/api/v1/scorecards/535", {"profile": "older"})
    assert api.status_code == 404


def test_a_scorecard_page_asks_the_data_state_once_and_runs_a_handful_of_queries(
    client, monkeypatch, django_assert_max_num_queries
) -> None:
    """Scores, trend, credits and names are kept with the scored level, keyed by the data state:
    a page asks for the state once, however many kept results it reads."""
    scoring_profile_current()  # the default profile exists from the first use: a new state
    client.get("/en/communities/535/scorecard/")  # scores the level, its trend and intervals
    asked: list[None] = []
    query = datastate._query
    monkeypatch.setattr(datastate, "_query", lambda: asked.append(None) or query())
    with django_assert_max_num_queries(3):  # the community, the data state, the profile
        response = client.get("/fr/communities/535/scorecard/")
    assert response.status_code == 200
    assert len(asked) == 1
