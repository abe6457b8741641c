import pytest
from hypothesis import given
from hypothesis import strategies as st

from welcoming.core.postal import (
    PostalCodeError,
    forward_sortation_area,
    fsa_point,
    fsa_points,
)


@pytest.mark.parametrize("text", ["K1A 0B1", "k1a0b1", " K1A ", "k1a"])
def test_postal_code_forms_give_the_forward_sortation_area(text):
    assert forward_sortation_area(text) == "K1A"


@pytest.mark.parametrize("text", ["", "K1A 0B", "D1A 0B1", "W1A", "12345", "K1A 0B1 X"])
def test_malformed_postal_code_is_refused_with_its_value(text):
    with pytest.raises(PostalCodeError, match="postal code"):
        forward_sortation_area(text)


def test_known_area_has_its_point():
    point = fsa_point("M5V 2T6")
    assert point.province_code == "ON"
    assert 43.5 < point.latitude < 43.8
    assert -79.6 < point.longitude < -79.2


def test_area_listed_twice_is_averaged_once():
    assert fsa_points()["L9X"].province_code == "ON"
    assert len(fsa_points()) == 1652


def test_well_formed_but_unknown_area_names_it():
    with pytest.raises(PostalCodeError, match="X0X"):
        fsa_point("X0X 1A1")


@given(st.text(max_size=30))
def test_any_text_either_locates_or_raises_a_postal_code_error(text):
    try:
        point = fsa_point(text)
    except PostalCodeError:
        return
    assert -90 <= point.latitude <= 90
