"""HSDS 1.x tabular data packages (Ohana, ORServices and 211s' Open Referral exports), mapped to
HSDS 3.0: physical and postal addresses become a location's addresses, regular and holiday
schedules become schedules, eligibility and payment text join the service's fields, the
taxonomy table becomes terms and service_taxonomy the services' attributes."""

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ..feed import Feed, FeedError, Issue, Progress
from .common import clock, compact, language_objects, weekday
from .hsds3 import read_rows

TAXONOMY_PREFIX = "hsds1-vocabulary:"


def read_package(directory: Path, *, progress: Progress | None = None) -> Feed:
    feed = Feed(format="hsds1", progress=progress)
    package = directory / "datapackage.json"
    if package.exists():
        try:
            descriptor = json.loads(package.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as error:
            raise FeedError(
                _("datapackage.json is not JSON: %(error)s") % {"error": error}
            ) from None
        feed.source = str(descriptor.get("name") or descriptor.get("title") or "")

    def table(name: str) -> list[dict[str, str]]:
        path = directory / f"{name}.csv"
        return read_rows(path) if path.exists() else []

    if not (directory / "services.csv").exists() and not (directory / "organizations.csv").exists():
        raise FeedError(_("No HSDS 1.x table (organizations.csv, services.csv) was found here."))
    reader = _Reader(feed, table)
    reader.read()
    return feed


class _Reader:
    def __init__(self, feed: Feed, table: Any) -> None:
        self.feed, self.table = feed, table
        self.records: dict[str, dict[str, dict[str, Any]]] = {}

    def _top(self, entity: str, name: str, convert: Any) -> None:
        found: dict[str, dict[str, Any]] = {}
        for number, row in enumerate(self.table(name), start=2):
            if not row.get("id"):
                self.feed.rejected.append(
                    Issue(
                        entity,
                        _("row %(row)d") % {"row": number},
                        "id",
                        _("no id: the row cannot be imported"),
                    )
                )
                continue
            found[row["id"]] = convert(row)
        self.records[entity] = found

    def _attach(
        self, name: str, entity: str, owners: tuple[str, ...], key: str, convert: Any
    ) -> None:
        for number, row in enumerate(self.table(name), start=2):
            record_id = row.get("id") or _("row %(row)d") % {"row": number}
            parent = None
            for column in owners:
                parent = self.records.get(column.removesuffix("_id"), {}).get(row.get(column, ""))
                if parent is not None:
                    break
            if parent is None:
                self.feed.dropped.append(
                    Issue(
                        entity,
                        record_id,
                        "/".join(owners),
                        _("belongs to no record in the file: left out"),
                    )
                )
                continue
            item = convert(row, record_id)
            if item is not None:
                parent.setdefault(key, []).append(item)

    def read(self) -> None:
        self._top("organization", "organizations", _organization)
        self._top("program", "programs", _program)
        self._top("location", "locations", _location)
        self._top("service", "services", _service)
        self._taxonomy()
        sal_index: dict[str, dict[str, Any]] = {}
        for row in self.table("services_at_location"):
            service = self.records["service"].get(row.get("service_id", ""))
            if service is None or not row.get("location_id"):
                self.feed.dropped.append(
                    Issue(
                        "service_at_location",
                        row.get("id", ""),
                        "service_id",
                        _("names a service or location the file does not have: left out"),
                    )
                )
                continue
            sal = compact(
                {
                    "id": row.get("id"),
                    "location_id": row["location_id"],
                    "description": row.get("description"),
                }
            )
            service.setdefault("service_at_locations", []).append(sal)
            sal_index[row.get("id", "")] = sal
        self.records["service_at_location"] = sal_index
        self._attach(
            "contacts",
            "contact",
            ("service_at_location_id", "service_id", "organization_id"),
            "contacts",
            _contact,
        )
        self.records["contact"] = {}
        self._phones()
        for name, address_type in (
            ("physical_addresses", "physical"),
            ("postal_addresses", "postal"),
        ):
            self._attach(
                name,
                "address",
                ("location_id",),
                "addresses",
                lambda row, rid, t=address_type: _address(row, t),
            )
        self._attach(
            "regular_schedules",
            "schedule",
            ("service_at_location_id", "service_id", "location_id"),
            "schedules",
            self._regular,
        )
        self._attach(
            "holiday_schedules",
            "schedule",
            ("service_at_location_id", "service_id", "location_id"),
            "schedules",
            _holiday,
        )
        self._attach(
            "funding",
            "funding",
            ("service_id", "organization_id"),
            "funding",
            lambda row, rid: compact({"id": row.get("id"), "source": row.get("source")}),
        )
        self._attach(
            "service_area",
            "service_area",
            ("service_id",),
            "service_areas",
            lambda row, rid: compact(
                {
                    "id": row.get("id"),
                    "name": row.get("service_area"),
                    "description": row.get("description"),
                }
            ),
        )
        self._attach(
            "required_documents",
            "required_document",
            ("service_id",),
            "required_documents",
            lambda row, rid: compact({"id": row.get("id"), "document": row.get("document")}),
        )
        self._attach(
            "accessibility_for_disabilities",
            "accessibility",
            ("location_id",),
            "accessibility",
            lambda row, rid: compact(
                {
                    "id": row.get("id"),
                    "description": row.get("accessibility"),
                    "details": row.get("details"),
                }
            ),
        )
        self._languages()
        self._texts("eligibility", "eligibility", "eligibility_description")
        self._texts("payment_accepted", "payment", "fees_description", _("Payment accepted: "))
        self._attach("service_taxonomy", "attribute", ("service_id",), "attributes", _attribute)
        for entity in (
            "taxonomy",
            "taxonomy_term",
            "organization",
            "program",
            "location",
            "service",
        ):
            for data in self.records.get(entity, {}).values():
                self.feed.add(entity, data)

    def _phones(self) -> None:
        def convert(row: dict[str, str], record_id: str) -> dict[str, Any]:
            phone = compact(
                {
                    "id": row.get("id"),
                    "number": row.get("number"),
                    "extension": row.get("extension"),
                    "type": (row.get("type") or "").lower() or None,
                    "description": row.get("description"),
                }
            )
            if row.get("language"):
                phone["languages"] = language_objects(
                    self.feed,
                    row["language"],
                    entity="phone",
                    record_id=record_id,
                    field="language",
                )
            return phone

        self._attach(
            "phones",
            "phone",
            ("service_at_location_id", "service_id", "location_id", "organization_id"),
            "phones",
            convert,
        )

    def _regular(self, row: dict[str, str], record_id: str) -> dict[str, Any] | None:
        day = weekday(row.get("weekday", ""))
        if day is None:
            self.feed.dropped.append(
                Issue("schedule", record_id, "weekday", _("not a day of the week: left out"))
            )
            return None
        return compact(
            {
                "id": row.get("id"),
                "freq": "WEEKLY",
                "byday": day,
                "opens_at": clock(row.get("opens_at", "")),
                "closes_at": clock(row.get("closes_at", "")),
            }
        )

    def _languages(self) -> None:
        for number, row in enumerate(self.table("languages"), start=2):
            record_id = row.get("id") or _("row %(row)d") % {"row": number}
            parent = self.records["service"].get(row.get("service_id", "")) or self.records[
                "location"
            ].get(row.get("location_id", ""))
            if parent is None:
                self.feed.dropped.append(
                    Issue(
                        "language",
                        record_id,
                        "service_id",
                        _("belongs to no record in the file: left out"),
                    )
                )
                continue
            known = {lang["code"] for lang in parent.get("languages", [])}
            for lang in language_objects(
                self.feed,
                row.get("language", ""),
                entity="language",
                record_id=record_id,
                field="language",
            ):
                if lang["code"] not in known:
                    parent.setdefault("languages", []).append(lang)
                    known.add(lang["code"])

    def _texts(self, name: str, column: str, target: str, prefix: str = "") -> None:
        for row in self.table(name):
            service = self.records["service"].get(row.get("service_id", ""))
            if service is None or not row.get(column):
                self.feed.dropped.append(
                    Issue(
                        name,
                        row.get("id", ""),
                        "service_id",
                        _("belongs to no record in the file: left out"),
                    )
                )
                continue
            text = prefix + row[column]
            service[target] = f"{service[target]}\n{text}" if service.get(target) else text

    def _taxonomy(self) -> None:
        terms: dict[str, dict[str, Any]] = {}
        taxonomies: dict[str, dict[str, Any]] = {}
        for number, row in enumerate(self.table("taxonomy"), start=2):
            if not row.get("id") or not row.get("name"):
                self.feed.rejected.append(
                    Issue(
                        "taxonomy_term",
                        row.get("id") or _("row %(row)d") % {"row": number},
                        "id",
                        _("no id or name: the term cannot be imported"),
                    )
                )
                continue
            vocabulary = row.get("vocabulary") or "HSDS 1.x taxonomy"
            taxonomy_id = TAXONOMY_PREFIX + vocabulary
            taxonomies.setdefault(
                taxonomy_id, {"id": taxonomy_id, "name": vocabulary, "description": vocabulary}
            )
            terms[row["id"]] = compact(
                {
                    "id": row["id"],
                    "code": row["id"],
                    "name": row["name"],
                    "description": row["name"],
                    "taxonomy_id": taxonomy_id,
                    "parent_id": row.get("parent_id"),
                }
            )
        self.records["taxonomy"] = taxonomies
        self.records["taxonomy_term"] = terms


def _organization(row: dict[str, str]) -> dict[str, Any]:
    return compact(
        {
            **{
                k: row.get(k)
                for k in (
                    "id",
                    "name",
                    "alternate_name",
                    "description",
                    "email",
                    "tax_status",
                    "tax_id",
                    "year_incorporated",
                    "legal_status",
                )
            },
            "website": row.get("url"),
        }
    )


def _program(row: dict[str, str]) -> dict[str, Any]:
    return compact({k: row.get(k) for k in ("id", "organization_id", "name", "alternate_name")})


def _location(row: dict[str, str]) -> dict[str, Any]:
    return compact(
        {
            **{
                k: row.get(k)
                for k in (
                    "id",
                    "organization_id",
                    "name",
                    "alternate_name",
                    "description",
                    "transportation",
                    "latitude",
                    "longitude",
                )
            },
            "location_type": "physical",
        }
    )


def _service(row: dict[str, str]) -> dict[str, Any]:
    return compact(
        {
            **{
                k: row.get(k)
                for k in (
                    "id",
                    "organization_id",
                    "program_id",
                    "name",
                    "alternate_name",
                    "description",
                    "url",
                    "email",
                    "interpretation_services",
                    "application_process",
                    "wait_time",
                    "accreditations",
                    "licenses",
                )
            },
            "status": (row.get("status") or "active").lower(),
            "fees_description": row.get("fees"),
        }
    )


def _contact(row: dict[str, str], record_id: str) -> dict[str, Any]:
    return compact({k: row.get(k) for k in ("id", "name", "title", "department", "email")})


def _address(row: dict[str, str], address_type: str) -> dict[str, Any]:
    lines = [row.get(f"address_{n}", "") for n in (1, 2, 3, 4)]
    return compact(
        {
            "id": row.get("id"),
            "attention": row.get("attention"),
            "address_1": lines[0],
            "address_2": ", ".join(x for x in lines[1:] if x),
            "city": row.get("city"),
            "region": row.get("region"),
            "state_province": row.get("state_province"),
            "postal_code": row.get("postal_code"),
            "country": (row.get("country") or "CA")[:2].upper(),
            "address_type": address_type,
        }
    )


def _holiday(row: dict[str, str], record_id: str) -> dict[str, Any]:
    closed = (row.get("closed") or "").lower() in {"true", "1", "yes"}
    return compact(
        {
            "id": row.get("id"),
            "valid_from": row.get("start_date"),
            "valid_to": row.get("end_date"),
            "opens_at": None if closed else clock(row.get("opens_at", "")),
            "closes_at": None if closed else clock(row.get("closes_at", "")),
            "notes": "Closed" if closed else None,
        }
    )


def _attribute(row: dict[str, str], record_id: str) -> dict[str, Any]:
    return compact(
        {
            "id": row.get("id"),
            "taxonomy_term_id": row.get("taxonomy_id"),
            "link_type": "category",
            "value": row.get("taxonomy_detail"),
        }
    )
