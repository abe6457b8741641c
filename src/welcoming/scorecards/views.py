"""The scorecard page of a community."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from welcoming.accounts.models import User
from welcoming.core.locking import StaleEdit
from welcoming.core.models import Community

from .comparison import scorecard_compare
from .exports import comparison_download
from .finder import community_find, finder_characteristics, finder_level, finder_unavailable
from .forms import ScoringProfileForm
from .models import ScoringProfile
from .reports import characteristics_chart_svg, scorecard_report_pdf
from .resolve import ChoiceRefused, scorecard_period_resolve, scoring_profile_resolve
from .selectors import methodology_trees, scorecard_periods
from .services import (
    UNCERTAINTY_DRAWS,
    rank_sensitivity,
    scorecard_compute,
    scoring_profile_save,
)

IMPORTANCE_LABELS = [
    (0, _("Not important")),
    (1, _("Somewhat important")),
    (2, _("Important")),
    (3, _("Very important")),
]


class RefusedChoiceAs404:
    """A profile or period the resolver refuses answers 404 with its reason, in the page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        except ChoiceRefused as refused:
            return render(request, "404.html", {"reason": refused.message}, status=404)


class ScorecardView(RefusedChoiceAs404, TemplateView):
    template_name = "scorecards/scorecard_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        community: Community = get_object_or_404(
            Community.objects.select_related("parent"), code=kwargs["code"]
        )
        periods = scorecard_periods(level=community.level)
        period = scorecard_period_resolve(
            level=community.level, period=self.request.GET.get("period")
        )
        profile = scoring_profile_resolve(name=self.request.GET.get("profile"))
        card = scorecard_compute(community=community, period=period, profile=profile)
        return {
            **super().get_context_data(**kwargs),
            "community": community,
            "card": card,
            "periods": periods,
            "period": period,
            "profile": profile,
        }


class CommunityFinderView(TemplateView):
    """Public and anonymous: a newcomer says what matters; nothing is stored."""

    template_name = "scorecards/community_finder.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        size = params.get("size") if params.get("size") in Community.SizeClass.values else None
        level = finder_level(size)
        characteristics = finder_characteristics(level=level)
        priorities = {c.code: _importance(params.get(c.code)) for c in characteristics}
        asked = {code: _importance(params.get(code)) for code in params}
        province = params.get("province") or None
        include_unorganized = params.get("unorganized") == "on"
        submitted = bool(params)
        matches = (
            community_find(
                priorities=priorities,
                province=province,
                size_class=size,
                include_unorganized=include_unorganized,
            )
            if submitted
            else []
        )
        return {
            **super().get_context_data(**kwargs),
            "characteristics": [(c, priorities[c.code]) for c in characteristics],
            "unavailable": finder_unavailable(asked=asked, level=level) if submitted else [],
            "levels": IMPORTANCE_LABELS,
            "provinces": Community.objects.filter(level=Community.Level.PROVINCE),
            "province": province,
            "sizes": Community.SizeClass.choices,
            "size": size or "",
            "size_label": Community.SizeClass(size).label if size else "",
            "unorganized": include_unorganized,
            "matches": matches,
            "asked": submitted,
        }


def _importance(text: str | None) -> int:
    return int(text) if text in {"0", "1", "2", "3"} else 1


