"""Membership pages: an organization's administrators see, add and remove its members."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from welcoming.core.models import Organization

from ..forms import MembershipAddForm
from ..models import Membership, Role, User
from ..selectors import membership_list, organizations_managed_by
from ..services import membership_grant, membership_revoke


class OrganizationListView(LoginRequiredMixin, TemplateView):
    """The organizations whose members the person manages."""

    template_name = "accounts/organization_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = cast("User", self.request.user)
        organizations = organizations_managed_by(user=user)
        if not organizations:
            raise PermissionDenied
        return {**super().get_context_data(**kwargs), "organizations": organizations}


class _ManagedOrganizationMixin(LoginRequiredMixin):
    request: HttpRequest
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.organization = get_object_or_404(Organization, pk=kwargs["pk"])
            if not request.user.has_perm("accounts.manage_memberships", self.organization):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def members_url(self) -> str:
        return reverse("accounts:membership-list", kwargs={"pk": self.organization.pk})


class MembershipListView(_ManagedOrganizationMixin, FormView):
    """The members of one organization, and the form to add one."""

    template_name = "accounts/membership_list.html"
    form_class = MembershipAddForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "organization": self.organization,
            "memberships": membership_list(organization=self.organization),
        }

    def form_valid(self, form: MembershipAddForm) -> HttpResponse:
        person: User = form.cleaned_data["person"]
        role = Role(form.cleaned_data["role"])
        membership_grant(
            actor=cast("User", self.request.user),
            user=person,
            organization=self.organization,
            role=role,
        )
        messages.success(
            self.request,
            _("%(person)s is now %(role)s in %(organization)s.")
            % {
                "person": person.get_username(),
                "role": role.label,
                "organization": self.organization,
            },
        )
        return HttpResponseRedirect(self.members_url())


class MembershipRemoveView(_ManagedOrganizationMixin, View):
    """Remove one membership (POST only); the organization keeps at least one administrator."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
        membership = get_object_or_404(
            Membership.objects.select_related("user"),
            pk=membership_pk,
            organization=self.organization,
        )
        try:
            membership_revoke(actor=cast("User", request.user), membership=membership)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                _("%(person)s is no longer %(role)s in %(organization)s.")
                % {
                    "person": membership.user.get_username(),
                    "role": membership.get_role_display(),
                    "organization": self.organization,
                },
            )
        return HttpResponseRedirect(self.members_url())
