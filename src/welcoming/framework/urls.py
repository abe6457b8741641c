from django.urls import path

from . import views

app_name = "framework"

urlpatterns = [path("", views.FrameworkOverviewView.as_view(), name="overview")]
