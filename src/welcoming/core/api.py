"""Communities in the API, and the page shape every paginated list of the API shares."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.schema import DjangoGetter
from pydantic import model_validator

from .models import Community
from .selectors import community_search

router = Router(tags=["communities"])

# Far beyond any list of the API, and well inside the 32-bit integers every database accepts.
MAX_OFFSET = 1_000_000_000


class Page(LimitOffsetPagination):
    """Limit and offset, where a limit above the ceiling is a 422 rather than silently cut, and
    an offset beyond any table is a 422 rather than an integer the database cannot hold."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000, description="How many items to return (1-1000).")
        offset: int = Field(
            0, ge=0, le=MAX_OFFSET, description=f"How many items to skip (0-{MAX_OFFSET})."
        )


class JsonObjectIn(Schema):
    """The base of every JSON body the API reads: a body that is not a JSON object (`null`, a
    list, a number) is a 422, where ninja's schemas would read it as an object of defaults."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_anything_but_an_object(cls, data: Any) -> Any:
        read = data._obj if isinstance(data, DjangoGetter) else data  # ninja wraps what it reads
        if not isinstance(read, dict):
            raise ValueError("The body must be a JSON object.")
        return data


class CommunityOut(Schema):
    code: str = Field(description="Standard Geographical Classification code.")
    dguid: str | None
    name_en: str
    name_fr: str
    level: Community.Level
    csd_type: str = Field(
        description="Census subdivision type (C, CY, T, P, SNO…): tells apart places of one name."
    )
    cma_kind: str = Field(description="For a metropolitan area: CMA or CA; empty otherwise.")
    province_code: str | None = Field(description="Two-digit code of the province or territory.")
    metropolitan_area_code: str | None = Field(
        description="For a municipality: the CMA or CA it lies in."
    )
    parent_code: str | None
    population: int | None = Field(description="Census 2021.")
    population_previous: int | None = Field(description="Census 2016.")
    size_class: str
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_metropolitan_area_code(community: Community) -> str | None:
        area = community.metropolitan_area
        return area.code if area is not None else None

    @staticmethod
    def resolve_parent_code(community: Community) -> str | None:
        return community.parent.code if community.parent else None


@router.get("", response=list[CommunityOut])
@paginate(Page)
def community_list(
    request: HttpRequest,
    q: str = Query("", max_length=100, description="Words of the name; accents, case ignored."),
    province: str | None = Query(
        None, pattern=r"^\d{2}$", description="Two-digit province code: the province and within."
    ),
    level: Community.Level | None = None,
    size_class: Community.SizeClass | None = None,
) -> object:
    """Communities whose name holds every word of `q`, most populous first."""
    return community_search(text=q, province=province, level=level, size_class=size_class)


@router.get("/{code}", response=CommunityOut)
def community_detail(request: HttpRequest, code: str) -> Community:
    community = (
        Community.objects.select_related("parent", "metropolitan_area").filter(code=code).first()
    )
    if community is None:
        raise Http404(_("No community has the code %(code)s.") % {"code": code})
    return community
