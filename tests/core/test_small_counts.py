"""Small counts as people and API clients see them."""

from django.template import Context, Template
from django.utils import translation

from welcoming.core.privacy import counts_out, small_count_label


def test_a_small_count_reads_fewer_than_five_in_both_languages() -> None:
    assert small_count_label(3) == "fewer than 5"
    assert small_count_label(1234) == "1,234"
    with translation.override("fr"):
        assert small_count_label(0) == "moins de 5"


def test_a_suppressed_count_never_tells_whether_it_was_small() -> None:
    assert small_count_label(None) == "suppressed"


def test_the_template_filter_shows_fewer_than_five() -> None:
    page = Template("{% load welcoming %}{{ a|small_count }} / {{ b|small_count }}")
    assert page.render(Context({"a": 4, "b": 12})) == "fewer than 5 / 12"


def test_the_api_helper_hides_a_second_count_so_the_total_cannot_give_the_first() -> None:
    cells, total = counts_out({"parents": 3, "seniors": 12, "entrepreneurs": 8, "youth": 20})
    assert [cells[k].value for k in ("parents", "seniors", "entrepreneurs", "youth")] == [
        None,
        12,
        None,
        20,
    ]
    assert cells["parents"].suppressed and cells["entrepreneurs"].suppressed
    assert cells["parents"].label == cells["entrepreneurs"].label == "suppressed"
    assert (total.value, total.suppressed) == (43, False)


def test_a_suppressed_count_reads_confidentiel_in_french() -> None:
    with translation.override("fr"):
        assert small_count_label(None) == "confidentiel"
