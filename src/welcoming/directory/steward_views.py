"""The stewards' pages: the records one keeps (stale ones and those held for review first), add,
edit, verify, and duplicates offered for merge side by side. Each page asks the permission with
the record, so a steward of one organization never changes another's."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView, View

from welcoming.accounts.models import User
from welcoming.core.locking import StaleEdit
from welcoming.core.models import Organization

from .import_jobs import feed_import_job_create
from .models import FeedImportJob, Service
from .steward_forms import FeedImportForm, MergeForm, ServiceAddForm, ServiceEditForm, VerifyForm
from .steward_selectors import (
    duplicate_offers,
    feed_import_jobs_recent,
    is_stale,
    newcomer_terms,
    service_for_steward,
    steward_counts,
    steward_service_list,
    stewarded_organization_ids,
)
from .steward_services import (
    duplicate_dismiss,
    service_create,
    service_merge,
    service_review_close,
    service_update,
    service_verify,
)

FILTERS = ("stale", "review")
PAGE_SIZE = 50


class StewardMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "directory.steward"

    def actor(self) -> User:
        return cast("User", self.request.user)  # type: ignore[attr-defined]


class ServiceRecordMixin(StewardMixin):
    """A page about one service the person may change (403 for another organization's)."""

    perm = "directory.change_service"

    def service(self) -> Service:
        if not hasattr(self, "_service"):
            try:
                service = service_for_steward(pk=self.kwargs["pk"])  # type: ignore[attr-defined]
            except Service.DoesNotExist as missing:
                raise Http404 from missing
            if not self.actor().has_perm(self.perm, service):
                raise PermissionDenied
            self._service = service
        return self._service


class StewardServiceListView(StewardMixin, TemplateView):
    template_name = "directory/steward_service_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        chosen = self.request.GET.get("filter", "")
        chosen = chosen if chosen in FILTERS else ""
        services = steward_service_list(user=self.actor(), filter=chosen)
        page = Paginator(services, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = [(service, is_stale(service)) for service in page.object_list]
        return {
            **super().get_context_data(**kwargs),
            "filter": chosen,
            "counts": steward_counts(user=self.actor()),
            "page": page,
            "rows": rows,
        }


class StewardServiceAddView(StewardMixin, FormView):
    template_name = "directory/steward_service_form.html"
    form_class = ServiceAddForm

    def get_form_kwargs(self) -> dict[str, Any]:
        ids = stewarded_organization_ids(self.actor())
        organizations = Organization.objects.order_by("name_en")
        if ids is not None:
            organizations = organizations.filter(pk__in=ids)
        return {**super().get_form_kwargs(), "terms": newcomer_terms(),
                "organizations": organizations}  # fmt: skip

    def form_valid(self, form: ServiceAddForm) -> HttpResponse:
        service = service_create(
            actor=self.actor(),
            organization=form.cleaned_data["organization"],
            fields=form.service_fields(),
            term_ids=[t.pk for t in form.cleaned_data["terms"]],
            language_codes=form.cleaned_data["languages"],
            location_ids=[loc.pk for loc in form.cleaned_data["locations"]],
        )
        messages.success(self.request, _("The service was added."))
        return redirect(reverse("stewardship:service-edit", args=[service.pk]))


class StewardServiceEditView(ServiceRecordMixin, FormView):
    template_name = "directory/steward_service_form.html"
    form_class = ServiceEditForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = {**super().get_form_kwargs(), "terms": newcomer_terms()}
        if self.request.method == "GET":
            service = self.service()
            kwargs["initial"] = {**ServiceEditForm.initial_for(service), "version": service.version}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        service = self.service()
        return {**super().get_context_data(**kwargs), "service": service,
                "stale_record": is_stale(service)}  # fmt: skip

    def form_valid(self, form: ServiceEditForm) -> HttpResponse:
        try:
            service_update(
                actor=self.actor(),
                service=self.service(),
                expected_version=form.cleaned_data["version"],
                fields=form.service_fields(),
                term_ids=[t.pk for t in form.cleaned_data["terms"]],
                language_codes=form.cleaned_data["languages"],
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
            return self.render_to_response(self.get_context_data(form=form, stale=True))
        messages.success(self.request, _("Your changes were saved."))
        return redirect(reverse("stewardship:service-edit", args=[self.kwargs["pk"]]))


class StewardServiceVerifyView(ServiceRecordMixin, FormView):
    template_name = "directory/steward_service_verify.html"
    form_class = VerifyForm
    perm = "directory.verify_service"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        service = self.service()
        return {**super().get_context_data(**kwargs), "service": service,
                "stale_record": is_stale(service)}  # fmt: skip

    def form_valid(self, form: VerifyForm) -> HttpResponse:
        service_verify(actor=self.actor(), service=self.service(), note=form.cleaned_data["note"])
        messages.success(self.request, _("The service is marked as verified today."))
        return redirect(reverse("stewardship:service-list"))


class StewardServiceReviewView(ServiceRecordMixin, FormView):
    """What the feed would have written over a steward's edit, beside the record as it is."""

    template_name = "directory/steward_service_review.html"
    form_class = forms.Form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        service = self.service()
        pending = service.pending_import or {}
        rows = [
            (name, _shown(getattr(service, name, None)), _shown(value))
            for name, value in sorted(pending.items())
            if not isinstance(value, (dict, list))
        ]
        return {**super().get_context_data(**kwargs), "service": service, "rows": rows,
                "pending": bool(service.pending_import)}  # fmt: skip

    def form_valid(self, form: forms.Form) -> HttpResponse:
        service_review_close(actor=self.actor(), service=self.service())
        messages.success(self.request, _("The feed's update was set aside; your version stays."))
        return redirect(reverse("stewardship:service-list") + "?filter=review")


def _shown(value: object) -> str:
    return "—" if value in (None, "") else str(value)


class StewardDuplicateListView(StewardMixin, TemplateView):
    template_name = "directory/steward_duplicate_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        try:
            number = int(self.request.GET.get("page", "1"))
        except ValueError:
            number = 1
        page = duplicate_offers(user=self.actor(), page=number)
        return {**super().get_context_data(**kwargs), "page": page, "offers": page.offers}


class ServicePairMixin(StewardMixin):
    """A page about two services; `all_mine`: the person must keep both, else either."""

    all_mine = True

    def pair(self) -> tuple[Service, Service]:
        try:
            pair = (
                service_for_steward(pk=self.kwargs["first"]),  # type: ignore[attr-defined]
                service_for_steward(pk=self.kwargs["second"]),  # type: ignore[attr-defined]
            )
        except Service.DoesNotExist as missing:
            raise Http404 from missing
        if pair[0].pk == pair[1].pk:
            raise Http404
        mine = [self.actor().has_perm("directory.change_service", s) for s in pair]
        if not (all(mine) if self.all_mine else any(mine)):
            raise PermissionDenied
        return pair


class StewardDuplicateDismissView(ServicePairMixin, View):
    """A steward says two services offered as duplicates are not: never offered again."""

    all_mine = False

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        first, second = self.pair()
        duplicate_dismiss(actor=self.actor(), first=first, second=second)
        messages.success(request, _("The two services will not be offered as duplicates again."))
        return redirect(reverse("stewardship:duplicate-list"))


class StewardServiceMergeView(ServicePairMixin, FormView):
    """Two services side by side; the steward chooses which to keep, or leaves them."""

    template_name = "directory/steward_service_merge.html"
    form_class = MergeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        first, second = self.pair()
        return {**super().get_form_kwargs(), "first": first, "second": second}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        first, second = self.pair()
        return {**super().get_context_data(**kwargs), "first": first, "second": second,
                "rows": _side_by_side(first, second)}  # fmt: skip

    def form_valid(self, form: MergeForm) -> HttpResponse:
        first, second = self.pair()
        kept, merged = (first, second) if form.cleaned_data["keep"] == first.pk else (second, first)
        service_merge(actor=self.actor(), kept=kept, merged=merged)
        messages.success(
            self.request,
            _("The duplicate was merged into %(service)s.") % {"service": kept.localized("name")},
        )
        return redirect(reverse("stewardship:service-edit", args=[kept.pk]))


def _side_by_side(first: Service, second: Service) -> list[tuple[str, str, str]]:
    """(label, first's value, second's value) for what tells two services apart."""

    def sites(service: Service) -> str:
        return "; ".join(
            ", ".join(str(a) for a in link.location.addresses.all()) or str(link.location)
            for link in service.service_at_locations.all()
        )

    def listed(service: Service, related: str, attribute: str) -> str:
        return ", ".join(
            sorted(str(getattr(o, attribute)) for o in getattr(service, related).all())
        )

    rows = [
        (_("Organization"), str(first.organization), str(second.organization)),
        (_("Name (English)"), first.name_en, second.name_en),  # type: ignore[attr-defined]
        (_("Name (French)"), first.name_fr, second.name_fr),  # type: ignore[attr-defined]
        (_("Status"), first.get_status_display(), second.get_status_display()),
        (_("Sites"), sites(first), sites(second)),
        (_("Phones"), listed(first, "phones", "number"), listed(second, "phones", "number")),
        (_("Languages"), listed(first, "languages", "code"), listed(second, "languages", "code")),
        (_("Source"), first.source, second.source),
        (_("Last verified"), str(first.last_verified or "—"), str(second.last_verified or "—")),
    ]
    return [(label, a or "—", b or "—") for label, a, b in rows]


class StewardFeedImportView(StewardMixin, FormView):
    """Start a feed import (the file is checked and stored, a worker imports it) and see the
    latest ones."""

    template_name = "directory/steward_import_list.html"
    permission_required = "directory.import_directory"
    form_class = FeedImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "jobs": feed_import_jobs_recent()}

    def form_valid(self, form: FeedImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        job = feed_import_job_create(
            upload=upload,
            file_name=upload.name,
            format=form.cleaned_data["format"],
            source=form.cleaned_data["source"],
            strict=form.cleaned_data["strict"],
            dry_run=form.cleaned_data["dry_run"],
            actor=self.actor(),
        )
        return redirect("stewardship:import-job", pk=job.pk)


class StewardFeedImportJobView(StewardMixin, DetailView):
    """Where a feed import is; htmx asks again every two seconds until it ends, then shows the
    report."""

    permission_required = "directory.import_directory"
    model = FeedImportJob
    context_object_name = "job"
    queryset = FeedImportJob.objects.select_related("created_by")

    def get_template_names(self) -> list[str]:
        if self.request.htmx:  # type: ignore[attr-defined]
            return ["directory/_import_job_status.html"]
        return ["directory/steward_import_job.html"]
