"""The welcoming-community framework in the API: frameworks, groups, characteristics, categories."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from .models import Characteristic, CharacteristicGroup, Framework, QolrsCategory

router = Router(tags=["framework"])


class CategoryOut(Schema):
    code: str
    order: int
    name_en: str
    name_fr: str
    highlighted: bool


class CharacteristicOut(Schema):
    code: str
    framework: str
    rank: int
    group: str
    subgroup: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    survey_only: bool
    survey_guidance_en: str | None
    survey_guidance_fr: str | None
    qolrs_categories: list[str]

    @staticmethod
    def resolve_framework(characteristic: Characteristic) -> str:
        return characteristic.framework.code

    @staticmethod
    def resolve_group(characteristic: Characteristic) -> str:
        return characteristic.group.code

    @staticmethod
    def resolve_qolrs_categories(characteristic: Characteristic) -> list[str]:
        return [c.code for c in characteristic.qolrs_categories.all()]


class GroupOut(Schema):
    code: str
    order: int
    name_en: str
    name_fr: str
    characteristics: list[str]

    @staticmethod
    def resolve_characteristics(group: CharacteristicGroup) -> list[str]:
        return [c.code for c in group.characteristics.all()]


class FrameworkOut(Schema):
    code: str
    version: str
    name_en: str
    name_fr: str
    citation_en: str | None
    citation_fr: str | None
    groups: list[GroupOut]
    characteristics: list[CharacteristicOut]

    @staticmethod
    def resolve_groups(framework: Framework) -> list[CharacteristicGroup]:
        return list(framework.groups.all())

    @staticmethod
    def resolve_characteristics(framework: Framework) -> list[Characteristic]:
        return list(framework.characteristics.all())


def _characteristics() -> QuerySet[Characteristic]:
    return Characteristic.objects.select_related("framework", "group").prefetch_related(
        "qolrs_categories"
    )


def _frameworks() -> QuerySet[Framework]:
    return Framework.objects.prefetch_related(
        "groups__characteristics",
        "characteristics__framework",
        "characteristics__group",
        "characteristics__qolrs_categories",
    )


@router.get("/frameworks", response=list[FrameworkOut])
def framework_list(request: HttpRequest) -> object:
    """Every framework with its groups and characteristics, in rank order."""
    return _frameworks()


@router.get("/frameworks/{code}", response=FrameworkOut)
def framework_detail(request: HttpRequest, code: str) -> Framework:
    framework = _frameworks().filter(code=code).first()
    if framework is None:
        raise Http404(_("No framework has the code %(code)s.") % {"code": code})
    return framework


@router.get("/characteristics", response=list[CharacteristicOut])
def characteristic_list(
    request: HttpRequest, framework: str | None = None, group: str | None = None
) -> object:
    """Characteristics with the QOLRS categories they map to, by framework and rank."""
    found = _characteristics()
    if framework:
        found = found.filter(framework__code=framework)
    if group:
        found = found.filter(group__code=group)
    return found


@router.get("/qolrs-categories", response=list[CategoryOut])
def category_list(request: HttpRequest) -> object:
    """The categories of FCM's Quality of Life Reporting System, in their order."""
    return QolrsCategory.objects.all()
