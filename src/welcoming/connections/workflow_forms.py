"""Forms of the coordinator's workflow: starting a run, deciding on a match, logging what
happens next. They parse; the services in runs.py, lifecycle.py and activities.py decide."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welcoming.core.locking import VersionedForm

from .lifecycle import ACTIONS
from .models import Feedback, HostProfile, Interaction, Match, MatchRun, NewcomerProfile


class RunForm(forms.Form):
    solver = forms.ChoiceField(
        label=_("Solver"),
        choices=MatchRun.Solver.choices,
        initial=MatchRun.Solver.OPTIMAL,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: compute the totals and reasons, propose nothing"), required=False
    )


CHOSEN_END_REASONS = [c for c in Match.EndReason.choices if c[0] != Match.EndReason.ERASED]
"""The reasons a person chooses; "erased on request" is the erasure's own (erasure.py)."""


class DecisionForm(VersionedForm):
    """One step of a match's life; `side` names who confirms, `reason` why it ended."""

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    side = forms.CharField(required=False, max_length=20)
    reason = forms.ChoiceField(
        label=_("Reason for ending"),
        choices=[("", "—"), *CHOSEN_END_REASONS],
        required=False,
    )
    note = forms.CharField(label=_("Note on the ending"), max_length=280, required=False)


class SwapForm(forms.Form):
    first = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    second = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    first_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    second_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SwapChoiceForm(forms.Form):
    """Which two proposals to swap: the review page lists them by newcomer."""

    first = forms.TypedChoiceField(label=_("First proposal"), coerce=int)
    second = forms.TypedChoiceField(label=_("Second proposal"), coerce=int)

    def __init__(self, *args: Any, proposals: list[Match], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(m.pk, str(m.newcomer)) for m in proposals]
        first, second = self.fields["first"], self.fields["second"]
        assert isinstance(first, forms.TypedChoiceField)
        assert isinstance(second, forms.TypedChoiceField)
        first.choices = choices
        second.choices = choices[1:] + choices[:1]


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["date", "kind", "duration_minutes", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["side", "rating", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AttendanceForm(forms.Form):
    """Who came. People who gave no personal information are counted, nothing else."""

    newcomers = forms.ModelMultipleChoiceField(
        label=_("Newcomers"),
        queryset=NewcomerProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hosts = forms.ModelMultipleChoiceField(
        label=_("Hosts"),
        queryset=HostProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    anonymous_count = forms.IntegerField(
        label=_("People who gave no personal information"),
        min_value=0,
        max_value=1000,
        initial=0,
        help_text=_("Counted only: no name, no details."),
    )

    def __init__(self, *args: Any, organization_id: int, program_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        newcomers = self.fields["newcomers"]
        hosts = self.fields["hosts"]
        assert isinstance(newcomers, forms.ModelMultipleChoiceField)
        assert isinstance(hosts, forms.ModelMultipleChoiceField)
        newcomers.queryset = NewcomerProfile.objects.filter(
            organization_id=organization_id, programs=program_id
        ).order_by("name", "pk")
        hosts.queryset = HostProfile.objects.filter(
            organization_id=organization_id, programs=program_id
        ).order_by("name", "pk")
