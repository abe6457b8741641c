"""The stewards' pages, under /<lang>/directory/stewardship/."""

from django.urls import path

from . import steward_views as views

app_name = "stewardship"

urlpatterns = [
    path("", views.StewardServiceListView.as_view(), name="service-list"),
    path("add/", views.StewardServiceAddView.as_view(), name="service-add"),
    path("services/<int:pk>/", views.StewardServiceEditView.as_view(), name="service-edit"),
    path(
        "services/<int:pk>/verify/",
        views.StewardServiceVerifyView.as_view(),
        name="service-verify",
    ),
    path(
        "services/<int:pk>/review/",
        views.StewardServiceReviewView.as_view(),
        name="service-review",
    ),
    path("duplicates/", views.StewardDuplicateListView.as_view(), name="duplicate-list"),
    path(
        "duplicates/<int:first>/<int:second>/",
        views.StewardServiceMergeView.as_view(),
        name="service-merge",
    ),
    path(
        "duplicates/<int:first>/<int:second>/dismiss/",
        views.StewardDuplicateDismissView.as_view(),
        name="duplicate-dismiss",
    ),
    path("imports/", views.StewardFeedImportView.as_view(), name="import-list"),
    path("imports/<int:pk>/", views.StewardFeedImportJobView.as_view(), name="import-job"),
]
