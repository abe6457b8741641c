"""Forms for programs and profiles. They parse what a person typed into the values the services
take; the services validate the record itself (models.py) and save it."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from welcoming.core.locking import VersionedForm
from welcoming.core.models import Community, Organization
from welcoming.engines.matching import AVAILABILITY_SLOTS

from .languages import language_lookup, language_name
from .models import (
    AgeGroup,
    Delivery,
    Eligibility,
    Goal,
    HostProfile,
    Interest,
    LanguageLevel,
    NewcomerProfile,
    Preference,
    Profile,
    Program,
    ProgramKind,
)
from .occupations import unit_group_choices

LANGUAGE_ROWS = 4
DAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
PARTS_OF_DAY = (_("Morning"), _("Afternoon"), _("Evening"))
SLOT_LABEL = pgettext_lazy("a slot of the week grid, e.g. Monday morning", "%(day)s, %(part)s")


def availability_bits(slots: Iterable[str]) -> int:
    return sum(1 << int(slot) for slot in set(slots))


def availability_slots(bits: int) -> list[str]:
    return [str(slot) for slot in range(AVAILABILITY_SLOTS) if bits >> slot & 1]


class AvailabilityField(forms.MultipleChoiceField):
    """The week grid: one checkbox per day and part of day (bit day * 3 + part, Monday = 0);
    the template lays the boxes out as a table (includes/availability.html)."""

    def __init__(self, **kwargs: Any) -> None:
        choices = [
            (str(day * 3 + part), SLOT_LABEL % {"day": DAYS[day], "part": PARTS_OF_DAY[part]})
            for day in range(7)
            for part in range(3)
        ]
        super().__init__(
            choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
        )


def availability_grid(form: forms.Form) -> list[dict[str, Any]]:
    """Rows (parts of day) of cells (days) for the template's week grid."""
    chosen = set(form["availability"].value() or [])
    return [
        {
            "part": PARTS_OF_DAY[part],
            "cells": [
                {
                    "value": str(day * 3 + part),
                    "label": SLOT_LABEL % {"day": DAYS[day], "part": PARTS_OF_DAY[part]},
                    "checked": str(day * 3 + part) in chosen,
                }
                for day in range(7)
            ],
        }
        for part in range(3)
    ]


