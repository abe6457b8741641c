"""`welcoming directory search` and `reindex`, and an imported feed is found at once."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from welcoming.directory.models import Service
from welcoming.directory.search import ServiceQuery, service_search
from welcoming.directory.search_index import ServiceSearchEntry
from welcoming.directory.services import directory_import

from .samples import sample_service

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "src/welcoming/data/hsds/examples"


def search(*args: str) -> str:
    out = io.StringIO()
    call_command("directory", "search", *args, stdout=out)
    return out.getvalue()


def test_json_results_name_each_service_in_the_asked_language() -> None:
    service = sample_service(name_en="Housing help", name_fr="Aide au logement")
    sample_service(name_en="Food bank")
    found = json.loads(search("logement", "--near", "K1P 1J1", "--lang", "fr", "--format", "json"))
    assert found["total"] == 1 and found["near"] == "K1P"
    [result] = found["results"]
    assert result["id"] == str(service.hsds_id)
    assert result["name"] == {"text": "Aide au logement", "lang": "fr"}
    assert result["distance_km"] < 5


def test_the_table_lists_results_and_an_empty_search_says_what_to_try() -> None:
    sample_service(name_en="Housing help", languages=("eng",))
    assert "Housing help" in search("housing")
    assert "No service matches all of this." in search("housing", "--near", "V6B 1A1")


def test_an_unknown_place_is_a_clear_error() -> None:
    with pytest.raises(Exception, match="Atlantis"):
        search("housing", "--near", "Atlantis")


def test_reindex_rebuilds_every_search_row() -> None:
    sample_service(name_en="Housing help")
    ServiceSearchEntry.objects.all().delete()
    out = io.StringIO()
    call_command("directory", "reindex", stdout=out)
    assert "1 services reindexed." in out.getvalue()
    assert service_search(ServiceQuery(text="housing")).total == 1


def test_an_imported_feed_is_searchable_at_once(operator) -> None:
    directory_import(path=EXAMPLES / "service_full.json", source="example", actor=operator)
    imported = Service.objects.get(source="example")
    words = str(imported.name_en).split()[0]
    assert imported in [hit.service for hit in service_search(ServiceQuery(text=words)).hits]
