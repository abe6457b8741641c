"""Bilingual fields. HSDS has one text per field; the directory keeps English and French, and
neither is required: a feed in one language fills that one and the pages fall back to the other
(marked with its language, see `HsdsRecord.localized`)."""

from modeltranslation.translator import TranslationOptions, register

from welcoming.core.history import track_history

from .models import (
    Accessibility,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

TRANSLATED = {
    Program: ("name", "alternate_name", "description"),
    Service: (
        "name",
        "alternate_name",
        "description",
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "eligibility_description",
        "alert",
    ),
    Location: ("name", "alternate_name", "description", "transportation"),
    ServiceAtLocation: ("description",),
    Contact: ("title", "department"),
    Phone: ("description",),
    Schedule: ("description", "notes"),
    Language: ("name", "note"),
    Accessibility: ("description", "details"),
    ServiceArea: ("name", "description"),
    RequiredDocument: ("document",),
    CostOption: ("option", "amount_description"),
    Funding: ("source",),
    Taxonomy: ("name", "description"),
    TaxonomyTerm: ("name", "description"),
}

for _model, _fields in TRANSLATED.items():
    register(_model)(
        type(f"{_model.__name__}Translation", (TranslationOptions,), {"fields": _fields})
    )

track_history(Program)
track_history(Service)
track_history(Location)
