"""The community profile: a community's indicator values, by category and by characteristic."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from welcoming.core.models import Community

from .presentation import rows_chart_svg
from .selectors import community_profile


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
