"""Pages for programs and profiles: thin, each parses a form and calls one service or selector.

A record of an organization the person does not serve answers 404, the same as a record that
does not exist, so nobody learns what another organization keeps.
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from welcoming.accounts.models import User
from welcoming.core.locking import StaleEdit
from welcoming.core.models import Community, Organization
from welcoming.core.ratelimit import retry_after, too_many_requests

from . import selectors
from .forms import (
    HostProfileForm,
    NewcomerProfileForm,
    ProfileForm,
    ProgramForm,
    SignUpForm,
    communities_for,
)
from .models import HostProfile, NewcomerProfile, Program
from .services import (
    MATCHING_NOTICE_VERSION,
    host_profile_save,
    newcomer_profile_save,
    newcomer_sign_up,
    program_save,
)


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _visible(request: HttpRequest, model: type[Model], pk: int, perm: str) -> Any:
    obj = get_object_or_404(model, pk=pk)
    if not request.user.has_perm(perm, obj):
        raise Http404
    return obj


class StaffMixin(LoginRequiredMixin):
    """Pages for the people who serve newcomers in some organization."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not request.user.has_perm(
            "connections.manage_connections"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def organizations(self) -> QuerySet[Organization]:
        ids = selectors.organizations_served_by(user=_user(self.request))
        return Organization.objects.filter(pk__in=ids).select_related("community")

    def communities(self) -> QuerySet[Community]:
        """The communities the organizations' programs serve, else their provinces'."""
        served = Community.objects.filter(
            connection_programs__organization__in=self.organizations()
        ).distinct()
        return served if served.exists() else communities_for(self.organizations())

    def programs(self) -> QuerySet[Program]:
        return Program.objects.filter(organization__in=self.organizations()).order_by("name_en")


class SavingFormMixin:
    """Calls a service; its validation errors land on the form's fields, a stale edit on top."""

    request: HttpRequest

    def save(self, form: Any) -> Any:
        raise NotImplementedError

    def success_url_for(self, obj: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            obj = self.save(form)
        except StaleEdit as error:
            form.add_error(None, str(error.message))
            return self.form_invalid(form)  # type: ignore[attr-defined]
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.success_url_for(obj))


# --- programs --------------------------------------------------------------------------------


class ProgramListView(StaffMixin, TemplateView):
    template_name = "connections/program_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        programs = selectors.program_list(user=_user(self.request))
        return {**super().get_context_data(**kwargs), "programs": programs}


class ProgramDetailView(StaffMixin, TemplateView):
    template_name = "connections/program_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        program = _visible(self.request, Program, kwargs["pk"], "connections.view_program")
        return {
            **super().get_context_data(**kwargs),
            "program": program,
            "communities": program.communities.order_by("name_en"),
            "newcomers_count": program.newcomerprofiles.count(),
            "hosts_count": program.hostprofiles.count(),
        }


class ProgramEditView(StaffMixin, SavingFormMixin, FormView):
    template_name = "connections/program_form.html"
    form_class = ProgramForm
    program: Program | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "pk" in kwargs and request.user.is_authenticated:
            self.program = _visible(request, Program, kwargs["pk"], "connections.change_program")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organizations": self.organizations()}

    def get_initial(self) -> dict[str, Any]:
        return ProgramForm.initial_for(self.program) if self.program else {"version": 1}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "program": self.program}

    def save(self, form: ProgramForm) -> Program:
        program = self.program or Program()
        program.version = form.cleaned_data["version"]
        return program_save(
            actor=_user(self.request),
            program=program,
            fields=form.program_fields(),
            communities=form.cleaned_data["communities"],
        )

    def success_url_for(self, obj: Program) -> str:
        return reverse("connections:program-detail", args=[obj.pk])


# --- profiles ----------------------------------------------------------------------------------


class NewcomerListView(StaffMixin, TemplateView):
    template_name = "connections/newcomer_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        status = self.request.GET.get("status", "")
        if status not in NewcomerProfile.Status.values:
            status = ""
        return {
            **super().get_context_data(**kwargs),
            "profiles": selectors.newcomer_profile_list(user=_user(self.request), status=status),
            "statuses": NewcomerProfile.Status.choices,
            "status": status,
        }


class HostListView(StaffMixin, TemplateView):
    template_name = "connections/host_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "profiles": selectors.host_profile_list(user=_user(self.request)),
        }


class NewcomerDetailView(LoginRequiredMixin, TemplateView):
    template_name = "connections/newcomer_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = _visible(
            self.request, NewcomerProfile, kwargs["pk"], "connections.view_newcomerprofile"
        )
        return {**super().get_context_data(**kwargs), "profile": profile}


