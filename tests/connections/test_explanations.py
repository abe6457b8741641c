"""The engine's reasons in sentences, in English and French."""

import pytest
from django.utils import translation

from welcoming.connections.explanations import (
    exclusion_sentence,
    term_lines,
    unmatched_summary,
)

TIGRINYA_OUT_OF_REACH = [
    {"constraint": "screening", "removed": 12, "detail": "unscreened"},
    {"constraint": "language", "removed": 28, "detail": "tir"},
]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "No screened host within 25 km speaks Tigrinya."),
        ("fr", "Aucun hôte vérifié à moins de 25 km ne parle Tigrigna."),
    ],
)
def test_the_summary_names_the_reach_and_the_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert unmatched_summary(TIGRINYA_OUT_OF_REACH, radius_km=25.0) == expected


def test_each_constraint_reads_as_a_sentence_with_its_count() -> None:
    assert exclusion_sentence("screening", 1, "expired") == "1 host's police check has expired."
    assert (
        exclusion_sentence("language", 28, "tir;eng")
        == "28 hosts do not speak Tigrinya or English at the level the program needs."
    )
    assert exclusion_sentence("capacity", 3, "taken") == (
        "3 suitable hosts were given to other newcomers."
    )
    with translation.override("fr"):
        assert exclusion_sentence("availability", 2, "") == (
            "2 hôtes n'ont aucun moment de la semaine en commun avec ce nouvel arrivant."
        )


def test_a_newcomer_nobody_could_reach_is_said_so() -> None:
    assert unmatched_summary([]) == "No host of the program is within reach of this newcomer."


def test_terms_are_listed_largest_contribution_first() -> None:
    lines = term_lines(
        [
            {"name": "distance", "value": 0.5, "weight": 2.0},
            {"name": "language", "value": 1.0, "weight": 2.0},
        ]
    )
    assert [(line.label, line.points) for line in lines] == [
        ("Language comfort", 2.0),
        ("Distance", 1.0),
    ]
