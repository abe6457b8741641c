"""What a person reads on a scorecard is defensible: an overall or group score only with enough
of the framework behind it, "scored on N of 17", trends between like and like, priorities with
a minimum gap among enough peers, and values without ranks for a level of one (Canada).

Real CMA data: 3 of the 17 characteristics are scored (safety since 1998 for the largest CMAs,
Moncton since 2006; employment and housing from the 2021 census)."""

import html
import io
import json
import re

import pytest
from django.core.management import call_command

from welcoming.accounts.services import operator_user
from welcoming.core.models import Community
from welcoming.engines.scoring import TrendBasis
from welcoming.scorecards.comparison import scorecard_compare
from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.selectors import scoring_profile_current
from welcoming.scorecards.services import (
    TREND_CHANGED,
    TREND_FIRST_PERIOD,
    TREND_OVERALL_NOT_SHOWN,
    TREND_SAME,
    scorecard_compute,
    scoring_profile_save,
)

from .conftest import card_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cma_data")]


_card = card_of


def _page(client, code: str, language: str = "en", **params: str) -> str:
    response = client.get(f"/{language}/communities/{code}/scorecard/", params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# Coverage of the framework


def test_overall_coverage_is_the_share_of_the_17_characteristics_with_a_score() -> None:
    card = _card("535")
    assert (card.scored, card.in_framework) == (3, 17)
    assert card.overall.coverage == pytest.approx(3 / 17)
    assert (card.overall.scored, card.overall.of) == (3, 17)


def test_overall_and_groups_below_the_profiles_threshold_are_not_shown() -> None:
    card = _card("535")
    assert card.profile.min_framework_coverage == 0.5
    assert not card.overall.shown
    assert (card.overall.score, card.overall.rank, card.overall.peer_median) == (None, None, None)
    groups = {g.code: g for g in card.groups}
    assert list(groups) == ["A", "B", "C", "D"]  # every group of the framework, scored or not
    assert (groups["C"].scored, groups["C"].of) == (3, 9)
    assert groups["C"].coverage == pytest.approx(3 / 9)
    assert not any(g.shown for g in card.groups)
    assert all(g.score is None for g in card.groups)


def test_a_lower_threshold_shows_the_overall_and_the_group_that_meet_it() -> None:
    profile = scoring_profile_save(
        actor=operator_user(), name="lenient", min_framework_coverage=0.15
    )
    card = _card("535", profile=profile)
    assert card.overall.shown and card.overall.score is not None and card.overall.rank
    groups = {g.code: g for g in card.groups}
    assert groups["C"].shown and groups["C"].score is not None
    assert not groups["A"].shown and groups["A"].score is None  # nothing scored in it


def test_the_threshold_is_a_profile_choice_with_a_range() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        scoring_profile_save(actor=operator_user(), name="broken", min_framework_coverage=1.5)
    assert "min_framework_coverage" in refused.value.message_dict
    assert "min_framework_coverage" in ScoringProfile.CHOICE_FIELDS


@pytest.mark.parametrize(
    ("language", "scored", "survey", "hidden"),
    [
        (
            "en",
            "Scored on 3 of 17 characteristics.",
            "Needs survey data:",
            "Not shown: scored on 3 of 17 characteristics",
        ),
        (
            "fr",
            "Évaluée sur 3 des 17 caractéristiques.",
            "Exige des données d'enquête :",
            "Non affiché : évaluée sur 3 des 17 caractéristiques",
        ),
    ],
)
def test_the_page_says_on_how_many_characteristics_and_which_lack_data(
    client, language: str, scored: str, survey: str, hidden: str
) -> None:
    page = _page(client, "535", language, period="2023")
    assert scored in page and survey in page and hidden in page
    public_transit = "public transit" if language == "en" else "Transport en commun"
    assert public_transit in page.split(survey)[1]  # listed with those without data yet


def test_the_report_says_on_how_many_characteristics_in_both_languages() -> None:
    for language, text in [("en", "Scored on 3 of 17"), ("fr", "Évaluée sur 3 des 17")]:
        out = io.StringIO()
        call_command(
            "scorecard",
            "535",
            "--period",
            "2023",
            "--format",
            "html",
            "--lang",
            language,
            stdout=out,
        )
        assert text in out.getvalue()


def test_the_csv_says_on_how_many_characteristics_and_why_the_others_have_no_score() -> None:
    import csv

    out = io.StringIO()
    call_command("scorecard", "535", "--period", "2023", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {(r["characteristics_scored"], r["characteristics_in_framework"]) for r in rows} == {
        ("3", "17")
    }
    status = {r["code"]: r["status"] for r in rows}
    assert status["overall"] == "not-shown" and status["safety"] == "scored"
    assert status["media-coverage"] == "needs-survey-data"
    assert status["public-transit"] == "no-data-yet"
    assert len([r for r in rows if r["level"] == "characteristic"]) == 17


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Scored on 3 of 17 characteristics."),
        ("fr", "Évaluée sur 3 des 17 caractéristiques."),
    ],
)
def test_the_api_says_on_how_many_characteristics(client, language: str, text: str) -> None:
    body = client.get(
        "/api/v1/scorecards/535", {"period": "2023"}, HTTP_ACCEPT_LANGUAGE=language
    ).json()
    assert (body["characteristics_scored"], body["characteristics_in_framework"]) == (3, 17)
    assert body["coverage_statement"] == text
    assert body["overall"]["shown"] is False and body["overall"]["score"] is None
    assert body["overall"]["coverage"] == pytest.approx(3 / 17)
    assert "public-transit" in body["no_data_yet"]
    assert body["needs_survey_data"] == ["social-capital", "positive-attitudes", "media-coverage"]


