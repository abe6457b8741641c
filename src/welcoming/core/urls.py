from django.urls import path

from . import views
from .pages import cache_per_data_state as kept

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("communities/", kept(views.CommunityListView.as_view()), name="community-list"),
]