class ScoringProfileEditView(PermissionRequiredMixin, FormView):
    """Change the weights and methods of a profile; each save is a new version."""

    template_name = "scorecards/scoringprofile_edit.html"
    permission_required = "scorecards.change_scoringprofile"
    form_class = ScoringProfileForm

    def get_profile(self) -> ScoringProfile:
        try:
            return scoring_profile_resolve(name=self.kwargs["name"])
        except ChoiceRefused as refused:
            raise Http404(refused.message) from refused

    def get_form_kwargs(self) -> dict[str, Any]:
        characteristics = finder_characteristics(level=self.request.GET.get("level", "cma"))
        kwargs = super().get_form_kwargs()
        kwargs["characteristics"] = characteristics
        if self.request.method == "GET":
            kwargs["initial"] = ScoringProfileForm.initial_for(self.get_profile(), characteristics)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "profile": self.get_profile()}

    def form_valid(self, form: ScoringProfileForm) -> HttpResponse:
        actor = cast("User", self.request.user)  # PermissionRequiredMixin let only members in
        kept = self.get_profile()
        try:
            profile = scoring_profile_save(
                name=self.kwargs["name"],
                actor=actor,
                expected_version=form.cleaned_data["version"],
                **form.choices(kept),
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
            return self.render_to_response(self.get_context_data(form=form, stale=True))
        except ValidationError as invalid:  # checks that need the database, e.g. unknown codes
            for field, errors in invalid.message_dict.items():  # weights: no field of their own
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        saved = (
            _("Saved as version %(version)d.")
            if profile.pk != kept.pk
            else _("Nothing changed: the profile stays at version %(version)d.")
        )
        messages.success(self.request, saved % {"version": profile.version})
        back = self.request.GET.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={self.request.get_host()}):
            return redirect(back)
        return redirect(reverse("scorecards:profile-edit", args=[profile.name]))


class ScorecardChartView(ScorecardView):
    """The chart of the page as an image of its own: drawing it takes longer than the rest of
    the page, so the page does not wait for it, and the browser may keep it a while."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        svg = characteristics_chart_svg(context["card"]) if context["card"] else None
        if svg is None:
            raise Http404
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        return response


class ScorecardPdfView(ScorecardView):
    """The scorecard as a PDF report, with the same body as the page."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if context["card"] is None:
            raise Http404
        pdf = scorecard_report_pdf(context["card"])
        if pdf is None:
            return HttpResponse(
                _("The PDF report is not available on this server."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"scorecard-{context['community'].code}-{context['period']}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class MethodologyView(RefusedChoiceAs404, TemplateView):
    """How a profile scores: generated from the settings in force, not written by hand."""

    template_name = "scorecards/methodology.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = scoring_profile_resolve(name=self.kwargs["name"])
        return {
            **super().get_context_data(**kwargs),
            "profile": profile,
            "draws": UNCERTAINTY_DRAWS,
            "trees": [
                (tree, rank_sensitivity(level=tree.level, profile=profile))
                for tree in methodology_trees(profile=profile)
            ],
        }


class ComparisonView(RefusedChoiceAs404, TemplateView):
    """Communities side by side; ?format=csv or xlsx downloads the same table."""

    template_name = "scorecards/comparison.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(**kwargs)
        output = request.GET.get("format")
        if output in {"csv", "xlsx"} and context["comparison"] is not None:
            return comparison_download(context["comparison"], output)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        level = params.get("level", "cma")
        if level not in Community.Level.values:
            raise Http404
        periods = scorecard_periods(level=level)
        period = scorecard_period_resolve(level=level, period=params.get("period"))
        codes = [c.strip() for c in params.get("codes", "").split(",") if c.strip()]
        profile = scoring_profile_resolve(name=params.get("profile"))
        comparison = scorecard_compare(
            level=level,
            period=period,
            profile=profile,
            codes=codes or None,
            province=params.get("province") or None,
            size_class=params.get("size") or None,
            sort=params.get("sort", "overall"),
        )
        query = params.copy()
        query.pop("sort", None)
        query.pop("format", None)
        return {
            **super().get_context_data(**kwargs),
            "comparison": comparison,
            "level": level,
            "levels": Community.Level.choices,
            "period": period,
            "periods": periods,
            "provinces": Community.objects.filter(level=Community.Level.PROVINCE),
            "province": params.get("province", ""),
            "sizes": Community.SizeClass.choices,
            "size": params.get("size", ""),
            "codes": ",".join(codes),
            "query": query.urlencode(),
        }
