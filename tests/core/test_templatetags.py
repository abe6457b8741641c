"""Values formatted for their unit in each official language, and the language toggle's URL."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from welcoming.core.templatetags.welcoming import indicator_value

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "unit", "english", "french"),
    [
        # Toronto (CSD) visible minority 2021: 1,537,285 / 2,761,285 = 55.67 %, published as 55.7.
        (1_537_285 / 2_761_285 * 100, "percent", "55.7%", "55,7 %"),
        (85_000, "dollars", "$85,000", f"85{NBSP}000 $"),
        (2_794_356, "count", "2,794,356", f"2{NBSP}794{NBSP}356"),
        (59.02, "index", "59.02", "59,02"),
        (0.33, "ratio", "0.330", "0,330"),
        (86, "score", "86", "86"),
        (None, "count", "suppressed", "supprimée"),
    ],
)
def test_values_are_rounded_and_localised(value, unit, english, french) -> None:
    with translation.override("en"):
        assert indicator_value(value, unit) == english
    with translation.override("fr"):
        assert indicator_value(value, unit).replace("\u202f", NBSP) == french


def test_rounding_is_half_up_not_truncation() -> None:
    assert indicator_value(2.25, "percent") == "2.3%"
    assert indicator_value(45.915, "index") == "45.92"


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/en/communities/?q=montreal&province=&size=", "fr", "/fr/communities/?q=montreal"),
        ("/fr/framework/", "en", "/en/framework/"),
        ("/en/communities/3520005/", "fr", "/fr/communities/3520005/"),
    ],
)
def test_page_in_maps_the_page_and_drops_blank_fields(path, language, expected) -> None:
    request = RequestFactory().get(path)
    template = Template("{% load welcoming %}{% page_in language %}")
    with translation.override(path[1:3]):  # as LocaleMiddleware does for the URL's prefix
        assert template.render(Context({"request": request, "language": language})) == expected
