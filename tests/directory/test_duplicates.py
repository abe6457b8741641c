"""Duplicate detection: names, addresses and phones, offered only above the thresholds."""

from welcoming.directory.duplicates import (
    ServiceDigest,
    compare,
    find_duplicates,
    phone_key,
)

WELCOME = ServiceDigest(
    1,
    ("Welcome Centre drop-in", "Accueil sans rendez-vous"),
    ("120 Main Street, Moncton",),
    ("E1C 1A0",),
    ("506-555-0100",),
    (7,),
)


def _with(pk: int, **fields: object) -> ServiceDigest:
    return ServiceDigest(**{**WELCOME.__dict__, "pk": pk, **fields})  # type: ignore[arg-type]


def test_the_same_service_written_differently_is_offered() -> None:
    twin = _with(2, names=("Welcome centre drop in",), addresses=("120 Main St., Moncton",),
                 phones=("+1 (506) 555-0100",))  # fmt: skip
    pair = compare(WELCOME, twin)
    assert pair is not None and pair.same_phone and pair.name >= 90


def test_two_services_at_one_site_with_one_phone_are_not_duplicates() -> None:
    classes = _with(2, names=("LINC English classes",))
    assert compare(WELCOME, classes) is None


def test_the_same_name_in_another_place_is_not_a_duplicate() -> None:
    elsewhere = _with(2, addresses=("4 Rosser Avenue, Brandon",), postal_codes=("R7A 1A1",),
                      phones=("204-555-0100",), communities=(9,))  # fmt: skip
    assert compare(WELCOME, elsewhere) is None


def test_a_close_name_below_the_threshold_needs_both_address_and_phone() -> None:
    related = _with(2, names=("Welcome Centre drop-in for youth",))
    assert compare(WELCOME, related) is not None  # same address and phone
    assert compare(WELCOME, _with(3, names=related.names, phones=("506-555-0199",))) is None


def test_only_services_sharing_a_place_or_phone_are_compared() -> None:
    far = _with(2, addresses=(), postal_codes=(), phones=(), communities=(9,))
    assert find_duplicates([WELCOME, far]) == []
    near = _with(3, names=("Welcome Centre drop in",))
    assert [(p.first, p.second) for p in find_duplicates([WELCOME, far, near])] == [(1, 3)]
    assert find_duplicates([WELCOME, near], involving={9}) == []


def test_phone_numbers_compare_on_their_last_ten_digits() -> None:
    assert phone_key("+1 (506) 555-0100") == phone_key("506.555.0100") == "5065550100"