def _checkboxes(choices: Any, label: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


def _languages_field(**kwargs: Any) -> forms.CharField:
    return forms.CharField(max_length=80, required=False, **kwargs)


def parse_language_list(text: str) -> list[str]:
    """ "English, français, tir" -> ["eng", "fra", "tir"]; ValueError names what is unknown."""
    codes, unknown = [], []
    for part in text.split(","):
        if not part.strip():
            continue
        code = language_lookup(part)
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise forms.ValidationError(
            _("Unknown languages: %(names)s. Give names in English or French, or ISO 639-3 codes.")
            % {"names": ", ".join(unknown)}
        )
    return codes


def communities_for(organizations: Iterable[Organization]) -> QuerySet[Community]:
    """Municipalities the organizations may serve: those of their provinces (all of Canada's
    for an organization with no community), with a point to measure distances from."""
    provinces = {o.community.province_code for o in organizations if o.community is not None}
    municipalities = Community.objects.filter(
        level=Community.Level.CSD, latitude__isnull=False
    ).order_by("name_en", "code")
    if None in provinces or not provinces:
        return municipalities
    wanted = Q()
    for province in provinces:
        wanted |= Q(code__startswith=province)
    return municipalities.filter(wanted)


class ProgramForm(VersionedForm):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    name_fr = forms.CharField(label=_("Name in French"), max_length=200)
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_fr = forms.CharField(
        label=_("Description in French"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(label=_("Kind of program"), choices=ProgramKind.choices)
    communities: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Communities served"),
        queryset=Community.objects.none(),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    languages = _languages_field(
        label=_("Languages"),
        help_text=_("Names or ISO 639-3 codes, separated by commas: English, français, tir."),
    )
    min_language_level = forms.TypedChoiceField(
        label=_("Shared language level needed"),
        choices=LanguageLevel.choices,
        coerce=int,
        initial=LanguageLevel.CONVERSATIONAL,
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        required=False,
        help_text=_("How many newcomers the program can serve at once; empty: no limit."),
    )
    eligibility = _checkboxes(
        Eligibility.choices,
        _("Who the program is for"),
        _("Every newcomer in the program must be all of these; none: anyone."),
    )
    team_size_min = forms.IntegerField(
        label=_("Fewest volunteers per team"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("Only for a team program, where each household is matched with a team."),
    )
    team_size_max = forms.IntegerField(
        label=_("Most volunteers per team"), min_value=1, max_value=20, required=False
    )
    schedule_en = forms.CharField(label=_("Schedule in English"), max_length=200, required=False)
    schedule_fr = forms.CharField(label=_("Schedule in French"), max_length=200, required=False)
    delivery = forms.ChoiceField(label=_("Delivery"), choices=Delivery.choices)
    is_active = forms.BooleanField(label=_("Taking people"), required=False, initial=True)

    WEIGHTS = (*Program.WEIGHT_FIELDS, "distance_scale_km")

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["communities"].queryset = communities_for(organizations)  # type: ignore[attr-defined]
        for name in self.WEIGHTS:
            model_field = cast("models.Field[Any, Any]", Program._meta.get_field(name))
            self.fields[name] = forms.FloatField(
                label=str(model_field.verbose_name).capitalize(),
                min_value=0.0,
                initial=model_field.default,
                help_text=model_field.help_text,
            )

    def clean_languages(self) -> list[str]:
        return parse_language_list(self.cleaned_data["languages"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("team_size_min"), data.get("team_size_max")
        if (low is None) != (high is None):
            self.add_error("team_size_max", _("Give both team sizes, or neither."))
        elif low is not None and high is not None and low > high:
            self.add_error("team_size_max", _("The most is at least the fewest."))
        return data

    @staticmethod
    def initial_for(program: Program) -> dict[str, Any]:
        fields = [name for name in ProgramForm.base_fields if name not in {"version", "languages"}]
        initial = {name: getattr(program, name) for name in fields if name != "communities"}
        initial.update(
            version=program.version,
            organization=program.organization_id,
            communities=list(program.communities.all()),
            languages=", ".join(language_name(code) for code in program.languages),
            **{name: getattr(program, name) for name in ProgramForm.WEIGHTS},
        )
        return initial

    def program_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"version", "communities"}}


class ProfileForm(VersionedForm):
    """What newcomers and hosts share; language rows and the week grid included."""

    name = forms.CharField(
        label=_("Name or initials"),
        max_length=120,
        help_text=_("What the coordinator calls the person."),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("Only for the introduction.")
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for messages"), choices=settings.LANGUAGES
    )
    community: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none()
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=7,
        required=False,
        help_text=_("Only its first three characters (e.g. E1C) are kept, to measure distances."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    online_ok = forms.BooleanField(label=_("Can meet online"), required=False)
    noc_code = forms.ChoiceField(
        label=_("Occupation (NOC 2021)"),
        required=False,
        help_text=_("The closest National Occupational Classification unit group (in English)."),
        widget=forms.Select(attrs={"lang": "en"}),
    )
    occupation_text = forms.CharField(
        label=_("Occupation in the person's own words"), max_length=200, required=False
    )
    interests = _checkboxes(Interest.choices, _("Interests"))
    children_ages = forms.CharField(
        label=_("Children's ages"),
        required=False,
        max_length=60,
        help_text=_("Ages of the children at home, in years, separated by commas: 2, 5."),
    )
    availability = AvailabilityField(label=_("When the person is free"))

    def __init__(
        self,
        *args: Any,
        communities: QuerySet[Community],
        programs: QuerySet[Program] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        self.fields["noc_code"].choices = [("", "—"), *unit_group_choices()]  # type: ignore[attr-defined]
        if programs is not None:
            self.fields["programs"] = forms.ModelMultipleChoiceField(
                label=_("Programs"),
                queryset=programs,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for row in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{row}"] = _languages_field(
                label=_("Language %(row)d") % {"row": row}
            )
            self.fields[f"level_{row}"] = forms.TypedChoiceField(
                label=_("Level of language %(row)d") % {"row": row},
                choices=[("", "—"), *LanguageLevel.choices],
                coerce=int,
                required=False,
            )

    def language_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"language_{row}"], self[f"level_{row}"]) for row in range(1, LANGUAGE_ROWS + 1)
        ]

    def availability_grid(self) -> list[dict[str, Any]]:
        return availability_grid(self)

    def clean_children_ages(self) -> list[int]:
        text = self.cleaned_data["children_ages"]
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() and int(p) <= 17 for p in parts):
            raise forms.ValidationError(_("Give each child's age as a whole number from 0 to 17."))
        return sorted(int(p) for p in parts)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        languages: list[tuple[str, int]] = []
        for row in range(1, LANGUAGE_ROWS + 1):
            text, level = data.get(f"language_{row}") or "", data.get(f"level_{row}")
            if not text.strip():
                continue
            code = language_lookup(text)
            if code is None:
                self.add_error(
                    f"language_{row}",
                    _(
                        "Unknown language “%(name)s”: give its name in English or French, or its "
                        "ISO 639-3 code."
                    )
                    % {"name": text.strip()[:40]},
                )
            elif not level:
                self.add_error(f"level_{row}", _("Choose a level for this language."))
            elif code in {c for c, _level in languages}:
                self.add_error(f"language_{row}", _("This language is already given above."))
            else:
                languages.append((code, int(level)))
        if not languages and not self.has_error("language_1"):
            self.add_error("language_1", _("Give at least one language the person speaks."))
        data["languages"] = languages
        return data

    def profile_fields(self) -> dict[str, Any]:
        skip = {"version", "languages"} | {f"language_{r}" for r in range(1, LANGUAGE_ROWS + 1)}
        skip |= {f"level_{r}" for r in range(1, LANGUAGE_ROWS + 1)} | {"consent"}
        fields = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        fields["availability"] = availability_bits(self.cleaned_data["availability"])
        return fields

    @staticmethod
    def initial_for(profile: Profile, names: Iterable[str]) -> dict[str, Any]:
        initial = {name: getattr(profile, name) for name in names if hasattr(profile, name)}
        initial.update(
            version=profile.version,
            organization=profile.organization_id,
            community=profile.community_id,
            availability=availability_slots(profile.availability),
            children_ages=", ".join(str(age) for age in profile.children_ages),
            programs=list(profile.programs.all()),
        )
        for row, skill in enumerate(profile.languages.all(), start=1):  # type: ignore[attr-defined]
            initial[f"language_{row}"] = language_name(skill.code)
            initial[f"level_{row}"] = skill.level
        return initial


class NewcomerFieldsMixin(forms.Form):
    arrival_date = forms.DateField(
        label=_("Arrival in Canada"),
        help_text=_("As YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices)
    goals = _checkboxes(Goal.choices, _("Goals"))
    requires = _checkboxes(
        Preference.choices,
        _("Preferences"),
        _("What a host must offer for the person to feel at ease."),
    )
    is_refugee = forms.BooleanField(label=_("Refugee"), required=False)
    is_isolated_senior = forms.BooleanField(label=_("Isolated senior"), required=False)
    is_single_parent = forms.BooleanField(label=_("Single parent"), required=False)


class NewcomerProfileForm(NewcomerFieldsMixin, ProfileForm):
    """A newcomer's profile entered by the organization's staff; a new one needs consent."""

    consent = forms.BooleanField(
        label=_(
            "The newcomer has read the privacy notice below (or had it read to them) and agrees "
            "to be matched with a host, mentor or network."
        ),
        required=True,
    )
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    status = forms.ChoiceField(label=_("Status"), choices=NewcomerProfile.Status.choices)

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        creating: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if not creating:
            del self.fields["consent"]
        self.order_fields(["consent", "organization", "programs"])


class HostProfileForm(ProfileForm):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind of host"), choices=HostProfile.Kind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=HostProfile.Status.choices)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        max_value=500,
        initial=1,
        help_text=_("How many newcomers at once; a network or group takes more than 1."),
    )
    max_distance_km = forms.FloatField(
        label=_("Farthest distance (km)"), min_value=0, max_value=500, initial=15
    )
    offers = _checkboxes(Preference.choices, _("Can offer"))
    police_check_date = forms.DateField(
        label=_("Police check date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    police_check_expires = forms.DateField(
        label=_("Police check expires"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    training_completed_on = forms.DateField(
        label=_("Training completed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.order_fields(["organization", "kind", "name"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        checked, expires = data.get("police_check_date"), data.get("police_check_expires")
        if (checked is None) != (expires is None):
            self.add_error("police_check_expires", _("Give the check's date and its expiry."))
        elif checked and expires and expires <= checked:
            self.add_error("police_check_expires", _("The expiry comes after the check's date."))
        if data.get("kind") in HostProfile.GROUP_KINDS and (data.get("capacity") or 0) <= 1:
            self.add_error("capacity", _("A network or group takes more than 1 newcomer."))
        return data


class SignUpForm(NewcomerFieldsMixin, ProfileForm):
    """The public sign-up: consent first, then an account, then what matching needs."""

    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice above and agree to be matched with a host, "
            "mentor or network."
        ),
        required=True,
    )
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text=_("The organization that will contact you."),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("To see your profile later; at least 12 characters."),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["email"].required = True
        self.fields["email"].help_text = _("You sign in with it.")
        self.fields["name"].label = _("Your name or initials")
        self.fields["version"].required = False
        self.order_fields(["consent", "email", "password", "organization", "name"])
