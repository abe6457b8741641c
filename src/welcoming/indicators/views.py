"""The community profile (a community's indicator values, by category and by characteristic),
and imports started from the web, followed on a page that refreshes itself."""

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, TemplateView

from welcoming.core.models import Community

from .forms import ImportForm
from .jobs import import_job_create
from .models import ImportJob
from .presentation import rows_chart_svg
from .selectors import community_profile, import_jobs_recent


class CommunityProfileView(TemplateView):
    template_name = "indicators/community_profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        community: Community = get_object_or_404(
            Community.objects.select_related("parent", "metropolitan_area"), code=kwargs["code"]
        )
        profile = community_profile(community=community)
        sections = [
            (section, rows_chart_svg(section.rows))
            for section in profile.categories
            if section.rows
        ]
        return {
            **super().get_context_data(**kwargs),
            "community": community,
            "profile": profile,
            "sections": sections,
            "children": (
                community.municipalities
                if community.level == Community.Level.CMA
                else community.children
            ).order_by("-population")[:50],
        }


class ImportJobListView(PermissionRequiredMixin, FormView):
    """Start an import (the file is stored and a worker imports it) and see the latest ones."""

    template_name = "indicators/importjob_list.html"
    permission_required = "indicators.import_values"
    form_class = ImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "jobs": import_jobs_recent()}

    def form_valid(self, form: ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        job = import_job_create(
            upload=upload,
            file_name=upload.name,
            format=form.cleaned_data["format"],
            dry_run=form.cleaned_data["dry_run"],
            actor=self.request.user,
        )
        return redirect("indicators:import-job", pk=job.pk)


class ImportJobDetailView(PermissionRequiredMixin, DetailView):
    """Where an import is; htmx asks again every two seconds until it ends (no script of ours)."""

    permission_required = "indicators.view_importbatch"
    model = ImportJob
    context_object_name = "job"
    queryset = ImportJob.objects.select_related("created_by", "batch")

    def get_template_names(self) -> list[str]:
        if self.request.htmx:  # type: ignore[attr-defined]
            return ["indicators/_importjob_status.html"]
        return ["indicators/importjob_detail.html"]
