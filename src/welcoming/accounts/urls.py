from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .forms import MailedPasswordResetForm, UnlockingSetPasswordForm
from .views import account, memberships

app_name = "accounts"

# Django's password views with this app's templates (the admin ships registration/ ones that
# would win over ours).

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html",
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            form_class=MailedPasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html",
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=UnlockingSetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html",
        ),
        name="password_reset_complete",
    ),
    path("tokens/", account.api_token_list_view, name="api-tokens"),
    path("tokens/<int:pk>/revoke/", account.api_token_revoke_view, name="api-token-revoke"),
    path("two-factor/", account.two_factor_view, name="two-factor"),
    path("two-factor/confirm/", account.two_factor_confirm_view, name="two-factor-confirm"),
    path("two-factor/remove/", account.two_factor_remove_view, name="two-factor-remove"),
    path("two-factor/verify/", account.two_factor_verify_view, name="two-factor-verify"),
    path("organizations/", memberships.OrganizationListView.as_view(), name="organization-list"),
    path(
        "organizations/<int:pk>/members/",
        memberships.MembershipListView.as_view(),
        name="membership-list",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/remove/",
        memberships.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
]
