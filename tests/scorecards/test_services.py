"""Scorecards on real CMA data: scores, ranks, peers, explanations, survey-only characteristics."""

import pytest

from welcoming.accounts.services import operator_user
from welcoming.core.models import Community
from welcoming.indicators.services import value_import
from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.selectors import scoring_profile_current
from welcoming.scorecards.services import scorecard_compute, scoring_profile_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cma_data")]


def _card(code: str, period: str = "2023", profile: ScoringProfile | None = None):
    return scorecard_compute(
        community=Community.objects.get(code=code),
        period=period,
        profile=profile or scoring_profile_current(),
    )


def test_every_cma_is_scored_and_ranked_among_all_and_its_peers() -> None:
    card = _card("535")
    assert card.units == 41
    assert card.peers == Community.objects.filter(level="cma", parent__code="35").count()
    assert 0 <= card.overall.score <= 100
    assert 1 <= card.overall.rank <= 41 and 1 <= card.overall.peer_rank <= card.peers


def test_indicators_explain_the_characteristic_score() -> None:
    card = _card("535")
    safety = next(c for c in card.characteristics if c.characteristic.code == "safety")
    csi = next(line for line in safety.lines if line.indicator.code == "crime-severity-index")
    assert (csi.raw, csi.period) == (59.02, "2023")
    assert sum(line.contribution for line in safety.lines) == pytest.approx(safety.node.score)
    assert sum(line.weight for line in safety.lines) == pytest.approx(1.0)


def test_lower_crime_means_a_higher_safety_score() -> None:
    scores = {
        code: next(
            c.node.score for c in _card(code).characteristics if c.characteristic.code == "safety"
        )
        for code in ("535", "933")
    }
    # Toronto CMA CSI 2023 59.02 is lower (safer) than Vancouver's 88.61.
    assert scores["535"] > scores["933"]


def test_survey_only_characteristics_are_never_given_a_number() -> None:
    card = _card("535")
    assert {c.code for c in card.survey_only} == {
        "social-capital",
        "positive-attitudes",
        "media-coverage",
    }
    scored = {c.characteristic.code for c in card.characteristics}
    assert not scored & {"social-capital", "positive-attitudes", "media-coverage"}
    assert "public-transit" in {c.code for c in card.without_data}


def test_priorities_are_the_characteristics_furthest_behind_peers() -> None:
    card = _card("535")
    gaps = [c.gap for c in card.priorities]
    assert gaps == sorted(gaps) and all(g < 0 for g in gaps) and len(gaps) <= 3


def test_values_as_of_a_period_use_each_indicators_latest_value_up_to_it() -> None:
    card = _card("535", period="2019")
    safety = next(c for c in card.characteristics if c.characteristic.code == "safety")
    assert {line.period for line in safety.lines} == {"2019"}
    # The census (2021) is later than 2019: employment has no value yet, so it is not scored.
    assert "employment-opportunities" in {c.code for c in card.without_data}


def test_a_changed_weight_saves_a_new_version_and_changes_the_score() -> None:
    before = _card("535").overall.score
    profile = scoring_profile_save(actor=operator_user(), name="default", weights={"safety": 5.0})
    assert profile.version == 2
    assert ScoringProfile.objects.get(name="default", version=1).weights == {}
    assert _card("535", profile=profile).overall.score != pytest.approx(before)


def test_geometric_aggregation_is_available() -> None:
    profile = scoring_profile_save(
        actor=operator_user(), name="geometric", aggregation="geom", normalisation="minmax"
    )
    assert _card("535", profile=profile).overall.score is not None


def test_bad_profile_choices_are_refused() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        scoring_profile_save(actor=operator_user(), name="broken", normalisation="astrology")
    assert not ScoringProfile.objects.filter(name="broken").exists()


def test_an_analyst_may_not_change_a_profile(analyst) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        scoring_profile_save(name="default", actor=analyst, weights={"safety": 2})


def test_rank_interval_trend_and_qolrs_view() -> None:
    card = _card("535")
    assert card.interval.low <= card.interval.median <= card.interval.high
    assert card.interval == _card("535").interval  # seeded: the same interval every time
    assert card.trend.first_period == "1998"
    assert {c.code for c in card.categories} == {
        "housing",
        "employment",
        "financial-security",
        "personal-safety",
    }


