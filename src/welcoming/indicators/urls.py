from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("communities/<str:code>/", views.CommunityProfileView.as_view(), name="community-profile"),
]
