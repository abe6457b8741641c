"""AIRS/iCarol XML 3.0, the export of Canadian 211 services, mapped to HSDS 3.0.

The layout (as public importers read it, e.g. Pathways' BC211 importer): `Source` (its
`SourceEntity` names the feed) holds `Agency` elements (an organization: `Key`, `Name`,
`AgencyDescription`, `Phone`, `URL`, `Email`), each with `Site` elements (a location: `Key`,
`Name`, `SiteDescription`, `PhysicalAddress`, `MailingAddress`, `SpatialLocation`, `Phone`,
`Languages`, `DisabilitiesAccess`), each with `SiteService` elements (a service at that site:
`Key`, `Name`, `Description`, `Phone`, `TimeOpen`, `Languages`, `Eligibility`, `FeeStructure`,
`ApplicationProcess`, `DocumentsRequired`, `Taxonomy/Code`, `GeographicAreaServed`,
`ResourceInfo`). A service offered at several sites appears under each: it becomes one service
with a service-at-location per site. Descriptions are HTML escaped twice; confidential
addresses and phones are left out (and counted).
"""

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ..clean import code
from ..feed import Feed, FeedError, Issue, Progress
from .common import clock, compact, language_objects, weekday

TAXONOMY_ID = "airs-211-taxonomy"
TAXONOMY = {
    "id": TAXONOMY_ID,
    "name": "211 LA County Taxonomy of Human Services (AIRS)",
    "description": "The AIRS/211 taxonomy codes the feed gives its services.",
    "uri": "https://211taxonomy.org/",
}
PHONE_TYPES = {
    "fax": "fax",
    "tty": "textphone",
    "tdd": "textphone",
    "cell": "cell",
    "mobile": "cell",
    "text": "text",
    "sms": "text",
}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def read_file(path: Path, *, progress: Progress | None = None) -> Feed:
    try:
        # Expat (2.4+) refuses entity-expansion bombs and never fetches external entities.
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise FeedError(_("This is not well-formed XML: %(error)s") % {"error": error}) from None
    if root.tag != "Source" or root.find("Agency") is None:
        raise FeedError(_("This is not an AIRS XML export: no Source with Agency records."))
    feed = Feed(format="airs-xml", source=code(root.get("SourceEntity", "")), progress=progress)
    _Reader(feed).read(root)
    return feed


