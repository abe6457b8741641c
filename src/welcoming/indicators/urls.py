from django.urls import path

from welcoming.core.pages import cache_per_data_state as kept

from . import views

app_name = "indicators"

urlpatterns = [
    path(
        "communities/<str:code>/",
        kept(views.CommunityProfileView.as_view()),
        name="community-profile",
    ),
    path("imports/", views.ImportJobListView.as_view(), name="import-list"),
    path("imports/<int:pk>/", views.ImportJobDetailView.as_view(), name="import-job"),
]
