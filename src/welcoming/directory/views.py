"""The public directory: search, a service, an organization, a printable listing and the
Welcome Centre sheets. Anonymous and read-only; every page reads through a selector."""

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from welcoming.core.models import Community, Organization

from .models import Location, Service, ServiceAtLocation
from .search import PlaceError, place_resolve, service_search
from .search_forms import ServiceSearchForm
from .welcome import communities_with_welcome_centres, welcome_sheet, welcome_sheet_pdf

PRINT_PER_PAGE = 100


class ServiceSearchView(TemplateView):
    """Search by words, need, language, eligibility, cost, hours and place; nothing is stored."""

    template_name = "directory/service_search.html"
    per_page: int | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        form = ServiceSearchForm(params or None)
        results = None
        if form.is_bound and form.is_valid():
            results = service_search(form.search_query(per_page=self.per_page))
        query_without_page = params.copy()
        query_without_page.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "results": results,
            "query_string": query_without_page.urlencode(),
        }


class ServiceListPrintView(ServiceSearchView):
    """The same search as a listing to print (print style sheet, a hundred to a page)."""

    template_name = "directory/service_list_print.html"
    per_page = PRINT_PER_PAGE


def _service_details() -> Any:
    return Service.objects.select_related("organization", "program").prefetch_related(
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location")
            .prefetch_related(
                "location__addresses", "location__accessibility", "location__schedules"
            )
            .order_by("pk"),
        ),
        "languages",
        "schedules",
        "phones",
        "required_documents",
        "cost_options",
        "attributes__taxonomy_term",
        "service_areas",
    )


class ServiceDetailView(TemplateView):
    """One service: where, when, in which languages, for whom, what to bring, what it costs."""

    template_name = "directory/service_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        service = get_object_or_404(_service_details(), hsds_id=self.kwargs["hsds_id"])
        sites = [link.location for link in service.service_at_locations.all()]
        return {
            **super().get_context_data(**kwargs),
            "service": service,
            "physical_sites": [
                s for s in sites if s.location_type != Location.LocationType.VIRTUAL
            ],
            "online_sites": [s for s in sites if s.location_type == Location.LocationType.VIRTUAL],
            "active": service.status == Service.Status.ACTIVE,
        }


class OrganizationDetailView(TemplateView):
    """An organization and its active services."""

    template_name = "directory/organization_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organization = get_object_or_404(Organization, hsds_id=self.kwargs["hsds_id"])
        services = (
            Service.objects.filter(organization=organization, status=Service.Status.ACTIVE)
            .prefetch_related("languages")
            .order_by("name_en", "pk")
        )
        return {
            **super().get_context_data(**kwargs),
            "organization": organization,
            "services": services,
        }


class WelcomeCentreListView(TemplateView):
    """The communities with a Welcome Centre, and a box to open any community's sheet."""

    template_name = "directory/welcome_centre_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        asked = request.GET.get("community", "").strip()
        error = ""
        if asked:
            try:
                place = place_resolve(asked)
            except PlaceError as problem:
                error = str(problem)
            else:
                if place.community is not None:
                    return redirect("directory:welcome-centre", code=place.community.code)
                error = _("Write the name of a community, not a postal code or coordinates.")
        context = self.get_context_data(**kwargs)
        context.update(asked=asked, error=error, communities=communities_with_welcome_centres())
        return self.render_to_response(context)


class WelcomeCentreView(TemplateView):
    """A community's key services grouped by need, in both languages."""

    template_name = "directory/welcome_centre.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "sheet": welcome_sheet(get_object_or_404(Community, code=self.kwargs["code"])),
        }


class WelcomeCentrePdfView(TemplateView):
    """The sheet as a one-page PDF for the front desk."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        community = get_object_or_404(Community, code=self.kwargs["code"])
        pdf = welcome_sheet_pdf(community)
        if pdf is None:
            return HttpResponse(
                _("The PDF is not available on this server."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="welcome-{community.code}.pdf"'
        return response
