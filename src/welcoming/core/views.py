"""Public pages: home, the communities list with its search; the health check."""

from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_htmx.middleware import HtmxDetails

from .health import database_reachable, static_manifest_loaded
from .models import Community
from .selectors import community_search, province_list

PAGE_SIZE = 25


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class HomeView(TemplateView):
    template_name = "core/home.html"


class CommunityListView(TemplateView):
    """Search and filter communities with a plain GET form; htmx requests get the results only."""

    template_name = "core/community_list.html"
    results_template_name = "core/community_results.html"

    def is_fragment(self) -> bool:
        htmx = cast(HtmxHttpRequest, self.request).htmx
        # A history restore after a cache miss needs the whole page, not the fragment.
        return bool(htmx) and not htmx.history_restore_request

    def get_template_names(self) -> list[str]:
        return [self.results_template_name if self.is_fragment() else self.template_name]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        provinces = list(province_list())
        filters = {
            "text": params.get("q", "").strip(),
            "province": _choice(params.get("province"), {p.code for p in provinces}),
            "size_class": _choice(params.get("size"), set(Community.SizeClass.values)),
            "level": _choice(params.get("level"), set(Community.Level.values)),
        }
        found = community_search(
            text=filters["text"] or "",
            province=filters["province"],
            size_class=filters["size_class"],
            level=filters["level"],
        )
        page = Paginator(found, PAGE_SIZE).get_page(params.get("page"))
        kept = [(k, v) for k, values in params.lists() if k != "page" for v in values if v]
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "fragment": self.is_fragment(),
            "filters": filters,
            "query": urlencode(kept),
            "provinces": provinces,
            "size_classes": Community.SizeClass.choices,
            "levels": Community.Level.choices,
        }


def _choice(value: str | None, allowed: set[str]) -> str | None:
    """A filter value the page offers, or None (all) for anything else."""
    return value if value in allowed else None


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask /favicon.ico whatever the page says: send them to the icon."""
    return HttpResponsePermanentRedirect(static("welcoming/favicon.ico"))


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when this process can serve pages, else 503 naming what fails.
    Outside the language prefixes, no session, no rate limit, one `SELECT 1`."""
    checks = {"database": database_reachable(), "static_files": static_manifest_loaded()}
    healthy = all(checks.values())
    body = {name: "ok" if fine else "failing" for name, fine in checks.items()}
    response = JsonResponse({"status": "ok" if healthy else "failing", **body})
    response.status_code = 200 if healthy else 503
    response["Cache-Control"] = "no-store"
    return response