def _text(element: ET.Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return code(found.text or "") if found is not None and found.text else ""


def _confidential(element: ET.Element) -> bool:
    return element.get("Confidential", "false").strip().lower() == "true"


class _Reader:
    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.services: dict[str, dict[str, Any]] = {}
        self.terms: dict[str, dict[str, Any]] = {}

    def read(self, root: ET.Element) -> None:
        for number, agency in enumerate(root.iterfind("Agency"), start=1):
            self._agency(agency, number)
        if self.terms:
            self.feed.add("taxonomy", dict(TAXONOMY))
            for term in self.terms.values():
                self.feed.add("taxonomy_term", term)
        for service in self.services.values():
            self.feed.add("service", service)

    def _key(self, element: ET.Element, entity: str, where: str) -> str:
        key = _text(element, "Key")
        if not key:
            name = _text(element, "Name")
            self.feed.rejected.append(
                Issue(
                    entity,
                    f"{where} ({name})" if name else where,
                    "Key",
                    _("no Key: the record cannot be imported"),
                )
            )
        return key

    def _agency(self, agency: ET.Element, number: int) -> None:
        key = self._key(agency, "organization", _("agency %(n)d") % {"n": number})
        if not key:
            return
        if agency.get("ExcludeFromDirectory", "false").lower() == "true":
            self.feed.dropped.append(
                Issue(
                    "organization",
                    key,
                    "ExcludeFromDirectory",
                    _("excluded from the directory by the source"),
                )
            )
            return
        organization = {
            "id": key,
            "name": _text(agency, "Name"),
            "alternate_name": _text(agency, "AKA/Name"),
            "description": _text(agency, "AgencyDescription"),
            "website": _text(agency, "URL/Address"),
            "email": _text(agency, "Email/Address"),
            "legal_status": agency.get("LegalStatus", ""),
            "phones": self._phones(agency, "organization", key),
        }
        self.feed.add("organization", compact(organization))
        for site in agency.iterfind("Site"):
            self._site(site, key)

    def _site(self, site: ET.Element, organization_id: str) -> None:
        key = self._key(site, "location", _("a site of agency %(key)s") % {"key": organization_id})
        if not key:
            return
        location = {
            "id": key,
            "organization_id": organization_id,
            "location_type": "physical",
            "name": _text(site, "Name"),
            "alternate_name": _text(site, "AKA/Name"),
            "description": _text(site, "SiteDescription"),
            "transportation": _text(site, "BusServiceAccess")
            or _text(site, "PhysicalLocationDescription"),
            "latitude": _text(site, "SpatialLocation/Latitude"),
            "longitude": _text(site, "SpatialLocation/Longitude"),
            "addresses": [
                a
                for a in (
                    self._address(site, "PhysicalAddress", "physical", key),
                    self._address(site, "MailingAddress", "postal", key),
                )
                if a
            ],
            "phones": self._phones(site, "location", key),
            "languages": self._languages(site, "location", key),
            "accessibility": [{"description": text}]
            if (text := _text(site, "DisabilitiesAccess"))
            else [],
        }
        self.feed.add("location", compact(location))
        for service in site.iterfind("SiteService"):
            self._service(service, organization_id, key)

    def _service(self, element: ET.Element, organization_id: str, site_id: str) -> None:
        key = self._key(element, "service", _("a service of site %(key)s") % {"key": site_id})
        if not key:
            return
        existing = self.services.get(key)
        sal = {"id": f"{key}@{site_id}", "location_id": site_id}
        if existing is not None:  # the same service at another site
            existing.setdefault("service_at_locations", []).append(sal)
            return
        info = element.find("ResourceInfo")
        service = {
            "id": key,
            "organization_id": organization_id,
            "name": _text(element, "Name"),
            "alternate_name": _text(element, "AKA/Name"),
            "description": _text(element, "Description"),
            "url": _text(element, "URL/Address"),
            "email": _text(element, "Email/Address"),
            "status": "active",
            "eligibility_description": _text(element, "Eligibility"),
            "fees_description": _text(element, "FeeStructure"),
            "application_process": _text(element, "ApplicationProcess"),
            "x-last-verified": info.get("DateLastVerified", "") if info is not None else "",
            "phones": self._phones(element, "service", key),
            "languages": self._languages(element, "service", key),
            "schedules": self._schedules(element, key),
            "required_documents": [
                {"document": line.strip(" -•")}
                for line in _text(element, "DocumentsRequired").replace(";", "\n").split("\n")
                if line.strip(" -•")
            ],
            "service_areas": self._areas(element),
            "contacts": self._contacts(info, key),
            "attributes": self._taxonomy(element),
            "service_at_locations": [sal],
        }
        self.services[key] = compact(service)

    def _address(
        self, site: ET.Element, tag: str, kind: str, site_id: str
    ) -> dict[str, Any] | None:
        element = site.find(tag)
        if element is None or not any((child.text or "").strip() for child in element):
            return None
        if _confidential(element):
            self.feed.dropped.append(Issue("address", site_id, tag, _("confidential: left out")))
            return None
        lines = [_text(element, f"Line{n}") for n in range(1, 5)]
        country = _text(element, "Country")
        return compact(
            {
                "address_1": lines[0],
                "address_2": ", ".join(x for x in lines[1:] if x),
                "city": _text(element, "City"),
                "state_province": _text(element, "State"),
                "postal_code": _text(element, "ZipCode").upper(),
                "country": "CA" if country.lower() in {"canada", "ca", ""} else country[:2].upper(),
                "address_type": kind,
            }
        )

    def _phones(self, element: ET.Element, entity: str, key: str) -> list[dict[str, Any]]:
        phones = []
        for phone in element.iterfind("Phone"):
            kind = _text(phone, "Type")
            if _confidential(phone):
                self.feed.dropped.append(
                    Issue("phone", key, f"Phone ({kind})", _("confidential: left out"))
                )
                continue
            number = _text(phone, "PhoneNumber")
            if not number or number.lower() == "(none)":
                self.feed.dropped.append(
                    Issue("phone", key, f"Phone ({kind})", _("no number: left out"))
                )
                continue
            phones.append(
                compact(
                    {
                        "number": number,
                        "type": PHONE_TYPES.get(kind.lower(), "voice"),
                        "description": " ".join(
                            x for x in (kind, _text(phone, "Description")) if x
                        ),
                    }
                )
            )
        return phones

    def _languages(self, element: ET.Element, entity: str, key: str) -> list[dict[str, Any]]:
        names = [code(n.text or "") for n in element.iterfind("Languages/Name")]
        text = ", ".join(n for n in names if n)
        if not text:
            return []
        return language_objects(self.feed, text, entity=entity, record_id=key, field="Languages")

    def _schedules(self, element: ET.Element, key: str) -> list[dict[str, Any]]:
        time_open = element.find("TimeOpen")
        if time_open is None:
            return []
        schedules = []
        for day in DAYS:
            hours = _text(time_open, day)
            if not hours:
                continue
            opens, _sep, closes = hours.partition("-")
            opens_at, closes_at = clock(opens), clock(closes)
            if opens_at is None or closes_at is None:
                self.feed.dropped.append(
                    Issue(
                        "schedule",
                        key,
                        f"TimeOpen/{day}",
                        _("“%(hours)s” are not opening hours: left out") % {"hours": hours},
                    )
                )
                continue
            schedules.append(
                {
                    "freq": "WEEKLY",
                    "byday": weekday(day),
                    "opens_at": opens_at,
                    "closes_at": closes_at,
                }
            )
        notes = _text(time_open, "Notes")
        if notes:
            schedules.append({"description": notes})
        return schedules

    def _areas(self, element: ET.Element) -> list[dict[str, Any]]:
        areas = []
        for area in element.iterfind("GeographicAreaServed"):
            parts = [_text(area, tag) for tag in ("City", "County", "State", "Country")]
            name = ", ".join(p for p in parts if p) or _text(area, "Description")
            if name:
                areas.append({"name": name})
        return areas

    def _contacts(self, info: ET.Element | None, key: str) -> list[dict[str, Any]]:
        contacts = []
        for contact in info.iterfind("Contact") if info is not None else []:
            name = _text(contact, "Name")
            if name.lower().startswith("facet string"):  # BC211 keeps taxonomy facets here
                self.feed.dropped.append(
                    Issue(
                        "contact",
                        key,
                        "ResourceInfo/Contact",
                        _("a taxonomy facet, not a contact: left out"),
                    )
                )
                continue
            contacts.append(
                compact(
                    {
                        "name": name,
                        "title": _text(contact, "Title"),
                        "email": _text(contact, "Email/Address"),
                    }
                )
            )
        return contacts

    def _taxonomy(self, element: ET.Element) -> list[dict[str, Any]]:
        attributes = []
        for code_element in element.iterfind("Taxonomy/Code"):
            value = code(code_element.text or "")
            if not value:
                continue
            term_id = f"airs:{value}"
            self.terms.setdefault(
                term_id,
                {
                    "id": term_id,
                    "code": value,
                    "name": value,
                    "description": value,
                    "taxonomy_id": TAXONOMY_ID,
                },
            )
            attributes.append({"taxonomy_term_id": term_id, "link_type": "category"})
        return attributes