# Trends


def test_the_trend_starts_at_the_communitys_own_first_period() -> None:
    """Moncton enters the crime data in 2006, the level in 1998: its trend starts in 2006."""
    trend = _card("305").trend
    assert trend.first_period == "2006"
    assert (trend.first_units, trend.units) == (32, 41)


def test_a_changed_set_of_characteristics_compares_per_characteristic_only() -> None:
    card = _card(
        "535",
        profile=scoring_profile_save(
            actor=operator_user(), name="lenient", min_framework_coverage=0
        ),
    )
    trend = card.trend
    assert (trend.first_period, trend.basis, trend.reason) == (
        "1998",
        TrendBasis.CHARACTERISTICS,
        TREND_CHANGED,
    )
    assert (trend.first_score, trend.first_rank) == (None, None)  # 1998 was safety alone
    assert {c.code for c in trend.added} == {"employment-opportunities", "affordable-housing"}
    assert (trend.first_units, trend.units) == (24, 41)
    earlier = {c.characteristic.code: c.earlier for c in card.characteristics}
    assert earlier["safety"] is not None and earlier["employment-opportunities"] is None


def test_the_same_characteristics_compare_the_overall_score() -> None:
    card = _card(
        "535",
        "2019",
        scoring_profile_save(actor=operator_user(), name="lenient", min_framework_coverage=0),
    )
    trend = card.trend
    assert (trend.basis, trend.reason) == (TrendBasis.OVERALL, TREND_SAME)
    assert trend.first_score is not None and 1 <= trend.first_rank <= trend.first_units == 24
    assert trend.units == card.units


def test_without_an_overall_score_the_trend_is_per_characteristic() -> None:
    trend = _card("535", "2019").trend
    assert (trend.basis, trend.reason) == (TrendBasis.CHARACTERISTICS, TREND_OVERALL_NOT_SHOWN)
    assert trend.first_score is None


def test_the_first_period_with_data_says_there_is_no_trend_and_why() -> None:
    trend = _card("305", "2006").trend
    assert (trend.basis, trend.reason) == (TrendBasis.NONE, TREND_FIRST_PERIOD)
    assert "2006 is the first period with data" in trend.explanation


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Characteristics were added since 2006"),
        ("fr", "Des caractéristiques ont été ajoutées depuis 2006"),
    ],
)
def test_the_page_says_what_the_trend_compares(client, language: str, text: str) -> None:
    page = _page(client, "305", language, period="2023")
    assert text in page
    assert ("32 then, 41 now" if language == "en" else "32 alors, 41 maintenant") in page
    assert "Score in 2006" in page or "Score en 2006" in page


def test_the_api_gives_the_trend_basis_and_its_reason(client) -> None:
    body = client.get("/api/v1/scorecards/305", {"period": "2023"}).json()
    trend = body["trend"]
    assert (trend["first_period"], trend["basis"], trend["reason"]) == (
        "2006",
        "characteristics",
        "characteristics-changed",
    )
    assert (trend["first_units"], trend["units"], trend["first_score"]) == (32, 41, None)
    assert trend["explanation"].startswith("Characteristics were added since 2006")


# Priorities and peers


def test_a_small_gap_is_not_a_priority() -> None:
    """Brantford is behind its Ontario peers by less than 2 points on employment and housing."""
    card = _card("543", profile=scoring_profile_current())
    gaps = {c.characteristic.code: c.gap for c in card.characteristics}
    assert -2 < gaps["employment-opportunities"] < 0 and -2 < gaps["affordable-housing"] < 0
    priorities = {c.characteristic.code for c in card.priorities}
    assert not priorities & {"employment-opportunities", "affordable-housing"}


def test_every_priority_is_behind_by_at_least_two_points() -> None:
    for community in Community.objects.filter(level="cma"):
        card = scorecard_compute(
            community=community, period="2023", profile=scoring_profile_current(), detailed=False
        )
        if card is not None:  # census agglomerations have no CMA-only figures
            assert all(c.gap <= -2 for c in card.priorities), community.name


