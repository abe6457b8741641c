"""The form a data steward uses to change a scoring profile (saved as a new version)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from welcoming.core.locking import VersionedForm
from welcoming.framework.models import Characteristic

from .models import ScoringProfile


class ScoringProfileForm(VersionedForm):
    """The choices of a profile, and (hidden) the version they were read from."""

    normalisation = forms.ChoiceField(
        label=_("Normalisation"), choices=ScoringProfile.Normalisation.choices
    )
    aggregation = forms.ChoiceField(
        label=_("Aggregation"), choices=ScoringProfile.Aggregation.choices
    )
    missing = forms.ChoiceField(label=_("Missing data"), choices=ScoringProfile.Missing.choices)
    min_coverage = forms.FloatField(label=_("Minimum coverage (0 to 1)"), min_value=0, max_value=1)
    min_framework_coverage = forms.FloatField(
        label=_("Minimum share of characteristics for an overall or group score (0 to 1)"),
        min_value=0,
        max_value=1,
        help_text=_(
            "Of the framework's characteristics for the overall score, of the group's for a group."
        ),
    )
    winsorise = forms.BooleanField(label=_("Treat outliers"), required=False)
    peer_group = forms.ChoiceField(label=_("Peer group"), choices=ScoringProfile.PeerGroup.choices)
    weight_noise = forms.ChoiceField(
        label=_("Weight variation in the uncertainty analysis"),
        choices=ScoringProfile.WeightNoise.choices,
    )
    noise_factor = forms.FloatField(
        label=_("Noise factor f (COINr's noise only)"), min_value=0, max_value=0.95
    )
    label_en = forms.CharField(label=_("Display name in English"), required=False, max_length=120)
    label_fr = forms.CharField(label=_("Display name in French"), required=False, max_length=120)
    peer_list = forms.CharField(
        label=_("Communities of the list peer group (Statistics Canada codes)"),
        required=False,
        help_text=_("Separated by commas or spaces, e.g. 535, 505, 462."),
    )

    def clean_peer_list(self) -> list[str]:
        return self.cleaned_data["peer_list"].replace(",", " ").split()

    def __init__(self, *args: Any, characteristics: list[Characteristic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.characteristics = characteristics
        for characteristic in characteristics:
            self.fields[f"weight_{characteristic.code}"] = forms.FloatField(
                label=str(characteristic.name),
                min_value=0,
                max_value=100,
            )

    @property
    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{c.code}"] for c in self.characteristics]

    @property
    def method_fields(self) -> list[forms.BoundField]:
        weights = {f"weight_{c.code}" for c in self.characteristics}
        return [
            self[name] for name in self.fields if name not in weights and not self[name].is_hidden
        ]

    def choices(self, kept: ScoringProfile) -> dict[str, Any]:
        """The cleaned data as profile fields. Weights are gathered by code over those of `kept`
        (the form shows characteristics only, so weights of indicators and groups stay), and a
        weight of 1, the default, is left out."""
        data = dict(self.cleaned_data)
        data.pop("version")
        weights = {**(kept.weights or {})}
        weights.update({c.code: data.pop(f"weight_{c.code}") for c in self.characteristics})
        return {**data, "weights": {code: w for code, w in weights.items() if w != 1}}

    @staticmethod
    def initial_for(
        profile: ScoringProfile, characteristics: list[Characteristic]
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {
            f: getattr(profile, f)
            for f in ScoringProfile.CHOICE_FIELDS
            if f not in {"peer_list", "weights"}
        }
        initial["peer_list"] = ", ".join(profile.peer_list or [])
        initial["version"] = profile.version
        initial.update({f: getattr(profile, f) or "" for f in ("label_en", "label_fr")})
        for c in characteristics:
            initial[f"weight_{c.code}"] = (profile.weights or {}).get(c.code, 1.0)
        return initial