class HostDetailView(LoginRequiredMixin, TemplateView):
    template_name = "connections/host_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = _visible(self.request, HostProfile, kwargs["pk"], "connections.view_hostprofile")
        return {**super().get_context_data(**kwargs), "profile": profile}


class ProfileEditMixin(StaffMixin, SavingFormMixin, FormView):
    model: type[NewcomerProfile] | type[HostProfile]
    perm = ""
    detail_name = ""
    profile: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "pk" in kwargs and request.user.is_authenticated:
            self.profile = _visible(request, self.model, kwargs["pk"], self.perm)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "organizations": self.organizations(),
            "communities": self.communities(),
            "programs": self.programs(),
        }

    def get_initial(self) -> dict[str, Any]:
        if self.profile is None:
            return {"version": 1, "availability": []}
        return ProfileForm.initial_for(self.profile, self.get_form_class().base_fields)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "profile": self.profile,
            "notice_version": MATCHING_NOTICE_VERSION,
        }

    def target(self, form: ProfileForm) -> Any:
        profile = self.profile or self.model()
        profile.version = form.cleaned_data["version"]
        return profile

    def success_url_for(self, obj: Any) -> str:
        return reverse(self.detail_name, args=[obj.pk])


class NewcomerEditView(ProfileEditMixin):
    template_name = "connections/newcomer_form.html"
    form_class = NewcomerProfileForm
    model = NewcomerProfile
    perm = "connections.change_newcomerprofile"
    detail_name = "connections:newcomer-detail"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "creating": self.profile is None}

    def save(self, form: NewcomerProfileForm) -> NewcomerProfile:
        return newcomer_profile_save(
            actor=_user(self.request),
            profile=self.target(form),
            fields=form.profile_fields(),
            languages=form.cleaned_data["languages"],
            consent_given=bool(form.cleaned_data.get("consent")),
        )


class HostEditView(ProfileEditMixin):
    template_name = "connections/host_form.html"
    form_class = HostProfileForm
    model = HostProfile
    perm = "connections.change_hostprofile"
    detail_name = "connections:host-detail"

    def save(self, form: HostProfileForm) -> HostProfile:
        return host_profile_save(
            actor=_user(self.request),
            profile=self.target(form),
            fields=form.profile_fields(),
            languages=form.cleaned_data["languages"],
        )


# --- newcomers themselves ------------------------------------------------------------------------

SIGN_UP_SCOPE = "signup"


class SignUpView(FormView):
    """The public sign-up: consent first, then the profile; limited per address (RATELIMIT_SIGNUP)
    on top of the site's limit on forms."""

    template_name = "connections/sign_up.html"
    form_class = SignUpForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST":
            wait = retry_after(request, SIGN_UP_SCOPE)
            if wait is not None:
                return too_many_requests(request, wait)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        organizations = Organization.objects.filter(connection_programs__is_active=True).distinct()
        return {
            **super().get_form_kwargs(),
            "organizations": organizations,
            "communities": Community.objects.filter(connection_programs__is_active=True)
            .distinct()
            .order_by("name_en"),
            "programs": Program.objects.filter(is_active=True).select_related("organization"),
        }

    def get_initial(self) -> dict[str, Any]:
        return {"preferred_language": self.request.LANGUAGE_CODE, "availability": []}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "notice_version": MATCHING_NOTICE_VERSION}

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        fields = form.profile_fields()
        email, password = fields.pop("email"), fields.pop("password")
        try:
            profile = newcomer_sign_up(
                email=email,
                password=password,
                preferred_language=fields.pop("preferred_language"),
                fields=fields,
                languages=form.cleaned_data["languages"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return self.form_invalid(form)
        login(self.request, profile.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("Thank you: your profile is saved."))
        return HttpResponseRedirect(reverse("connections:my-profile"))


class MyProfileView(LoginRequiredMixin, TemplateView):
    """A newcomer's own profile, as their organization sees it."""

    template_name = "connections/my_profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = selectors.newcomer_profile_of(user=_user(self.request))
        if profile is None:
            raise Http404
        return {**super().get_context_data(**kwargs), "profile": profile}


class CountsView(LoginRequiredMixin, TemplateView):
    """People in connections programs, suppressed under 5: for funder officers and the staff."""

    template_name = "connections/counts.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not request.user.has_perm(
            "connections.view_connection_counts"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "counts": selectors.connection_counts()}
