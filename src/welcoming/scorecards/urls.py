from django.urls import path

from welcoming.core.pages import cache_per_data_state as kept

from . import views

app_name = "scorecards"

urlpatterns = [
    path("compare/", kept(views.ComparisonView.as_view()), name="compare"),
    path(
        "scoring-profiles/<slug:name>/methodology/",
        kept(views.MethodologyView.as_view()),
        name="methodology",
    ),
    path(
        "scoring-profiles/<slug:name>/",
        views.ScoringProfileEditView.as_view(),
        name="profile-edit",
    ),
    path("find-a-community/", kept(views.CommunityFinderView.as_view()), name="finder"),
    path(
        "communities/<str:code>/scorecard/", kept(views.ScorecardView.as_view()), name="scorecard"
    ),
    path(
        "communities/<str:code>/scorecard/chart.svg",
        kept(views.ScorecardChartView.as_view()),
        name="scorecard-chart",
    ),
    path(
        "communities/<str:code>/scorecard.pdf",
        kept(views.ScorecardPdfView.as_view()),
        name="scorecard-pdf",
    ),
]
