"""A newer export of the same source: changed records updated, gone ones marked inactive,
steward-edited ones held for review, and a re-import that changes nothing writes nothing."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import ServiceFactory
from welcoming.core.models import Organization
from welcoming.directory.models import ImportRun, Location, Service, ServiceSearchEntry
from welcoming.directory.services import directory_import

pytestmark = pytest.mark.django_db


def _feed(services: list[dict[str, Any]], source: str = "sample-feed") -> dict[str, Any]:
    """A small synthetic HSDS 3.0 dataset (sample organizations and services)."""
    return {
        "x-source": source,
        "organizations": [{"id": "org-1", "name": "Sample agency (synthetic)", "description": ""}],
        "locations": [
            {
                "id": "site-1",
                "location_type": "physical",
                "organization_id": "org-1",
                "name": "Sample site",
                "latitude": 45.42,
                "longitude": -75.69,
            }
        ],
        "services": services,
    }


def _service(n: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"svc-{n}",
        "organization_id": "org-1",
        "name": f"Sample service {n}",
        "status": "active",
        "phones": [{"number": f"613-555-01{n:02d}"}],
        "service_at_locations": [{"location_id": "site-1"}],
        **fields,
    }


def _import(tmp_path: Path, data: dict[str, Any], operator: Any, **kwargs: Any):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return directory_import(path=path, actor=operator, **kwargs)


def test_a_newer_export_updates_deactivates_and_holds_steward_edits(operator, tmp_path) -> None:
    _import(tmp_path, _feed([_service(1), _service(2), _service(3), _service(4)]), operator)
    edited = Service.objects.get(source_id="svc-3")
    edited.name_en = "Renamed by a steward"
    edited.edited_by_steward_at = timezone.now()
    edited.save()

    newer = [
        _service(1),
        _service(2, name="Sample service 2, renamed"),
        _service(3, name="X"),
        _service(5),
    ]
    report = _import(tmp_path, _feed(newer), operator)

    assert report.by_entity["service"] == {
        "unchanged": 1,
        "updated": 1,
        "flagged": 1,
        "added": 1,
        "deactivated": 1,
    }
    renamed = Service.objects.get(source_id="svc-2")
    assert renamed.name_en == "Sample service 2, renamed"
    assert renamed.phones.count() == 1 and renamed.service_at_locations.count() == 1
    versions = list(renamed.history.order_by("history_date", "history_id"))
    assert [v.history_type for v in versions] == ["+", "~"]
    assert (
        versions[-1].name_en == "Sample service 2, renamed"
        and versions[-1].history_user == operator
    )
    held = Service.objects.get(source_id="svc-3")
    assert held.name_en == "Renamed by a steward" and held.pending_import["name"] == "X"
    gone = Service.objects.get(source_id="svc-4")
    assert gone.status == Service.Status.INACTIVE  # kept, never deleted
    reasons = {i["id"]: i["reason"] for i in report.items if i["entity"] == "service"}
    assert "no longer in the source" in reasons["svc-4"]
    run = ImportRun.objects.get(pk=report.run_id)
    assert (run.added, run.updated, run.deactivated, run.flagged) == (1, 1, 1, 1)


def test_a_reimport_that_changes_nothing_writes_nothing(operator, tmp_path) -> None:
    data = _feed([_service(1), _service(2)])
    _import(tmp_path, data, operator)
    runs, history = ImportRun.objects.count(), Service.history.count()
    report = _import(tmp_path, data, operator)
    assert report.run_id is None and report.totals["unchanged"] == 4
    assert ImportRun.objects.count() == runs and Service.history.count() == history


def test_a_record_back_in_the_source_is_active_again(operator, tmp_path) -> None:
    _import(tmp_path, _feed([_service(1), _service(2)]), operator)
    _import(tmp_path, _feed([_service(1)]), operator)
    assert Service.objects.get(source_id="svc-2").status == Service.Status.INACTIVE
    report = _import(tmp_path, _feed([_service(1), _service(2)]), operator)
    assert report.by_entity["service"]["updated"] == 1
    assert Service.objects.get(source_id="svc-2").status == Service.Status.ACTIVE


def _with_organizations(data: dict[str, Any], *numbers: int) -> dict[str, Any]:
    """The feed with more sample organizations, each offering one service of its own."""
    for n in numbers:
        data["organizations"].append({"id": f"org-{n}", "name": f"Sample agency {n} (synthetic)"})
        data["services"].append(_service(n, organization_id=f"org-{n}"))
    return data


def test_an_organization_gone_from_the_source_is_marked_inactive(operator, tmp_path) -> None:
    _import(tmp_path, _with_organizations(_feed([_service(1)]), 2), operator)
    report = _import(tmp_path, _feed([_service(1)]), operator)

    gone = Organization.objects.get(source="sample-feed", source_id="org-2")  # kept
    assert not gone.is_active and gone.services.get().status == Service.Status.INACTIVE
    assert Organization.objects.get(source_id="org-1").is_active
    assert report.by_entity["organization"] == {"unchanged": 1, "deactivated": 1}
    reasons = {i["id"]: i["reason"] for i in report.items if i["entity"] == "organization"}
    assert "no longer in the source" in reasons["org-2"]
    assert ImportRun.objects.get(pk=report.run_id).deactivated == 2  # the service and it
    assert gone.history.latest("history_date").history_user == operator

    back = _import(tmp_path, _with_organizations(_feed([_service(1)]), 2), operator)
    assert back.by_entity["organization"]["updated"] == 1
    assert Organization.objects.get(source_id="org-2").is_active


@pytest.mark.parametrize(("value", "active"), [(False, False), ("false", False), (True, True)])
def test_the_profile_says_whether_an_organization_is_still_listed(
    operator, tmp_path, value: object, active: bool
) -> None:
    feed = _feed([_service(1)])
    feed["organizations"][0]["x-active"] = value
    report = _import(tmp_path, feed, operator)
    assert report.totals["rejected"] == 0, report.items
    assert Organization.objects.get(source_id="org-1").is_active is active


def test_an_organization_neither_listed_nor_not_is_rejected(operator, tmp_path) -> None:
    feed = _feed([])
    feed["organizations"][0]["x-active"] = "maybe"
    report = _import(tmp_path, feed, operator)
    rejected = [(i["entity"], i["id"], i["field"]) for i in report.items]
    assert ("organization", "org-1", "x-active") in rejected
    assert not Organization.objects.filter(source_id="org-1").exists()


def test_an_organization_gone_from_the_source_stays_active_while_it_serves_others(
    operator, tmp_path
) -> None:
    _import(tmp_path, _with_organizations(_feed([_service(1)]), 2, 3, 4), operator)
    by_steward = Organization.objects.get(source_id="org-2")
    ServiceFactory(organization=by_steward, status=Service.Status.INACTIVE)  # source ""
    other_feed = Organization.objects.get(source_id="org-3")
    ServiceFactory(organization=other_feed, source="another-feed", source_id="svc-x")
    inactive_elsewhere = Organization.objects.get(source_id="org-4")
    ServiceFactory(
        organization=inactive_elsewhere,
        source="another-feed",
        source_id="svc-y",
        status=Service.Status.INACTIVE,
    )

    report = _import(tmp_path, _feed([_service(1)]), operator)

    assert report.by_entity["organization"]["deactivated"] == 1
    assert by_steward.refresh_from_db() or by_steward.is_active
    assert other_feed.refresh_from_db() or other_feed.is_active
    assert not Organization.objects.get(source_id="org-4").is_active
    assert Service.objects.filter(source="sample-feed", status="inactive").count() == 3


def test_a_reimport_rewrites_the_search_rows_of_the_services_it_changed(operator, tmp_path) -> None:
    _import(tmp_path, _with_organizations(_feed([_service(1)]), 2), operator)
    data = _with_organizations(_feed([_service(1)]), 2)
    data["organizations"][1]["name"] = "Renamed agency (synthetic)"  # org-2: svc-2's
    data["locations"][0]["latitude"] = 46.0  # site-1: svc-1's
    _import(tmp_path, data, operator)

    entries = {e.service.source_id: e for e in ServiceSearchEntry.objects.select_related("service")}
    assert "renamed agency" in entries["svc-2"].body
    assert entries["svc-1"].latitude == 46.0


def test_a_rejected_record_is_not_taken_for_gone(operator, tmp_path) -> None:
    _import(tmp_path, _feed([_service(1), _service(2)]), operator)
    report = _import(tmp_path, _feed([_service(1), _service(2, minimum_age="twelve")]), operator)
    assert report.by_entity["service"]["rejected"] == 1
    assert Service.objects.get(source_id="svc-2").status == Service.Status.ACTIVE


def test_a_dry_run_writes_nothing(operator, tmp_path) -> None:
    report = _import(tmp_path, _feed([_service(1)]), operator, dry_run=True)
    assert report.totals["added"] == 3
    assert not Service.objects.exists() and not ImportRun.objects.exists()


def test_the_source_comes_from_the_records_when_the_file_names_none(operator, tmp_path) -> None:
    _import(tmp_path, _feed([_service(1)], source="feed-a"), operator)
    data = _feed([_service(1, name="Changed")])
    del data["x-source"]
    report = _import(tmp_path, data, operator)
    assert report.source == "feed-a" and report.by_entity["service"]["updated"] == 1


def test_parts_hsds_cannot_do_without_are_dropped_and_counted(operator, tmp_path) -> None:
    service = _service(1, phones=[{"number": ""}, {"number": "613-555-0100"}])
    report = _import(tmp_path, _feed([service]), operator)
    dropped = [(i["entity"], i["field"]) for i in report.items if i["action"] == "dropped"]
    assert ("phone", "phones[0].number") in dropped
    assert Service.objects.get().phones.count() == 1
    assert Location.objects.get().latitude == pytest.approx(45.42)
