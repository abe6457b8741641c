"""Pages for a person's data on request: the export as a JSON download, and the erasure's
confirmation, which names what will be removed. Reachable from the profile's page, for the staff
of the organization that serves the person; anyone else gets 404 (views.py)."""

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .erasure import (
    REASON_MAX,
    erased_fields,
    host_profile_erase,
    newcomer_profile_erase,
    profile_export,
)
from .models import HostProfile, Match, NewcomerProfile
from .views import _user, _visible


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the profile is erased"),
        max_length=REASON_MAX,
        help_text=gettext_lazy(
            "Who asked and when, e.g. “asked by telephone on 2026-12-01”. No personal details: "
            "this stays in the audit trail."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."), required=True
    )


KINDS: dict[str, dict[str, Any]] = {
    "newcomer": {"model": NewcomerProfile, "erase": newcomer_profile_erase},
    "host": {"model": HostProfile, "erase": host_profile_erase},
}


def _profile(request: HttpRequest, kind: str, pk: int, action: str) -> Any:
    model = KINDS[kind]["model"]
    return _visible(request, model, pk, f"connections.{action}_{kind}profile")


class ProfileExportView(LoginRequiredMixin, View):
    """Everything kept about the person, as a JSON file (erasure.profile_export)."""

    kind = ""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = _profile(request, self.kind, pk, "export")
        data = profile_export(profile=profile, actor=_user(request))
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        name = f"{self.kind}-{profile.pk}.json"  # a number, never a name (privacy.md)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ProfileEraseView(LoginRequiredMixin, View):
    """The confirmation (GET) names what goes and which matches end; the erasure (POST)."""

    kind = ""

    def _page(self, request: HttpRequest, profile: Any, form: ErasureForm) -> HttpResponse:
        if self.kind == "newcomer":
            matches = Match.objects.filter(newcomer=profile)
        else:
            matches = Match.objects.filter(match_hosts__host=profile)
        context = {
            "profile": profile,
            "kind": self.kind,
            "form": form,
            "fields": erased_fields(profile),
            "live_matches": matches.filter(status__in=Match.LIVE).count(),
        }
        return render(request, "connections/profile_erase.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = _profile(request, self.kind, pk, "erase")
        return self._page(request, profile, ErasureForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = _profile(request, self.kind, pk, "erase")
        form = ErasureForm(request.POST)
        if form.is_valid():
            try:
                KINDS[self.kind]["erase"](
                    profile=profile, actor=_user(request), reason=form.cleaned_data["reason"]
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, _("The person's data was erased."))
                return redirect(f"connections:{self.kind}-detail", pk=profile.pk)
        return self._page(request, profile, form)
