"""The search form: what the page, the printed listing and the benchmark accept, in one place."""

import functools
import gettext
from typing import Any

import pycountry
from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import TaxonomyTerm
from .search import (
    AUDIENCES,
    DEFAULT_RADIUS_KM,
    RADII_KM,
    PlaceError,
    ServiceQuery,
    Sort,
    place_resolve,
)
from .taxonomy import NEWCOMER_TAXONOMY_CODE, hsds_id

# Languages most spoken by newcomers to Canada (2021 Census, immigrants' mother tongues) and the
# two official ones, as ISO 639-3 codes, the codes the directory stores.
NEWCOMER_LANGUAGES = (
    "eng", "fra", "ara", "cmn", "yue", "zho", "pan", "tgl", "spa", "urd", "hin", "fas", "prs",
    "pus", "guj", "tam", "ben", "kor", "vie", "por", "rus", "ukr", "pol", "som", "tir", "amh",
    "swa", "nep", "tur", "ita", "deu",
)  # fmt: skip


@functools.cache
def _iso639_names(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, [language], fallback=True)


def language_name(code: str) -> str:
    """An ISO 639-3 code's name in the page's language (pycountry's translations)."""
    found = pycountry.languages.get(alpha_3=code)
    if found is None:
        return code
    language = (translation.get_language() or "en").split("-")[0]
    return _iso639_names(language).gettext(found.name)


class ServiceSearchForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), max_length=200, required=False)
    near = forms.CharField(
        label=_("Near (postal code or community)"),
        max_length=100,
        required=False,
        help_text=_("A postal code such as K1A 0B1, or a community's name."),
    )
    radius = forms.TypedChoiceField(
        label=_("Within"),
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,  # type: ignore[arg-type]
        choices=[(radius, _("%(km)s km") % {"km": radius}) for radius in RADII_KM],
    )
    category = forms.ChoiceField(label=_("Need"), required=False)
    language = forms.ChoiceField(label=_("Offered in"), required=False)
    eligibility = forms.ChoiceField(label=_("For"), required=False)
    free = forms.BooleanField(label=_("Free"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=Sort.CHOICES)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The needs offered are the newcomer-services taxonomy's, not every imported taxonomy's.
        terms = list(
            TaxonomyTerm.objects.filter(taxonomy__hsds_id=hsds_id(NEWCOMER_TAXONOMY_CODE))
            .exclude(code="")
            .select_related("parent")
        )
        # An audience with needs under it ("Children and families") heads them here too.
        parents = {term.parent.code for term in terms if term.parent}
        needs = [term for term in terms if term.code not in AUDIENCES or term.code in parents]
        self.choose(
            "category",
            [("", _("Any need"))]
            + [
                (
                    term.code,
                    f"– {term.localized('name')}" if term.parent else term.localized("name"),
                )
                for term in sorted(needs, key=_tree_order)
            ],
        )
        self.choose(
            "eligibility",
            [("", _("Anyone"))]
            + [(term.code, term.localized("name")) for term in terms if term.code in AUDIENCES],
        )
        languages = sorted(
            ((code, language_name(code)) for code in NEWCOMER_LANGUAGES),
            key=lambda choice: choice[1],
        )
        self.choose("language", [("", _("Any language")), *languages])

    def choose(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_near(self) -> Any:
        value = self.cleaned_data["near"].strip()
        if not value:
            return None
        try:
            return place_resolve(value)
        except PlaceError as error:
            raise forms.ValidationError(str(error), code="unknown_place") from error

    def search_query(self, *, per_page: int | None = None) -> ServiceQuery:
        """The query the valid form asks for."""
        data = self.cleaned_data
        extra = {"per_page": per_page} if per_page else {}
        return ServiceQuery(
            text=data["q"],
            category=data["category"],
            offered_in=data["language"],
            eligibility=data["eligibility"],
            free=data["free"],
            open_now=data["open_now"],
            online=data["online"],
            near=data["near"],
            radius_km=data["radius"],
            sort=data["sort"],
            page=data["page"] or 1,
            **extra,
        )


def _tree_order(term: TaxonomyTerm) -> tuple[str, int, str]:
    """Parents before their children, each family together (by the parent's code)."""
    parent = term.parent.code if term.parent else term.code
    return (parent, 1 if term.parent else 0, term.code)
