from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from welcoming.core.admin import ObjectPermissionsAdmin

from .models import ApiToken, Consent, Membership, Scope, User
from .services import api_token_create, api_token_revoke

# Roles come from memberships and the rules, never from Django's groups: no group admin to mislead.
admin.site.unregister(Group)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(ObjectPermissionsAdmin, SimpleHistoryAdmin, DjangoUserAdmin):
    inlines = [MembershipInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Preferences"), {"fields": ["preferred_language"]}),
    )


@admin.register(Membership)
class MembershipAdmin(ObjectPermissionsAdmin, SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name_en", "organization__name_fr"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user", "organization"]


class ApiTokenAdminForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=Scope.choices,
        initial=[Scope.READ],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes"]


@admin.register(ApiToken)
class ApiTokenAdmin(ObjectPermissionsAdmin):
    """Tokens are made by the service, which shows the secret once; only the hash is kept."""

    form = ApiTokenAdminForm
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = [
        "user",
        "name",
        "scopes",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        return [*self.readonly_fields, "user", "scopes"] if obj else list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, secret = api_token_create(user=obj.user, name=obj.name, scopes=obj.scopes)
        obj.pk, obj.prefix, obj.created_at = token.pk, token.prefix, token.created_at
        obj.expires_at = token.expires_at
        self.message_user(
            request,
            _("The token is %(secret)s — copy it now: it will not be shown again.")
            % {"secret": secret},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin):
    """Read-only: consents are given and withdrawn through the service, which records by whom;
    the history shows every change."""

    list_display = ["purpose", "user", "subject_type", "subject_id", "notice_version"]
    list_display += ["given_at", "withdrawn_at", "recorded_by"]
    list_filter = ["purpose", ("withdrawn_at", admin.EmptyFieldListFilter), "notice_version"]
    search_fields = ["user__username"]
    list_select_related = ["user", "subject_type", "recorded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("accounts.add_consent"))
