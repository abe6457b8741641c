"""The importer's derived ids are the standard's name-based (version 5) UUIDs: ids already
written by an earlier import must come out the same."""

import uuid

from hypothesis import given
from hypothesis import strategies as st

from welcoming.directory.hsds.importer import derived_id


@given(st.uuids(), st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_a_derived_id_is_uuid5(namespace: uuid.UUID, name: str) -> None:
    assert derived_id(namespace, name) == uuid.uuid5(namespace, name)
    assert derived_id(namespace, name).version == 5