def test_each_characteristic_carries_its_score_in_the_first_period() -> None:
    card = _card("535")
    earlier = {c.characteristic.code: c.earlier for c in card.characteristics}
    # The crime severity index goes back to 1998; the census indicators start in 2021.
    assert earlier["safety"] is not None
    assert earlier["employment-opportunities"] is None
    assert card.trend.first_score is not None


def test_fixed_goalposts_make_a_score_depend_on_the_communitys_own_value_only() -> None:
    from django.db.models import Max, Min

    from welcoming.indicators.models import IndicatorValue

    profile = scoring_profile_save(actor=operator_user(), name="posts", normalisation="goalposts")
    csi = IndicatorValue.objects.filter(
        indicator__code="crime-severity-index", community__level="cma"
    )
    posts = csi.aggregate(lo=Min("value"), hi=Max("value"))
    for period in ("2019", "2023"):
        safety = next(
            c
            for c in _card("535", period, profile).characteristics
            if c.characteristic.code == "safety"
        )
        [line] = [x for x in safety.lines if x.indicator.code == "crime-severity-index"]
        expected = (posts["hi"] - line.raw) / (posts["hi"] - posts["lo"]) * 100
        assert line.normalised == pytest.approx(expected)


def test_a_changed_value_is_scored_at_once() -> None:
    from welcoming.indicators.models import IndicatorValue

    before = _card("535").overall.score
    value = IndicatorValue.objects.get(
        community__code="535", indicator__code="crime-severity-index", period="2023"
    )
    value.value *= 3  # edited in the admin: an audit record, hence a new state of the data
    value.save()
    assert _card("535").overall.score < before


def test_a_list_peer_group_compares_with_the_listed_communities_only() -> None:
    # Toronto (535) against Montréal (462) and Vancouver (933).
    profile = scoring_profile_save(
        actor=operator_user(), name="big-three", peer_group="list", peer_list=["462", "933"]
    )
    card = _card("535", profile=profile)
    assert card.peers == 3
    assert 1 <= card.overall.peer_rank <= 3


def test_look_alike_peers_are_the_ten_most_similar_communities() -> None:
    from .conftest import DATA

    relative = "statcan/census_2016_immigrants_by_residence.csv"  # immigrants by CMA
    value_import(
        actor=operator_user(), source=DATA / relative, file_name=relative, format="statcan"
    )
    profile = scoring_profile_save(actor=operator_user(), name="alike", peer_group="similar")
    card = _card("535", profile=profile)
    assert card.peers == 11  # itself and its ten look-alikes
    assert card.overall.peer_median is not None


def test_without_demographic_data_look_alikes_fall_back_to_the_province() -> None:
    by_province = _card("535").peers
    profile = scoring_profile_save(actor=operator_user(), name="alike", peer_group="similar")
    assert _card("535", profile=profile).peers == by_province


def test_a_list_of_unknown_codes_is_refused_naming_them() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        scoring_profile_save(
            actor=operator_user(), name="typo", peer_group="list", peer_list=["535", "99999"]
        )
    assert "99999" in str(refused.value.message_dict["peer_list"])
    with pytest.raises(ValidationError) as refused:
        scoring_profile_save(actor=operator_user(), name="empty", peer_group="list")
    assert "peer_list" in refused.value.message_dict
    assert not ScoringProfile.objects.filter(name__in=["typo", "empty"]).exists()


def test_a_survey_indicator_when_it_exists_is_scored_like_any_other() -> None:
    import io

    from welcoming.framework.models import Characteristic

    from ..factories import IndicatorFactory

    indicator = IndicatorFactory(
        code="test-survey-welcome", name_en="Felt welcomed (test survey)", unit="percent"
    )
    indicator.characteristics.set([Characteristic.objects.get(code="positive-attitudes")])
    rows = "".join(
        f"{code},test-survey-welcome,2023,{share}\n"
        for code, share in [("535", 61.0), ("462", 72.5), ("933", 55.0), ("505", 80.0)]
    )
    value_import(
        actor=operator_user(),
        source=io.BytesIO(("community_code,indicator_code,period,value\n" + rows).encode()),
        file_name="survey.csv",
        format="tidy",
    )
    card = _card("535")
    assert "positive-attitudes" in {c.characteristic.code for c in card.characteristics}
    assert "positive-attitudes" not in {c.code for c in card.survey_only}
    assert {c.code for c in card.survey_only} == {"social-capital", "media-coverage"}
