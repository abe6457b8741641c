"""The form a data steward uses to change a scoring profile (saved as a new version)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from welcoming.framework.models import Characteristic

from .models import ScoringProfile


class ScoringProfileForm(forms.Form):
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

    def choices(self, kept: ScoringProfile) -> dict[str, Any]:
        """The cleaned data as profile fields. Weights are gathered by code over those of `kept`
        (the form shows characteristics only, so weights of indicators and groups stay), and a
        weight of 1, the default, is left out."""
        data = dict(self.cleaned_data)
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
        for c in characteristics:
            initial[f"weight_{c.code}"] = (profile.weights or {}).get(c.code, 1.0)
        return initial
