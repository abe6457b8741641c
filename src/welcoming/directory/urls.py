from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.ServiceSearchView.as_view(), name="search"),
    path("print/", views.ServiceListPrintView.as_view(), name="search-print"),
    path("services/<uuid:hsds_id>/", views.ServiceDetailView.as_view(), name="service-detail"),
    path(
        "organizations/<uuid:hsds_id>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path("welcome-centres/", views.WelcomeCentreListView.as_view(), name="welcome-centre-list"),
    path("welcome-centres/<str:code>/", views.WelcomeCentreView.as_view(), name="welcome-centre"),
    path(
        "welcome-centres/<str:code>/sheet.pdf",
        views.WelcomeCentrePdfView.as_view(),
        name="welcome-centre-pdf",
    ),
]
