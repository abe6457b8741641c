"""Scorecards on real CMA data: scores, ranks, peers, explanations, survey-only characteristics."""

import pytest

from welcoming.accounts.services import operator_user
from welcoming.core.locking import StaleEdit
from welcoming.core.models import Community
from welcoming.indicators.services import value_import
from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.selectors import scoring_profile_current
from welcoming.scorecards.services import scoring_profile_save

from .conftest import card_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cma_data")]


_card = card_of


def _every_aggregate_shown() -> ScoringProfile:
    """The CMA test data score 3 of 17 characteristics: below the default threshold, the overall
    score is not shown. Tests of the scoring itself lower the threshold to see it."""
    return scoring_profile_save(actor=operator_user(), name="default", min_framework_coverage=0.0)


def test_every_cma_is_scored_and_ranked_among_all_and_its_peers() -> None:
    card = _card("535", profile=_every_aggregate_shown())
    assert card.units == 41
    # The census agglomerations of the level have none of these CMA-only figures.
    cmas = Community.objects.filter(level="cma", cma_kind="CMA", parent__code="35")
    assert card.peers == cmas.count()
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
    before = _card("535", profile=_every_aggregate_shown()).overall.score
    profile = scoring_profile_save(actor=operator_user(), name="default", weights={"safety": 5.0})
    assert profile.version == 2
    assert ScoringProfile.objects.get(name="default", version=1).weights == {}
    assert _card("535", profile=profile).overall.score != pytest.approx(before)


def test_geometric_aggregation_is_available() -> None:
    profile = scoring_profile_save(
        actor=operator_user(),
        name="geometric",
        aggregation="geom",
        normalisation="minmax",
        min_framework_coverage=0.0,
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
    assert card.trend.first_score is None  # 1998 scored safety alone: no overall to compare


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

    before = _card("535", profile=_every_aggregate_shown()).overall.score
    value = IndicatorValue.objects.get(
        community__code="535", indicator__code="crime-severity-index", period="2023"
    )
    value.value *= 3  # edited in the admin: an audit record, hence a new state of the data
    value.save()
    assert _card("535", profile=scoring_profile_current()).overall.score < before


def test_a_list_peer_group_compares_with_the_listed_communities_only() -> None:
    # Toronto (535) against Montréal, Vancouver, Calgary, Edmonton and Ottawa - Gatineau.
    listed = ["462", "933", "825", "835", "505"]
    profile = scoring_profile_save(
        actor=operator_user(),
        name="big-six",
        peer_group="list",
        peer_list=listed,
        min_framework_coverage=0.0,
    )
    card = _card("535", profile=profile)
    assert card.peers == 6 and not card.peers_widened
    assert 1 <= card.overall.peer_rank <= 6


def test_look_alike_peers_are_the_ten_most_similar_communities() -> None:
    from .conftest import DATA

    relative = "statcan/census_2016_immigrants_by_residence.csv"  # immigrants by CMA
    value_import(
        actor=operator_user(), source=DATA / relative, file_name=relative, format="statcan"
    )
    profile = scoring_profile_save(
        actor=operator_user(), name="alike", peer_group="similar", min_framework_coverage=0.0
    )
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


def test_a_change_from_a_version_no_longer_the_latest_is_refused() -> None:
    first = scoring_profile_save(actor=operator_user(), name="shared", weights={"safety": 2.0})
    scoring_profile_save(
        actor=operator_user(),
        name="shared",
        expected_version=first.version,
        weights={"safety": 3.0},
    )
    with pytest.raises(StaleEdit):
        scoring_profile_save(
            actor=operator_user(), name="shared", expected_version=first.version, aggregation="geom"
        )
    latest = ScoringProfile.objects.filter(name="shared").order_by("-version").first()
    assert (latest.version, latest.aggregation, latest.weights) == (2, "arith", {"safety": 3.0})


def test_two_saves_racing_from_one_version_give_one_new_version(monkeypatch) -> None:
    """The second writer read the same latest version; the unique version number refuses it."""
    first = scoring_profile_save(actor=operator_user(), name="raced", weights={"safety": 2.0})
    real_filter = ScoringProfile.objects.filter

    def stale_read(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        if kwargs == {"name": "raced"}:  # the service's read of the latest version
            monkeypatch.setattr(ScoringProfile.objects, "filter", real_filter)
            scoring_profile_save(
                actor=operator_user(), name="raced", weights={"safety": 4.0}
            )  # the other writer
            return real_filter(name="raced", version=first.version)
        return found

    monkeypatch.setattr(ScoringProfile.objects, "filter", stale_read)
    with pytest.raises(StaleEdit):
        scoring_profile_save(
            actor=operator_user(), name="raced", expected_version=first.version, aggregation="geom"
        )
    # (The other writer ran inside this one's transaction here, and was rolled back with it.)
    assert not real_filter(name="raced", aggregation="geom").exists()
