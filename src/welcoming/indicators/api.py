"""Indicators, their values and imports in the API.

Reading is public. Importing and listing imports need a token or a signed-in session; what the
person may do is decided by the service and the permission rules, never here.
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from welcoming.accounts.auth import authenticated
from welcoming.accounts.models import User
from welcoming.core.api import Page

from .models import ImportBatch, Indicator, IndicatorValue
from .services import ImportRejected, value_import

router = Router(tags=["indicators"])
values = Router(tags=["values"])
imports = Router(tags=["imports"], auth=authenticated)


class IndicatorOut(Schema):
    code: str
    name_en: str
    name_fr: str
    definition_en: str
    definition_fr: str
    computation_en: str | None
    computation_fr: str | None
    unit: Indicator.Unit
    direction: Indicator.Direction
    target: float | None
    valid_min: float | None
    valid_max: float | None
    geography: str
    qolrs_category: str
    characteristics: list[str]
    source_en: str
    source_fr: str
    licence: str
    attribution_en: str
    attribution_fr: str

    @staticmethod
    def resolve_qolrs_category(indicator: Indicator) -> str:
        return indicator.qolrs_category.code

    @staticmethod
    def resolve_characteristics(indicator: Indicator) -> list[str]:
        return [c.code for c in indicator.characteristics.all()]


class ValueOut(Schema):
    community: str
    indicator: str
    period: str
    value: float | None
    status: str = Field(description="Empty for a final value.")
    batch_id: int | None = Field(description="The import that wrote the value.")

    @staticmethod
    def resolve_community(value: IndicatorValue) -> str:
        return value.community.code

    @staticmethod
    def resolve_indicator(value: IndicatorValue) -> str:
        return value.indicator.code


class ImportOut(Schema):
    rows_read: int
    values_created: int
    values_updated: int
    values_unchanged: int
    dry_run: bool
    batch_id: int | None = Field(description="None when nothing was written.")
    already_imported: bool = Field(description="A file with the same content was imported before.")


class RowErrorOut(Schema):
    line: int
    column: str
    value: str
    reason: str


class RejectedOut(Schema):
    detail: str
    errors: list[RowErrorOut]


class BatchOut(Schema):
    id: int
    file_name: str
    sha256: str
    format: str
    imported_at: datetime
    imported_by: str | None
    rows_read: int
    values_created: int
    values_updated: int
    values_unchanged: int

    @staticmethod
    def resolve_imported_by(batch: ImportBatch) -> str | None:
        return batch.imported_by.get_username() if batch.imported_by else None


def _indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("qolrs_category").prefetch_related("characteristics")


@router.get("", response=list[IndicatorOut])
def indicator_list(
    request: HttpRequest,
    qolrs_category: str | None = None,
    characteristic: str | None = None,
) -> object:
    """Indicator definitions, by QOLRS category; filter by category or characteristic code."""
    found = _indicators()
    if qolrs_category:
        found = found.filter(qolrs_category__code=qolrs_category)
    if characteristic:
        found = found.filter(characteristics__code=characteristic).distinct()
    return found


@router.get("/{code}", response=IndicatorOut)
def indicator_detail(request: HttpRequest, code: str) -> Indicator:
    indicator = _indicators().filter(code=code).first()
    if indicator is None:
        raise Http404(_("No indicator has the code %(code)s.") % {"code": code})
    return indicator


@values.get("", response=list[ValueOut])
@paginate(Page)
def value_list(
    request: HttpRequest,
    community: str | None = Query(None, max_length=12, description="Community (SGC) code."),
    indicator: str | None = Query(None, max_length=80, description="Indicator code."),
    period: str | None = Query(None, max_length=16, description="A period such as 2021."),
) -> object:
    """Values in the order of their unique key (community, indicator, period)."""
    found = IndicatorValue.objects.select_related("community", "indicator").order_by(
        "community_id", "indicator_id", "period"
    )
    if community:
        found = found.filter(community__code=community)
    if indicator:
        found = found.filter(indicator__code=indicator)
    if period:
        found = found.filter(period=period)
    return found


@imports.post(
    "",
    response={200: ImportOut, 201: ImportOut, 422: RejectedOut},
    summary="Import indicator values from a file",
)
def import_create(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[Literal["statcan", "tidy"]],
    dry_run: Form[bool] = False,
) -> Status[object]:
    """Import every value of a file or none. 201 when values were written; 200 for a dry run
    or a file that changes nothing; 422 lists every bad row (line, column, value, reason)."""
    if not isinstance(request.user, User):  # the router's authentication lets only people in
        raise PermissionDenied(_("You may not import indicator values."))
    try:
        report = value_import(
            source=file,
            file_name=file.name or "upload",
            format=format,
            actor=request.user,
            dry_run=dry_run,
        )
    except ImportRejected as rejected:
        count = len(rejected.errors)
        detail = ngettext(
            "Nothing was imported: the file has %(count)d bad row.",
            "Nothing was imported: the file has %(count)d bad rows.",
            count,
        ) % {"count": count}
        return Status(422, {"detail": detail, "errors": rejected.errors})
    return Status(201 if report.batch_id else 200, report)


@imports.get("", response=list[BatchOut])
@paginate(Page)
def import_list(request: HttpRequest) -> object:
    """Past imports, newest first (data stewards and administrators)."""
    if not request.user.has_perm("indicators.view_importbatch"):
        raise PermissionDenied(_("You may not see the list of imports."))
    return ImportBatch.objects.select_related("imported_by")