def test_a_peer_group_smaller_than_five_widens_to_the_level() -> None:
    """Winnipeg is Manitoba's only CMA: not '1st of 1 among peers' but among all 41."""
    card = _card("602")
    assert (card.peer_group_size, card.peers, card.peers_widened) == (1, 41, True)
    safety = next(c for c in card.characteristics if c.characteristic.code == "safety")
    assert safety.node.peer_rank == safety.node.rank
    toronto = _card("535")  # 16 CMAs in Ontario: the province stays
    assert (toronto.peers, toronto.peers_widened) == (16, False)


def test_a_chosen_list_of_fewer_than_five_peers_widens_too() -> None:
    profile = scoring_profile_save(
        actor=operator_user(), name="big-three", peer_group="list", peer_list=["462", "933"]
    )
    card = _card("535", profile=profile)
    assert (card.peer_group_size, card.peers, card.peers_widened) == (3, 41, True)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Communities with data in the peer group: 1, fewer than 5."),
        ("fr", "Collectivités avec des données dans le groupe de pairs : 1, moins de 5."),
    ],
)
def test_the_page_says_when_the_peers_are_the_whole_level(client, language, text) -> None:
    assert text in _page(client, "602", language, period="2023")


@pytest.mark.parametrize(
    ("language", "rule", "none"),
    [
        (
            "en",
            "by at least 2 points",
            "No characteristic is behind its peers by that margin.",
        ),
        (
            "fr",
            "d'au moins 2 points",
            "Aucune caractéristique n'accuse un tel retard sur ses pairs.",
        ),
    ],
)
def test_the_page_states_the_priority_rule_and_says_when_nothing_is_behind(
    client, language: str, rule: str, none: str
) -> None:
    assert not _card("932").priorities  # Abbotsford - Mission
    page = _page(client, "932", language, period="2023")
    assert rule in page and none in page
    behind = _page(client, "305", language, period="2023")  # Moncton: safety well behind
    assert rule in behind and none not in behind


# A level of one


def test_a_level_of_one_shows_values_not_ranks() -> None:
    canada = Community.objects.get(level="country")
    card = _card(canada.code)
    assert card.units == 1 and not card.ranked
    assert card.priorities == () and card.interval is None
    for item in card.characteristics:
        assert (item.node.rank, item.node.peer_rank, item.node.peer_median) == (None, None, None)
    assert all(c.rank is None for c in card.categories)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "This is the only community of its kind"),
        ("fr", "C'est la seule collectivité de son genre"),
    ],
)
def test_canadas_page_has_no_rank_of_one(client, language: str, text: str) -> None:
    canada = Community.objects.get(level="country")
    page = _page(client, canada.code, language, period="2023")
    assert text in page
    assert not re.search(r"\b1 (of|sur) 1\b", page)  # "scored on 1 of 17" is no rank


def test_the_api_of_a_level_of_one_gives_no_ranks(client) -> None:
    canada = Community.objects.get(level="country")
    body = client.get(f"/api/v1/scorecards/{canada.code}", {"period": "2023"}).json()
    assert body["ranked"] is False and body["priorities"] == []
    assert all(c["rank"] is None for c in body["characteristics"])
    assert json.dumps(body)  # plain data throughout


@pytest.mark.parametrize(
    ("language", "threshold", "rule"),
    [
        ("en", "at least 50% of the 17 characteristics", "and by at least 2 points"),
        ("fr", "au moins 50 % des 17 caractéristiques", "et d'au moins 2 points"),
    ],
)
def test_the_methodology_page_states_how_a_scorecard_is_read(
    client, language: str, threshold: str, rule: str
) -> None:
    response = client.get(f"/{language}/scoring-profiles/default/methodology/")
    page = html.unescape(response.content.decode())
    assert threshold in page and rule in page


def test_the_comparison_shows_no_overall_score_on_too_few_characteristics(client) -> None:
    """3 of 17 characteristics are below the default half: no overall score nor rank, on the
    page, in the API and in the download; a profile that asks for less shows them."""
    strict = scorecard_compare(level="cma", period="2023", profile=scoring_profile_current())
    assert strict is not None and strict.rows
    assert all(rank is None and values[0] is None for _c, rank, values in strict.rows)
    assert any(value is not None for _c, _r, values in strict.rows for value in values[1:])
    lenient = scoring_profile_save(actor=operator_user(), name="lenient", min_framework_coverage=0)
    shown = scorecard_compare(level="cma", period="2023", profile=lenient)
    assert shown is not None and any(values[0] is not None for _c, _r, values in shown.rows)
    api = client.get("/api/v1/scorecards/compare", {"period": "2023"}).json()
    assert api["min_framework_coverage"] == 0.5 and api["characteristics_in_framework"] == 17
    assert all(row["rank"] is None and row["scores"]["overall"] is None for row in api["rows"])
    page = html.unescape(client.get("/fr/compare/", {"period": "2023"}).content.decode())
    assert "au moins 50" in page
