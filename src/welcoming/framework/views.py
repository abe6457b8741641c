"""The framework page."""

from typing import Any

from django.views.generic import TemplateView

from .selectors import framework_overview


class FrameworkOverviewView(TemplateView):
    template_name = "framework/framework_overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "overview": framework_overview()}
