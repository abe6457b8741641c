from django.urls import path

from . import views

app_name = "scorecards"

urlpatterns = [
    path("compare/", views.ComparisonView.as_view(), name="compare"),
    path(
        "scoring-profiles/<slug:name>/methodology/",
        views.MethodologyView.as_view(),
        name="methodology",
    ),
    path(
        "scoring-profiles/<slug:name>/",
        views.ScoringProfileEditView.as_view(),
        name="profile-edit",
    ),
    path("find-a-community/", views.CommunityFinderView.as_view(), name="finder"),
    path("communities/<str:code>/scorecard/", views.ScorecardView.as_view(), name="scorecard"),
    path(
        "communities/<str:code>/scorecard/chart.svg",
        views.ScorecardChartView.as_view(),
        name="scorecard-chart",
    ),
    path(
        "communities/<str:code>/scorecard.pdf",
        views.ScorecardPdfView.as_view(),
        name="scorecard-pdf",
    ),
]
