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
from ninja import Path as NinjaPath
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from welcoming.accounts.auth import ScopeRefusedOut, authenticated, token_or_session
from welcoming.accounts.models import Scope, User
from welcoming.core.api import Page

from .jobs import import_job_create
from .models import ImportBatch, ImportJob, Indicator, IndicatorValue
from .services import ImportConflict, ImportRejected, value_import

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
    source: str | None = Field(
        description="Whose data the value is (the source recorded by the import that wrote it)."
    )
    licence: str | None = Field(description="The licence recorded by the import that wrote it.")

    @staticmethod
    def resolve_source(value: IndicatorValue) -> str | None:
        return value.batch.provenance if value.batch else None

    @staticmethod
    def resolve_licence(value: IndicatorValue) -> str | None:
        return value.batch.licence if value.batch else None

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
    errors: list[RowErrorOut] = Field(description="The first 1,000 errors, in file order.")
    more_errors: int = Field(0, description="How many errors there were beyond those listed.")


class DetailOut(Schema):
    detail: str


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
    source_en: str
    source_fr: str
    licence: str

    @staticmethod
    def resolve_imported_by(batch: ImportBatch) -> str | None:
        return batch.imported_by.get_username() if batch.imported_by else None


class JobDetailOut(Schema):
    detail: str


class ImportJobOut(Schema):
    id: int
    status: ImportJob.Status = Field(
        description="queued, running, done, rejected (bad rows) or failed; only the last three "
        "are final."
    )
    phase: ImportJob.Phase = Field(description="waiting, reading, writing or finished.")
    file_name: str
    format: str
    dry_run: bool
    created_at: datetime
    finished_at: datetime | None
    bytes_read: int = Field(description="How far into the file the worker has read.")
    bytes_total: int
    report: ImportOut | None = Field(description="When done: what was (or would be) written.")
    errors: list[RowErrorOut] = Field(description="When rejected: the first 1,000 bad rows.")
    errors_total: int = Field(description="When rejected: how many bad rows the file has.")
    failure: str = Field(description="When failed: why; empty otherwise.")
    batch_id: int | None = Field(description="The import that wrote the values, if any.")

    @staticmethod
    def resolve_report(job: ImportJob) -> dict[str, object] | None:
        return job.report or None


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
    found = IndicatorValue.objects.select_related("community", "indicator", "batch").order_by(
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
    response={
        200: ImportOut,
        201: ImportOut,
        403: ScopeRefusedOut,
        409: DetailOut,
        413: DetailOut,
        422: RejectedOut,
    },
    auth=token_or_session(Scope.WRITE_INDICATORS),
    summary="Import indicator values from a file",
)
def import_create(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[Literal["statcan", "tidy"]],
    dry_run: Form[bool] = False,
    source: Form[str] = "",
) -> Status[object]:
    """Import every value of a file (CSV or XLSX, told apart by content) or none. 201 when
    values were written; 200 for a dry run or a file that changes nothing; 409 when another
    import wrote some of the same values at the same time (nothing written: send it again);
    413 for a file over the size limit; 422 lists the first 1,000 errors (line, column, value,
    reason) and counts the others in `more_errors`."""
    if not isinstance(request.user, User):  # the router's authentication lets only people in
        raise PermissionDenied(_("You may not import indicator values."))
    try:
        report = value_import(
            source=file,
            file_name=file.name or "upload",
            format=format,
            actor=request.user,
            dry_run=dry_run,
            source_text=source[:500],
        )
    except ImportConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    except ImportRejected as rejected:
        count = rejected.count
        detail = ngettext(
            "Nothing was imported: the file has %(count)d error.",
            "Nothing was imported: the file has %(count)d errors.",
            count,
        ) % {"count": count}
        return Status(
            422, {"detail": detail, "errors": rejected.errors, "more_errors": rejected.more}
        )
    return Status(201 if report.batch_id else 200, report)


@imports.get("", response=list[BatchOut])
@paginate(Page)
def import_list(request: HttpRequest) -> object:
    """Past imports, newest first (data stewards and administrators)."""
    if not request.user.has_perm("indicators.view_importbatch"):
        raise PermissionDenied(_("You may not see the list of imports."))
    return ImportBatch.objects.select_related("imported_by")


@imports.post(
    "/jobs",
    response={202: ImportJobOut, 403: ScopeRefusedOut},
    auth=token_or_session(Scope.WRITE_INDICATORS),
    summary="Import indicator values from a file, in the background",
)
def import_job_start(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[Literal["statcan", "tidy"]],
    dry_run: Form[bool] = False,
) -> Status[object]:
    """The file is stored and a worker imports it (every value or none); 202 with the job, whose
    status `GET /imports/jobs/{id}` follows until it is done, rejected (with the bad rows) or
    failed."""
    job = import_job_create(
        upload=file,
        file_name=file.name or "upload",
        format=format,
        dry_run=dry_run,
        actor=request.user,
    )
    job.refresh_from_db()  # a worker may have run it already
    return Status(202, job)


@imports.get("/jobs/{job_id}", response={200: ImportJobOut, 403: JobDetailOut, 404: JobDetailOut})
def import_job_detail(
    request: HttpRequest, job_id: int = NinjaPath(..., ge=1, le=2**63 - 1)
) -> ImportJob:
    """Where a background import is, and how it ended."""
    if not request.user.has_perm("indicators.view_importbatch"):
        raise PermissionDenied(_("You may not see the list of imports."))
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404(_("No import job has the number %(id)d.") % {"id": job_id})
    return job
