from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path(
        "organizations/<int:pk>/members/",
        views.MembershipListView.as_view(),
        name="membership-list",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
]
