from django.urls import path

from . import erasure_views, views
from .workflow_urls import urlpatterns as workflow

app_name = "connections"

urlpatterns = [
    path("programs/", views.ProgramListView.as_view(), name="program-list"),
    path("programs/new/", views.ProgramEditView.as_view(), name="program-create"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("programs/<int:pk>/edit/", views.ProgramEditView.as_view(), name="program-edit"),
    path("newcomers/", views.NewcomerListView.as_view(), name="newcomer-list"),
    path("newcomers/new/", views.NewcomerEditView.as_view(), name="newcomer-create"),
    path("newcomers/<int:pk>/", views.NewcomerDetailView.as_view(), name="newcomer-detail"),
    path("newcomers/<int:pk>/edit/", views.NewcomerEditView.as_view(), name="newcomer-edit"),
    path("hosts/", views.HostListView.as_view(), name="host-list"),
    path("hosts/new/", views.HostEditView.as_view(), name="host-create"),
    path("hosts/<int:pk>/", views.HostDetailView.as_view(), name="host-detail"),
    path("hosts/<int:pk>/edit/", views.HostEditView.as_view(), name="host-edit"),
    *(
        path(
            f"{kind}s/<int:pk>/{action}/",
            view.as_view(kind=kind),
            name=f"{kind}-{action}",
        )
        for kind in ("newcomer", "host")
        for action, view in (
            ("export", erasure_views.ProfileExportView),
            ("erase", erasure_views.ProfileEraseView),
        )
    ),
    path("sign-up/", views.SignUpView.as_view(), name="sign-up"),
    path("my-profile/", views.MyProfileView.as_view(), name="my-profile"),
    path("in-numbers/", views.CountsView.as_view(), name="counts"),
    *workflow,
]
