"""Addresses of the coordinator's workflow, included in the app's urls.py."""

from django.urls import path

from . import workflow_views as views

urlpatterns = [
    path("programs/<int:pk>/runs/", views.RunListView.as_view(), name="run-list"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run-detail"),
    path("runs/<int:pk>/swap/", views.SwapView.as_view(), name="match-swap"),
    path("matches/<int:pk>/", views.MatchDetailView.as_view(), name="match-detail"),
    path("matches/<int:pk>/decide/", views.MatchDecideView.as_view(), name="match-decide"),
    path(
        "matches/<int:pk>/interactions/",
        views.InteractionLogView.as_view(),
        name="interaction-log",
    ),
    path("matches/<int:pk>/feedback/", views.FeedbackView.as_view(), name="feedback-give"),
    path("confirm/<str:token>/", views.MatchConfirmView.as_view(), name="match-confirm"),
    path("my-matches/", views.MyMatchesView.as_view(), name="my-matches"),
    path("programs/<int:pk>/activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
]
