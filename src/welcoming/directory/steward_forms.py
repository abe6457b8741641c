"""Forms of the stewards' pages: a service's texts in both languages, its newcomer terms and
languages, and (to add one) its organization and sites."""

from typing import Any, cast

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from welcoming.core.locking import VersionedForm
from welcoming.core.models import Organization

from .import_jobs import feed_upload_check
from .models import ImportRun, Location, Service, TaxonomyTerm
from .services import SOURCE_MAX, feed_source_clean
from .steward_services import EDITABLE

_TEXTAREAS = {"description", "eligibility_description", "application_process", "alert"}


class TermChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return str(obj.localized("name"))


class ServiceFieldsForm(forms.Form):
    """What a steward writes about a service; English and French side by side."""

    terms = TermChoiceField(
        label=_("What the service offers newcomers"),
        queryset=TaxonomyTerm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.CharField(
        label=_("Languages the service is offered in"),
        required=False,
        help_text=_("ISO 639-3 codes separated by commas, e.g. eng, fra, ara."),
    )

    def __init__(self, *args: Any, terms: QuerySet[TaxonomyTerm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in EDITABLE:
            self.fields[name] = _field(name)
        self.fields["name_en"].required = True
        self.fields["terms"].queryset = terms  # type: ignore[attr-defined]
        self.order_fields(["name_en", "name_fr", *EDITABLE, "terms", "languages"])

    def clean_languages(self) -> list[str]:
        codes = [c.strip().lower() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        unknown = [c for c in codes if pycountry.languages.get(alpha_3=c) is None]
        if unknown:
            raise ValidationError(
                _("Not an ISO 639-3 language code: %(codes)s"),
                params={"codes": ", ".join(unknown)},
            )
        return codes

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE}

    @staticmethod
    def initial_for(service: Service) -> dict[str, Any]:
        from .taxonomy import newcomer_term_ids

        newcomer = newcomer_term_ids()
        return {
            **{name: getattr(service, name) for name in EDITABLE},
            "terms": [
                a.taxonomy_term_id
                for a in service.attributes.all()
                if a.taxonomy_term_id in newcomer
            ],
            "languages": ", ".join(sorted(lang.code for lang in service.languages.all())),
        }


def _field(name: str) -> forms.Field:
    model_field = cast("models.Field[Any, Any]", Service._meta.get_field(name))
    stem, _sep, lang = name.rpartition("_")
    if name in ("status",):
        return forms.ChoiceField(label=model_field.verbose_name, choices=Service.Status.choices)
    if name in ("minimum_age", "maximum_age"):
        return forms.IntegerField(
            label=model_field.verbose_name, required=False, min_value=0, max_value=130
        )
    if name == "url":
        return forms.URLField(label=model_field.verbose_name, required=False, assume_scheme="https")
    if name == "email":
        return forms.EmailField(label=model_field.verbose_name, required=False)
    label = (_("%(field)s (English)") if lang == "en" else _("%(field)s (French)")) % {
        "field": model_field.verbose_name
    }
    widget = forms.Textarea(attrs={"rows": 3}) if stem in _TEXTAREAS else forms.TextInput
    return forms.CharField(
        label=label, required=False, max_length=model_field.max_length, widget=widget
    )


class ServiceEditForm(VersionedForm, ServiceFieldsForm):
    """The edit form carries the version it was opened on (optimistic locking)."""


class ServiceAddForm(ServiceFieldsForm):
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    locations: forms.ModelMultipleChoiceField[Location] = forms.ModelMultipleChoiceField(
        label=_("Sites where it is offered"),
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["locations"].queryset = Location.objects.filter(  # type: ignore[attr-defined]
            organization__in=organizations, is_active=True
        ).select_related("organization")
        self.fields["status"].initial = Service.Status.ACTIVE
        self.order_fields(["organization", "name_en", "name_fr"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organization = cleaned.get("organization")
        for location in cleaned.get("locations") or []:
            if organization is not None and location.organization_id != organization.pk:
                self.add_error(
                    "locations",
                    _("%(site)s is not a site of %(organization)s.")
                    % {"site": location, "organization": organization},
                )
        return cleaned


class VerifyForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=300,
        help_text=_("How it was checked, e.g. a call with the front desk."),
    )


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(label=_("Keep"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, first: Service, second: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [  # type: ignore[attr-defined]
            (first.pk, _("Keep the first (left) and merge the second into it")),
            (second.pk, _("Keep the second (right) and merge the first into it")),
        ]


class FeedImportForm(forms.Form):
    """A feed to import; what cannot be one is refused here, before it is stored."""

    file = forms.FileField(
        label=_("Feed"),
        help_text=_("An HSDS 3.0 JSON file, a zip of CSV files (HSDS 3.0 or 1.x) or an AIRS XML "
                    "file."),
    )  # fmt: skip
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Read from the content")), *ImportRun.Format.choices],
        required=False,
    )
    source = forms.CharField(
        label=_("Source (optional)"),
        required=False,
        max_length=SOURCE_MAX,
        help_text=_("The feed's name, the same at every import of it: its records are matched "
                    "with those it sent before, and those it no longer sends are marked "
                    "inactive. Empty: the name the file gives, or the source its records come "
                    "from; never the file's name."),
    )  # fmt: skip
    strict = forms.BooleanField(
        label=_("Strict: import nothing if any record is bad"), required=False
    )
    dry_run = forms.BooleanField(
        label=_("Check only: report what would change, write nothing"), required=False
    )

    def clean_source(self) -> str:
        try:
            return feed_source_clean(self.cleaned_data["source"])
        except ValueError as refused:
            raise ValidationError(str(refused), code="refused") from None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            feed_upload_check(upload)
        except ValueError as refused:
            raise ValidationError(str(refused), code="refused") from None
        return upload
